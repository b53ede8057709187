"""`mend traps`: suggest thinking traps for thoughts read from standard input."""

from __future__ import annotations

import json

import typer

from mend.language.traps import suggest

_TRAPS_HELP = (
    "Suggest thinking traps for automatic thoughts, one thought per line on standard input.\n\n"
    "Writes one JSON object per input line, in order: 'traps' (suggested trap ids, most "
    "confident first, often none), 'scores' (each trap's confidence 0 to 1), 'evidence' (the "
    "words behind each suggestion and why) and 'withheld' (true when the thought speaks of "
    "suicide or self-harm, in which case no trap is suggested). A blank line gets an empty "
    "suggestion, so output lines always match input lines."
)


def register(app: typer.Typer) -> None:
    app.command("traps", help=_TRAPS_HELP)(traps)


def traps() -> None:
    stdin = typer.get_text_stream("stdin")
    for line in stdin:
        # One line in, one line out, flushed at once, so the command also works as a
        # co-process that is fed a thought and reads back its suggestion.
        typer.echo(json.dumps(suggest(line.rstrip("\r\n")).to_json_dict(), ensure_ascii=False))
