"""`mend instruments`, `mend score` and `mend score-csv`."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from mend.measures.definitions import (
    DefinitionError,
    Instrument,
    UnknownInstrumentError,
    default_registry,
)
from mend.measures.scoring import InvalidAnswers, Score, extra_keys, score

MISSING_MARK = "-"
USAGE_ERROR = 2
ID_COLUMN = "id"


class _InputError(Exception):
    """A problem with the whole input (exit 2), as opposed to one bad row."""


class _RowError(ValueError):
    """A row that cannot be scored; reported, written with its error, and skipped."""


def register(app: typer.Typer) -> None:
    app.command("instruments", help=_INSTRUMENTS_HELP)(instruments)
    # ignore_unknown_options lets "-1" reach us as an answer (and be rejected with a clear
    # reason) instead of being parsed as an unknown option.
    app.command("score", help=_SCORE_HELP, context_settings={"ignore_unknown_options": True})(
        score_command
    )
    app.command("score-csv", help=_SCORE_CSV_HELP)(score_csv)


# Help texts keep each paragraph on one logical line because Typer versions differ in whether
# they re-flow single line breaks.
_INSTRUMENTS_HELP = "List the available instruments: id and short name, one per line."
_SCORE_HELP = (
    "Score one set of answers and print the result as one line of JSON.\n\n"
    "ANSWERS are the answer codes printed beside the options on the form (e.g. WHO-5: 5 to 0), "
    f"in item order. Write '{MISSING_MARK}' for a missing answer.\n\n"
    "Exits with code 2 and a one-line reason on stderr for an unknown instrument, a wrong "
    "number of answers or an impossible answer."
)
_SCORE_CSV_HELP = (
    "Score every row of a CSV file and write a copy with the scores added.\n\n"
    "Answer columns are those named by item id (e.g. phq9_1) or by item number (1, 2, ...); "
    f"if neither is present, all columns except an optional '{ID_COLUMN}' column, in order. "
    f"Empty or '{MISSING_MARK}' cells are missing answers.\n\n"
    "Added columns: total, band, a score and a band column per subscale, instrument extras "
    "(e.g. cutoff_met), flags and error.\n\n"
    "A bad row is reported on stderr (row numbers count the header as row 1), written with its "
    "error, and scoring goes on; the exit code is then still 0. Exit code 2: unknown instrument "
    "or unreadable file."
)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=USAGE_ERROR)


def _instrument(instrument_id: str) -> Instrument:
    try:
        return default_registry().get(instrument_id)
    except UnknownInstrumentError as exc:
        _fail(str(exc))
    except DefinitionError as exc:
        _fail(f"cannot load instrument definitions: {exc}")


def instruments() -> None:
    """`mend instruments` (help text: _INSTRUMENTS_HELP)."""
    try:
        available = default_registry().all()
    except DefinitionError as exc:
        _fail(f"cannot load instrument definitions: {exc}")
    width = max((len(instrument.id) for instrument in available), default=0)
    for instrument in available:
        typer.echo(f"{instrument.id.ljust(width)}  {instrument.name}")


def score_command(
    instrument_id: Annotated[str, typer.Argument(metavar="ID", help="Instrument id.")],
    answers: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ANSWERS...",
            help=f"Answer codes as printed on the form, in item order; '{MISSING_MARK}' = missing.",
        ),
    ] = None,
) -> None:
    """`mend score ID ANSWERS...` (help text: _SCORE_HELP)."""
    instrument = _instrument(instrument_id)
    try:
        result = score(instrument, _parse_answers(answers or []))
    except InvalidAnswers as exc:
        _fail(str(exc))
    typer.echo(json.dumps(result.to_json_dict(), ensure_ascii=False))


def _parse_answers(raw: Sequence[str]) -> list[int | None]:
    parsed: list[int | None] = []
    for position, text in enumerate(raw, start=1):
        value = text.strip()
        if value in ("", MISSING_MARK):
            parsed.append(None)
            continue
        try:
            parsed.append(int(value))
        except ValueError:
            raise InvalidAnswers(
                f"item {position}: {text!r} is not a number (use '{MISSING_MARK}' for missing)"
            ) from None
    return parsed


def score_csv(
    file: Annotated[Path, typer.Argument(help="CSV file with a header row.")],
    instrument_id: Annotated[str, typer.Option("--instrument", "-i", help="Instrument id.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write; default FILE with .scored.csv."),
    ] = None,
) -> None:
    """`mend score-csv FILE --instrument ID` (help text: _SCORE_CSV_HELP)."""
    instrument = _instrument(instrument_id)
    target = output or file.with_suffix(".scored.csv")
    try:
        header, rows = _read_csv(file)
        columns = _answer_columns(instrument, header)
        added = _added_columns(instrument)
        clash = sorted(set(added) & set(header))
        if clash:
            raise _InputError(f"{file}: already has column(s) {', '.join(clash)}")
        scored = _score_rows(instrument, header, rows, columns, added)
        _write_csv(target, [*header, *added], scored)
    except _InputError as exc:
        _fail(str(exc))


def _read_csv(file: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            records = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise _InputError(f"cannot read {file}: {exc}") from exc
    if not records or not any(cell.strip() for cell in records[0]):
        raise _InputError(f"{file}: no header row")
    header = [cell.strip() for cell in records[0]]
    rows = [record for record in records[1:] if any(cell.strip() for cell in record)]
    return header, rows


def _answer_columns(instrument: Instrument, header: Sequence[str]) -> list[int]:
    """Indexes of the answer columns in item order."""
    for names in (
        [item.id for item in instrument.items],
        [str(item.number) for item in instrument.items],
    ):
        if all(name in header for name in names):
            return [header.index(name) for name in names]
    positional = [index for index, name in enumerate(header) if name.lower() != ID_COLUMN]
    if len(positional) != len(instrument.items):
        raise _InputError(
            f"{instrument.name} needs {len(instrument.items)} answer columns (named by item id "
            f"or number, or all columns except '{ID_COLUMN}'); found {len(positional)}"
        )
    return positional


def _added_columns(instrument: Instrument) -> list[str]:
    columns = ["total", "band"]
    for subscale in instrument.subscales:
        columns += [subscale.id, f"{subscale.id}_band"]
    return [*columns, *extra_keys(instrument), "flags", "error"]


def _score_rows(
    instrument: Instrument,
    header: Sequence[str],
    rows: Sequence[list[str]],
    columns: Sequence[int],
    added: Sequence[str],
) -> list[list[str]]:
    console = Console(stderr=True, soft_wrap=True)
    progress = Progress(
        TextColumn(f"Scoring {instrument.name}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
    )
    scored: list[list[str]] = []
    bad = 0
    with progress:
        task = progress.add_task("score", total=len(rows))
        for row_number, row in enumerate(rows, start=2):
            values = dict.fromkeys(added, "")
            try:
                if len(row) != len(header):
                    raise _RowError(f"has {len(row)} cells, the header has {len(header)}")
                result = score(instrument, _parse_answers([row[index] for index in columns]))
                values.update(_result_cells(result))
            except (InvalidAnswers, _RowError) as exc:
                bad += 1
                values["error"] = str(exc)
                progress.console.print(f"row {row_number}: {exc}", markup=False, highlight=False)
            padded = (row + [""] * len(header))[: len(header)]
            scored.append([*padded, *(values[name] for name in added)])
            progress.advance(task)
    if bad:
        console.print(f"{bad} of {len(rows)} rows not scored", markup=False, highlight=False)
    return scored


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _result_cells(result: Score) -> dict[str, str]:
    cells = {"total": _cell(result.total), "band": _cell(result.band)}
    for key, subscale in result.subscales.items():
        cells[key] = _cell(subscale.score)
        cells[f"{key}_band"] = _cell(subscale.band)
    for key, value in result.extra.items():
        cells[key] = _cell(value)
    cells["flags"] = "; ".join(
        f"{flag.item}={flag.answer} ({flag.severity})" for flag in result.flags
    )
    return cells


def _write_csv(target: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    try:
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        raise _InputError(f"cannot write {target}: {exc}") from exc
