"""DEAR MAN, as tables: the steps, checking a script, and turning it into something
readable just before the conversation."""

from __future__ import annotations

import pytest

from mend.platform.errors import Invalid
from mend.practice.boundaries import STEPS, check_steps, readable_script


def test_the_steps_spell_dear_man_in_order() -> None:
    assert "".join(s.letter for s in STEPS) == "DEARMAN"
    assert [s.name for s in STEPS] == [
        "Describe",
        "Express",
        "Assert",
        "Reinforce",
        "Stay mindful",
        "Appear confident",
        "Negotiate",
    ]
    assert all(s.prompt and s.example for s in STEPS)


@pytest.mark.parametrize(
    ("steps", "say", "how"),
    [
        ({"assert": "Please text me."}, ["Please text me."], []),
        (
            {
                "negotiate": "Meet at the café instead.",
                "describe": "You were late three times.",
                "assert": " Please text me. ",
                "express": "",
                "mindful": "Come back to the text.",
            },
            ["You were late three times.", "Please text me."],
            [
                ("Stay mindful", "Come back to the text."),
                ("Negotiate", "Meet at the café instead."),
            ],
        ),
        ({"assert": "No.", "unknown": "ignored"}, ["No."], []),
    ],
)
def test_readable_script_orders_and_skips_blanks(
    steps: dict[str, str], say: list[str], how: list[tuple[str, str]]
) -> None:
    script = readable_script(steps)
    assert (script.say, script.how) == (say, how)


@pytest.mark.parametrize(
    ("title", "steps", "message"),
    [
        ("", {"assert": "x"}, "give the script a name"),
        ("t" * 121, {"assert": "x"}, "120 characters"),
        ("Jo", {"describe": "late again"}, "Please fill in “Assert”"),
        ("Jo", {"assert": "  "}, "Please fill in “Assert”"),
        ("Jo", {"assert": "x", "express": "e" * 1001}, "“Express” to 1,000 characters"),
    ],
)
def test_check_steps_refuses_what_cannot_be_used(
    title: str, steps: dict[str, str], message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        check_steps(title, steps)


def test_check_steps_tidies() -> None:
    title, clean = check_steps("  Asking   Jo  ", {"assert": " Please text me \n"})
    assert title == "Asking Jo"
    assert clean["assert"] == "Please text me" and clean["describe"] == ""
    assert set(clean) == {s.id for s in STEPS}
