"""Entry point for `python -m bench`."""

from __future__ import annotations

from bench import crisis, scoring, traps


def main() -> None:
    print("== questionnaire scoring ==")
    scoring.run()
    print("\n== thinking-trap suggestions ==")
    traps.run()
    print("\n== crisis-language screening ==")
    crisis.run()


if __name__ == "__main__":
    main()
