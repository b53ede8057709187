"""`mend screen`: crisis-language screening from the terminal."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

_SCREEN_HELP = (
    "Screen texts for suicide and self-harm language, one text per line on standard input.\n\n"
    "Writes one JSON object per input line, in order: 'level' (urgent, concern or none), "
    "'mode' (model and rules, or rules only when the model is unavailable), 'screener' (the "
    "model, adapter and corpus versions), 'model' (its probability per level, the sentences "
    "it scored and, when only the model saw risk, the most similar labelled examples), "
    "'evidence' (rule findings: rule, description, level, character offsets and the matched "
    "words), and 'set_aside' (matches the context ruled out, with the reason). An empty line "
    "gives level none, so output lines always match input lines.\n\n"
    "With --eval FILE (JSON lines with 'text' and 'label'), prints per-level precision and "
    "recall, the confusion matrix and every miss instead. The result is a prompt for a "
    "clinician, never a diagnosis."
)

# The first text may wait for the model to be built and loaded; a terminal run has no
# person waiting on a save, so it waits longer than a web request would.
_COMMAND_WAIT_SECONDS = 300.0


def register(app: typer.Typer) -> None:
    app.command("screen", help=_SCREEN_HELP)(screen_command)


def screen_command(
    eval_file: Annotated[
        Path | None,
        typer.Option("--eval", help="Labelled JSON lines to measure the screener on."),
    ] = None,
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Use the rules alone (for comparison).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --eval: one JSON object instead of text.")
    ] = False,
    prepare: Annotated[
        bool,
        typer.Option(
            "--prepare",
            help="Build the screener's model from the installed weights now (make install "
            "does this), so the first screening does not wait for it.",
        ),
    ] = False,
    build_examples: Annotated[
        bool,
        typer.Option(
            "--build-examples",
            help="Re-embed the training corpus for the 'similar examples' explanations.",
        ),
    ] = False,
) -> None:
    """`mend screen` (help text: _SCREEN_HELP)."""
    from mend.language.crisis import screening
    from mend.language.crisis.model import ARTEFACT_DIR
    from mend.language.crisis.rule_screen import screen as rule_screen

    if prepare:
        import time

        from mend.language.encoder.runtime import Encoder

        started = time.perf_counter()
        encoder = Encoder.load(adapter=ARTEFACT_DIR / "adapter.npz")
        encoder.embed(["ready"])
        typer.echo(
            f"crisis screener ready: {encoder.version} ({time.perf_counter() - started:.1f} s)"
        )
        return
    if build_examples:
        from mend.language.crisis.model import build_examples as build
        from mend.language.encoder.runtime import Encoder

        encoder = Encoder.load(adapter=ARTEFACT_DIR / "adapter.npz")
        typer.echo(f"embedded {build(encoder)} corpus texts")
        return

    def one(text: str) -> dict[str, object]:
        if rules_only:
            return rule_screen(text).to_json_dict()
        return screening.screen(text, wait=_COMMAND_WAIT_SECONDS).to_json_dict()

    if eval_file is not None:
        _evaluate(eval_file, one, as_json)
        return
    for line in typer.get_text_stream("stdin"):
        text = line.rstrip("\r\n")
        # One line in, one line out, flushed at once, so the command also works as a
        # co-process that is fed a text and reads back its screening.
        typer.echo(json.dumps(one(text), ensure_ascii=False))


def _evaluate(path: Path, one: Callable[[str], dict[str, object]], as_json: bool) -> None:
    from mend.language.crisis.evaluate import LEVELS, figures, report

    if not path.is_file():
        typer.echo(f"mend screen: no such file: {path}", err=True)
        raise typer.Exit(2)
    texts, labels, categories = [], [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, label = row["text"], row["label"]
        except (ValueError, KeyError, TypeError):
            typer.echo(
                f"mend screen: {path}:{number}: need a JSON object with text and label", err=True
            )
            raise typer.Exit(2) from None
        if label not in LEVELS or not isinstance(text, str):
            typer.echo(
                f"mend screen: {path}:{number}: label must be one of {', '.join(LEVELS)}", err=True
            )
            raise typer.Exit(2)
        texts.append(text)
        labels.append(label)
        categories.append(str(row.get("category", "")))
    levels = []
    with _progress(len(texts)) as advance:
        for text in texts:
            levels.append(str(one(text)["level"]))
            advance()
    result = figures(labels, levels, texts, categories)
    if as_json:
        typer.echo(json.dumps(result.to_json_dict(), ensure_ascii=False))
    else:
        typer.echo(report(result))


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error when it is a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("screening", total=total)
        yield lambda: progress.advance(task)
