"""Support network rules, as tables: signs of a safe person, rings of closeness,
trust trend and the next-step hint, how people are reached, and the circles picture."""

from __future__ import annotations

import pytest

from mend.practice.network_rules import (
    DOWN,
    RINGS,
    SAME,
    SIGN_IDS,
    UP,
    Outcome,
    circle_layout,
    clean_signs,
    dial,
    is_safe,
    next_step_hint,
    reach_problem,
    ring_for,
    signs_score,
    signs_summary,
    trust_trend,
)

ALL = list(SIGN_IDS)


@pytest.mark.parametrize(
    ("ticked", "score", "safe", "summary"),
    [
        ([], 0, False, "No signs of a safe person ticked yet. That's okay"),
        (["empathy"], 1, False, "Shows 1 of 5 signs of a safe person so far. It's fine"),
        (ALL[:3], 3, False, "Shows 3 of 5 signs of a safe person so far."),
        (ALL[:4], 4, True, "Shows 4 of 5 signs of a safe person."),
        (ALL, 5, True, "Shows all 5 signs of a safe person."),
        # Unknown ids and repeats count for nothing.
        (["empathy", "empathy", "charm"], 1, False, "Shows 1 of 5"),
        ([*ALL[:3], "rich", "funny"], 3, False, "Shows 3 of 5"),
    ],
)
def test_signs_score_safety_and_summary(
    ticked: list[str], score: int, safe: bool, summary: str
) -> None:
    assert signs_score(ticked) == score
    assert is_safe(ticked) is safe
    assert signs_summary(ticked).startswith(summary)


def test_clean_signs_keep_the_checklist_order() -> None:
    assert clean_signs(["no_pressure", "consistent", "x", "consistent"]) == [
        "consistent",
        "no_pressure",
    ]


@pytest.mark.parametrize(
    ("closeness", "ring"),
    [(10, "closest"), (8, "closest"), (7, "close"), (5, "close"), (4, "further"), (0, "further")],
)
def test_rings_of_closeness(closeness: int, ring: str) -> None:
    assert ring_for(closeness).id == ring


def test_rings_cover_zero_to_ten_without_gaps() -> None:
    assert sorted(n for r in RINGS for n in range(r.low, r.high + 1)) == list(range(11))
    with pytest.raises(ValueError):
        ring_for(11)


def _o(*changes: str) -> list[Outcome]:
    return [Outcome(5, c) for c in changes]


@pytest.mark.parametrize(
    ("outcomes", "kind"),
    [
        ([], "none"),
        (_o(UP), "growing"),
        (_o(SAME), "steady"),
        (_o(DOWN), "dipped"),
        (_o(UP, DOWN), "dipped"),  # the latest step matters most
        (_o(DOWN, UP), "steady"),
        (_o(DOWN, DOWN, UP), "shaky"),
        (_o(UP, SAME, SAME), "growing"),
        (_o(DOWN, DOWN, DOWN, UP, UP, SAME), "growing"),  # only the last three count
        (_o(UP, UP, UP, DOWN, SAME, SAME), "shaky"),
        (_o(UP, DOWN, SAME), "steady"),
    ],
)
def test_trust_trend(outcomes: list[Outcome], kind: str) -> None:
    trend = trust_trend(outcomes)
    assert trend.kind == kind
    assert trend.sentence.endswith(".")


@pytest.mark.parametrize(
    ("last", "starts"),
    [
        (None, "Start with a small step"),
        (Outcome(9, DOWN), "The last step was hard"),
        (Outcome(3, UP), "The last step was hard"),
        (Outcome(7, UP), "The last step went well"),
        (Outcome(10, SAME), "Another step of a similar size"),
        (Outcome(6, UP), "Another step of a similar size"),
    ],
)
def test_next_step_hint(last: Outcome | None, starts: str) -> None:
    assert next_step_hint(last).startswith(starts)


@pytest.mark.parametrize(
    ("kind", "value", "problem"),
    [
        ("", "", None),
        ("phone", "+44 (0)7700 900-123", None),
        ("phone", "988", None),
        ("phone", "12", "doesn't look right"),
        ("phone", "call me", "doesn't look right"),
        ("phone", "1" * 21, "doesn't look right"),
        ("email", "jo@example.org", None),
        ("email", "jo@example", "doesn't look right"),
        ("email", "jo example.org", "doesn't look right"),
        ("other", "at choir on Thursdays", None),
        ("other", "x" * 151, "150 characters"),
        ("phone", "", "Please add their number"),
        ("pigeon", "coo", "Please choose how you reach them"),
        ("", "07700 900123", "Please choose how you reach them"),
    ],
)
def test_reach_problem(kind: str, value: str, problem: str | None) -> None:
    found = reach_problem(kind, value)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


@pytest.mark.parametrize(
    ("phone", "dialled"),
    [("+1 (555) 010-0199", "+15550100199"), ("07700 900123", "07700900123"), ("988", "988")],
)
def test_dial(phone: str, dialled: str) -> None:
    assert dial(phone) == dialled


def test_circle_layout_places_people_in_their_rings() -> None:
    people = [
        (1, "Samantha Louise", 9),
        (2, "Jo", 6),
        (3, "Alexandrina-Maria", 1),
        (4, "Mr Okafor", 10),
    ]
    layout = circle_layout(people)
    by_id = {d.person_id: d for d in layout.dots}
    assert {d.ring for d in layout.dots} == {"closest", "close", "further"}
    assert (by_id[1].ring, by_id[4].ring, by_id[2].ring, by_id[3].ring) == (
        "closest",
        "closest",
        "close",
        "further",
    )
    assert (by_id[1].label, by_id[3].label, by_id[4].label) == (
        "Samantha",
        "Alexandrin…",
        "Mr Okafor",
    )

    def distance(person_id: int) -> float:
        d = by_id[person_id]
        return float(((d.x - layout.centre) ** 2 + (d.y - layout.centre) ** 2) ** 0.5)

    assert distance(1) < distance(2) < distance(3)
    assert all(0 <= d.x <= layout.size and 0 <= d.y <= layout.size for d in layout.dots)


def test_circle_layout_counts_people_who_do_not_fit() -> None:
    crowd = [(i, f"P{i}", 9) for i in range(8)]
    layout = circle_layout(crowd)
    assert len([d for d in layout.dots if d.ring == "closest"]) == 5
    assert layout.rings[0].more == 3
    assert circle_layout([]).empty
