"""Entry point for `python -m bench`."""

from __future__ import annotations

from bench import scoring


def main() -> None:
    scoring.run()


if __name__ == "__main__":
    main()
