"""Cutting a client's text into the pieces the encoder reads."""

from __future__ import annotations

import pytest

from mend.language.sentences import MAX_WORDS, split


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in split(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n ", []),
        ("...", []),
        ("ok", ["ok"]),
        ("Sorry. Bye.", ["Sorry.", "Bye."]),
        ("Work was fine!! Made pasta?  Slept.", ["Work was fine!!", "Made pasta?", "Slept."]),
        ("lol ok\nbye", ["lol ok", "bye"]),
        ("cake; rain; the cat", ["cake;", "rain;", "the cat"]),
        ("tea - walk - bed", ["tea", "walk", "bed"]),
        ('She said "go away." I left.', ['She said "go away."', "I left."]),
        ("3.5 hours of sleep", ["3.5 hours of sleep"]),
        ("well-meant advice", ["well-meant advice"]),
    ],
)
def test_split_finds_sentence_and_line_ends(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_a_long_unpunctuated_run_is_cut_at_a_joining_word() -> None:
    text = (
        "i dont know what to do anymore everyone at school hates me and i keep thinking that "
        "if i was gone nobody would notice and honestly i have the pills in my drawer and i "
        "think tonight is when i do it"
    )
    got = pieces(text)
    assert len(got) >= 2
    assert all(len(p.split()) <= MAX_WORDS for p in got)
    assert " ".join(got).split() == text.split()  # nothing lost, nothing repeated


def test_spans_point_into_the_original_text() -> None:
    text = "First line.\n\n  Second, with spaces.  "
    for start, end in split(text):
        assert text[start:end] == text[start:end].strip()
        assert text[start:end]
