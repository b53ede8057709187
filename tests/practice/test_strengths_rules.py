"""Strengths, as tables: the client's own words, and which strengths were used most."""

from __future__ import annotations

import pytest

from mend.platform.errors import Invalid
from mend.practice.strengths import STRENGTHS, StrengthCount, count_strengths, parse_own


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", []),
        ("  ", []),
        ("stubbornness", ["stubbornness"]),
        ("stubbornness, my  faith ;\nmy dog", ["stubbornness", "my faith", "my dog"]),
        ("Faith, faith, FAITH", ["Faith"]),
        (",,,", []),
    ],
)
def test_parse_own(text: str, words: list[str]) -> None:
    assert parse_own(text) == words


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a, b, c, d, e, f", "up to 5 strengths"),
        ("x" * 61, "60 characters"),
    ],
)
def test_parse_own_refuses(text: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        parse_own(text)


@pytest.mark.parametrize(
    ("moments", "expected"),
    [
        ([], []),
        (
            [(["courage"], []), (["courage", "humour"], []), (["humour", "courage"], [])],
            [StrengthCount("Courage", 3, False), StrengthCount("Humour", 2, False)],
        ),
        # Ties are alphabetical; own words count together whatever their case.
        (
            [(["patience"], ["My faith"]), ([], ["my faith"]), (["hope"], [])],
            [
                StrengthCount("My faith", 2, True),
                StrengthCount("Hope", 1, False),
                StrengthCount("Patience", 1, False),
            ],
        ),
        # Own words naming a listed strength count as it, once per moment.
        (
            [(["courage"], ["courage"]), ([], ["Courage"])],
            [StrengthCount("Courage", 2, False)],
        ),
        # Unknown ids are ignored.
        ([(["charisma"], [])], []),
    ],
)
def test_count_strengths(
    moments: list[tuple[list[str], list[str]]], expected: list[StrengthCount]
) -> None:
    assert count_strengths(moments) == expected


def test_the_list_holds_the_strengths_named_in_the_brief() -> None:
    labels = {s.label for s in STRENGTHS}
    for name in (
        "Courage",
        "Honesty",
        "Kindness",
        "Persistence",
        "Humour",
        "Asking for help",
        "Creativity",
        "Patience",
    ):
        assert name in labels
    assert len({s.id for s in STRENGTHS}) == len(STRENGTHS)
