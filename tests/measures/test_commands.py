"""`mend instruments`, `mend score`, `mend score-csv` through the real `mend` app."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mend.cli import app
from mend.measures.definitions import ENV_VAR, default_registry

from .helpers import ORG_DIR


def make_runner() -> CliRunner:
    # Click < 8.2 mixes stderr into stdout unless told not to; newer Click (and Typer's own
    # runner) always keeps them apart and has no mix_stderr parameter.
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def run(*args: str) -> Result:
    return make_runner().invoke(app, list(args))


# --- mend score ---


def test_score_phq9_all_ones_prints_one_json_line_with_total_band_and_item9_flag() -> None:
    result = run("score", "phq9", *["1"] * 9)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["instrument"] == "phq9"
    assert data["total"] == 9
    assert data["band"] == "mild"
    assert data["subscales"] == {}
    assert [(flag["item"], flag["number"]) for flag in data["flags"]] == [("phq9_9", 9)]
    assert result.stderr == ""


def test_score_dash_marks_a_missing_answer() -> None:
    result = run("score", "phq9", "0", "0", "-", "0", "0", "0", "0", "0", "0")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] is None
    assert data["missing"] == [3]


def test_score_who5_reports_percentage() -> None:
    data = json.loads(run("score", "who5", "5", "5", "3", "0", "0").stdout)
    assert (data["total"], data["extra"]["percentage"], data["extra"]["cutoff_met"]) == (
        13,
        52,
        False,
    )


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["score", "nope", "1"], "unknown instrument 'nope'"),
        (["score", "phq9", *["1"] * 8], "PHQ-9 needs 9 answers, got 8"),
        (["score", "phq9", *["1"] * 8, "4"], "item 9: 4 is not an answer code"),
        (["score", "phq9", *["1"] * 8, "-1"], "item 9: -1 is not an answer code"),
        (["score", "phq9", *["1"] * 8, "x"], "item 9: 'x' is not a number"),
        (["score", "asq", "0", "0", "0", "0", "1"], "item 5"),
    ],
)
def test_score_rejects_bad_input_with_exit_2_and_one_line_reason(
    args: list[str], reason: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert reason in lines[0]


def test_score_uses_an_organisation_instrument_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_VAR, str(ORG_DIR))
    default_registry.cache_clear()
    result = run("score", "example-local", "2", "1")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["band"] == "fixture-high"


# --- mend instruments ---


def test_instruments_lists_id_and_name_aligned_one_per_line() -> None:
    result = run("instruments")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rows = dict(line.split(maxsplit=1) for line in lines)
    assert rows["phq9"] == "PHQ-9"
    assert rows["proqol5"] == "ProQOL 5"
    assert len(rows) == 12
    name_columns = {line.index(rows[line.split()[0]]) for line in lines}
    assert len(name_columns) == 1


# --- mend score-csv ---


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_score_csv_scores_good_rows_and_reports_bad_ones(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "answers.csv",
        [
            ["id", *[f"q{n}" for n in range(1, 10)]],
            ["c1", *["1"] * 9],
            ["c2", "1", "1", "1", "9", "1", "1", "1", "1", "1"],
        ],
    )
    result = run("score-csv", str(source), "--instrument", "phq9")
    assert result.exit_code == 0, result.stderr
    assert "row 3: item 4: 9 is not an answer code" in result.stderr
    good, bad = read_csv(tmp_path / "answers.scored.csv")
    assert (good["id"], good["total"], good["band"], good["error"]) == ("c1", "9", "mild", "")
    assert good["flags"].startswith("phq9_9=1")
    assert good["cutoff_met"] == "false"
    assert (bad["id"], bad["total"]) == ("c2", "")
    assert "item 4" in bad["error"]
    assert result.stdout == ""


def test_score_csv_finds_answer_columns_by_item_id_and_writes_subscales(tmp_path: Path) -> None:
    # Columns out of order and an unrelated column: the item ids decide which is which.
    header = ["note", *[f"pcl5_{n}" for n in range(20, 0, -1)]]
    answers = {n: "4" if n <= 5 else "0" for n in range(1, 21)}
    row = ["x", *[answers[n] for n in range(20, 0, -1)]]
    source = write_csv(tmp_path / "pcl.csv", [header, row])
    target = tmp_path / "out.csv"
    result = run("score-csv", str(source), "-i", "pcl5", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    (scored,) = read_csv(target)
    assert scored["total"] == "20"
    assert scored["intrusion"] == "20"
    assert scored["avoidance"] == "0"
    assert scored["cutoff_met"] == "false"
    assert scored["note"] == "x"


def test_score_csv_unknown_instrument_exits_2(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "a.csv", [["a"], ["1"]])
    result = run("score-csv", str(source), "--instrument", "nope")
    assert result.exit_code == 2
    assert "unknown instrument 'nope'" in result.stderr
    assert not (tmp_path / "a.scored.csv").exists()


def test_score_csv_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = run("score-csv", str(tmp_path / "missing.csv"), "--instrument", "phq9")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_score_csv_wrong_number_of_answer_columns_exits_2(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "a.csv", [["id", "a", "b"], ["1", "0", "0"]])
    result = run("score-csv", str(source), "--instrument", "phq9")
    assert result.exit_code == 2
    assert "needs 9 answer columns" in result.stderr
