"""`mend screen`: crisis-language screening from the terminal."""

from __future__ import annotations

import json

import typer

from mend.language.crisis import NOTHING, screen

_SCREEN_HELP = (
    "Screen texts for suicide and self-harm language, one text per line on standard input.\n\n"
    "Writes one JSON object per input line, in order: 'level' (urgent, concern or none), "
    "'evidence' (for each finding: rule, description, level, start and end character "
    "offsets in the line, the matched text, and a note on any adjustment) and 'set_aside' "
    "(matches the context ruled out, such as a negation or someone else's words, with the "
    "reason). An empty line gives level none and no evidence, so output lines always match "
    "input lines. The result is a prompt for a clinician, never a diagnosis."
)


def register(app: typer.Typer) -> None:
    app.command("screen", help=_SCREEN_HELP)(screen_command)


def screen_command() -> None:
    """`mend screen` (help text: _SCREEN_HELP)."""
    for line in typer.get_text_stream("stdin"):
        text = line.rstrip("\r\n")
        result = screen(text) if text.strip() else NOTHING
        # One line in, one line out, flushed at once, so the command also works as a
        # co-process that is fed a text and reads back its screening.
        typer.echo(json.dumps(result.to_json_dict(), ensure_ascii=False))
