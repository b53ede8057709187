"""`mend screen`, through a fresh Typer app the command registers into."""

from __future__ import annotations

import json
from pathlib import Path

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
    result = _run(
        "I want to kill myself\n\nthis commute is killing me\nI wish I was dead\n", "--rules-only"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["level"] for line in lines] == ["urgent", "none", "none", "concern"]
    assert lines[0]["evidence"][0]["rule"] == "suicide.intent"
    assert lines[0]["evidence"][0]["text"] == "kill myself"


def test_empty_lines_keep_line_numbers_aligned() -> None:
    result = _run("\n   \nI want to die\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 3
    assert [line["level"] for line in lines[:2]] == ["none", "none"]
    assert lines[0]["evidence"] == [] and lines[0]["set_aside"] == []
    assert lines[2]["level"] in ("concern", "urgent")


def test_each_line_carries_the_model_view_and_the_screener_version() -> None:
    result = _run("Gave the dog to my neighbour and wrote the letters. Tonight is the night.\n")
    [line] = [json.loads(line) for line in result.output.splitlines()]
    assert line["mode"] == "model and rules"
    assert "adapter@" in line["screener"] and "corpus@" in line["screener"]
    model = line["model"]
    assert set(model["probabilities"]) == {"urgent", "concern_or_urgent"}
    assert [s["text"] for s in model["sentences"]] == [
        "Gave the dog to my neighbour and wrote the letters.",
        "Tonight is the night.",
    ]
    assert line["level"] == "urgent"


def test_eval_prints_figures_confusion_and_misses(tmp_path: Path) -> None:
    labelled = tmp_path / "set.jsonl"
    rows = [
        {"text": "I am going to kill myself tonight, the pills are ready.", "label": "urgent"},
        {"text": "We had soup and watched the rain.", "label": "none"},
        {"text": "We had soup and watched the rain again.", "label": "urgent"},
    ]
    labelled.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = _run("", "--eval", str(labelled))
    assert result.exit_code == 0, result.output
    assert "urgent recall 0.500" in result.output
    assert "confusion" in result.output
    assert "[urgent → none] We had soup and watched the rain again." in result.output
    as_json = json.loads(_run("", "--eval", str(labelled), "--json").output)
    assert as_json["urgent_recall"] == 0.5 and as_json["confusion"]["urgent"]["none"] == 1


def test_eval_refuses_a_bad_file_with_its_line_number(tmp_path: Path) -> None:
    labelled = tmp_path / "set.jsonl"
    labelled.write_text('{"text": "fine", "label": "none"}\n{"text": "x", "label": "severe"}\n')
    result = _run("", "--eval", str(labelled))
    assert result.exit_code == 2
    assert "set.jsonl:2" in result.output
    missing = _run("", "--eval", str(tmp_path / "nowhere.jsonl"))
    assert missing.exit_code == 2


def test_offsets_are_within_the_line_and_crlf_endings_are_ignored() -> None:
    result = _run("ok today\r\nHonestly, kms.\r\n", "--rules-only")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 2
    [evidence] = lines[1]["evidence"]
    assert "Honestly, kms."[evidence["start"] : evidence["end"]] == "kms"


def test_set_aside_matches_are_reported_with_their_reason() -> None:
    result = _run("I'd never kill myself\n")
    [line] = [json.loads(line) for line in result.output.splitlines()]
    assert line["rules_level"] == "none" and line["evidence"] == []
    assert line["set_aside"][0]["guard"] == "negated"


def test_no_input_writes_nothing() -> None:
    result = _run("")
    assert result.exit_code == 0
    assert result.output == ""


def test_help_describes_the_output() -> None:
    result = CliRunner().invoke(_app(), ["screen", "--help"])
    assert result.exit_code == 0
    assert "one JSON object per input line" in " ".join(result.output.split())
