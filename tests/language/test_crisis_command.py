"""`mend screen`, through a fresh Typer app the command registers into."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner, Result

from mend.language.commands import register


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """A group, so that `screen` is a subcommand as it is in `mend`."""

    return app


def _run(stdin: str, *args: str) -> Result:
    return CliRunner().invoke(_app(), ["screen", *args], input=stdin)


def test_screen_writes_one_json_object_per_input_line_in_order() -> None:
    result = _run("I want to kill myself\n\nthis commute is killing me\nI wish I was dead\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["level"] for line in lines] == ["urgent", "none", "none", "concern"]
    assert lines[0]["evidence"][0]["rule"] == "suicide.intent"
    assert lines[0]["evidence"][0]["text"] == "kill myself"


def test_empty_lines_keep_line_numbers_aligned() -> None:
    result = _run("\n   \nI want to die\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines[0] == {"level": "none", "evidence": [], "set_aside": []}
    assert lines[1] == {"level": "none", "evidence": [], "set_aside": []}
    assert lines[2]["level"] == "concern"


def test_offsets_are_within_the_line_and_crlf_endings_are_ignored() -> None:
    result = _run("ok today\r\nHonestly, kms.\r\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 2
    [evidence] = lines[1]["evidence"]
    assert "Honestly, kms."[evidence["start"] : evidence["end"]] == "kms"


def test_set_aside_matches_are_reported_with_their_reason() -> None:
    result = _run("I'd never kill myself\n")
    [line] = [json.loads(line) for line in result.output.splitlines()]
    assert line["level"] == "none" and line["evidence"] == []
    assert line["set_aside"][0]["guard"] == "negated"


def test_no_input_writes_nothing() -> None:
    result = _run("")
    assert result.exit_code == 0
    assert result.output == ""


def test_help_describes_the_output() -> None:
    result = CliRunner().invoke(_app(), ["screen", "--help"])
    assert result.exit_code == 0
    assert "one JSON object per input line" in " ".join(result.output.split())
