"""The coping toolkit's pure rules and catalogue, table by table: ratings, change, per-tool
averages, the "what helps you most" ranking, and the pacer's CSS matching its pattern."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from mend.platform.errors import Invalid
from mend.practice import coping_catalogue as catalogue
from mend.practice import coping_rules as rules
from mend.practice.coping_rules import SessionFacts as S

CSS = Path(catalogue.__file__).resolve().parents[1] / "web" / "static" / "coping.css"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "required", "expected"),
    [
        ("0", True, 0),
        ("10", True, 10),
        (" 7 ", True, 7),
        ("", False, None),
        ("   ", False, None),
        (None, False, None),
    ],
)
def test_ratings_that_are_accepted(raw: str | None, required: bool, expected: int | None) -> None:
    assert rules.parse_rating(raw, required=required) == expected


@pytest.mark.parametrize(
    ("raw", "required", "message"),
    [
        ("", True, "Please choose a number from 0 to 10"),
        (None, True, "Please choose a number from 0 to 10"),
        ("11", True, "whole number from 0 to 10"),
        ("-1", False, "whole number from 0 to 10"),
        ("3.5", True, "whole number from 0 to 10"),
        ("seven", False, "whole number from 0 to 10"),
        ("\u0663", True, "whole number from 0 to 10"),  # Arabic-Indic three
        ("\u00b2", True, "whole number from 0 to 10"),  # superscript two
        ("1e1", True, "whole number from 0 to 10"),
    ],
)
def test_ratings_that_are_refused_say_why(raw: str | None, required: bool, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        rules.parse_rating(raw, required=required)


@pytest.mark.parametrize(
    ("before", "after", "drop", "words"),
    [
        (7, 4, 3, "down 3 points"),
        (5, 4, 1, "down 1 point"),
        (3, 3, 0, "no change"),
        (2, 3, -1, "up 1 point"),
        (0, 10, -10, "up 10 points"),
        (6, None, None, "not rated afterwards"),
    ],
)
def test_change_in_distress(before: int, after: int | None, drop: int | None, words: str) -> None:
    assert rules.drop(before, after) == drop
    assert rules.change_words(before, after) == words


@pytest.mark.parametrize(
    ("before", "after", "message", "still_hard"),
    [
        (8, 5, "Your distress came down 3 points.", False),
        (2, 1, "Your distress came down 1 point.", False),
        (5, 5, "Your distress stayed the same.", True),
        (4, 6, "Your distress went up 2 points.", True),
    ],
)
def test_what_the_client_reads_after_rating(
    before: int, after: int, message: str, still_hard: bool
) -> None:
    assert rules.result_message(before, after).startswith(message)
    assert rules.still_hard(before, after) is still_hard


def test_stopping_early_points_gently_to_other_support() -> None:
    assert rules.still_hard(7, None)


@pytest.mark.parametrize(
    ("since_start", "finished", "ratable"),
    [
        (timedelta(minutes=5), False, True),
        (rules.RATE_LATER_WITHIN, False, True),
        (rules.RATE_LATER_WITHIN + timedelta(seconds=1), False, False),
        (timedelta(minutes=5), True, False),
    ],
)
def test_an_exercise_can_be_rated_later_for_a_while(
    since_start: timedelta, finished: bool, ratable: bool
) -> None:
    finished_at = T0 + timedelta(minutes=2) if finished else None
    assert rules.can_rate_later(T0, finished_at, T0 + since_start) is ratable


@pytest.mark.parametrize(
    ("seconds", "minutes"),
    [(None, None), (0, 1), (20, 1), (89, 1), (91, 2), (600, 10)],
)
def test_minutes_an_exercise_took(seconds: int | None, minutes: int | None) -> None:
    end = None if seconds is None else T0 + timedelta(seconds=seconds)
    assert rules.minutes_between(T0, end) == minutes


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(9, 4), "2.3"),  # halves round up
        (Fraction(41, 20), "2.1"),
        (2.0, "2"),
        (Fraction(1, 3), "0.3"),
        (0, "0"),
        (Fraction(-5, 4), "-1.3"),
        (Fraction(-1, 20), "-0.1"),
        (Fraction(1, 40), "0"),
    ],
)
def test_one_decimal(value: Fraction | float, text: str) -> None:
    assert rules.one_decimal(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(1, "1 point"), (Fraction(21, 20), "1.1 points"), (0, "0 points"), (2.5, "2.5 points")],
)
def test_points(value: Fraction | float, text: str) -> None:
    assert rules.points(value) == text


ORDER = ("a", "b", "c", "d")


def test_summaries_average_rated_sessions_only_in_the_toolkits_order() -> None:
    sessions = [
        S("b", 8, 5),
        S("b", 6, 4),
        S("b", 9, None),  # started, never rated: counted as started only
        S("a", 4, 4),
        S("retired", 5, 1),  # a tool no longer in the catalogue keeps its history
    ]
    got = {s.tool: s for s in rules.summarise(sessions, ORDER)}
    assert [s.tool for s in rules.summarise(sessions, ORDER)] == [*ORDER, "retired"]
    b = got["b"]
    assert (b.started, b.rated) == (3, 2)
    assert (b.mean_before, b.mean_after, b.mean_drop) == (
        Fraction(7),
        Fraction(9, 2),
        Fraction(5, 2),
    )
    assert (b.average_before, b.average_after, b.average_drop) == (7.0, 4.5, 2.5)
    assert (got["a"].rated, got["a"].mean_drop) == (1, Fraction(0))
    assert (got["c"].started, got["c"].rated, got["c"].mean_drop, got["c"].average_drop) == (
        0,
        0,
        None,
        None,
    )
    assert got["retired"].mean_drop == 4


@pytest.mark.parametrize(
    ("sessions", "ranked", "helping"),
    [
        pytest.param([], [], [], id="nothing yet"),
        pytest.param([S("a", 9, 1)], [], [], id="one session is not enough"),
        pytest.param(
            [S("a", 9, 1), S("a", 9, None), S("a", 8, None)],
            [],
            [],
            id="unrated sessions do not count",
        ),
        pytest.param(
            [S("a", 6, 4), S("a", 6, 4), S("b", 8, 2), S("b", 8, 2)],
            ["b", "a"],
            ["b", "a"],
            id="largest average drop first",
        ),
        pytest.param(
            [S("a", 6, 4), S("a", 6, 4), S("b", 5, 3), S("b", 5, 3), S("b", 7, 5)],
            ["b", "a"],
            ["b", "a"],
            id="a tie goes to the more-used tool",
        ),
        pytest.param(
            [S("c", 6, 4), S("c", 6, 4), S("b", 5, 3), S("b", 5, 3)],
            ["b", "c"],
            ["b", "c"],
            id="equal averages and counts keep the catalogue order",
        ),
        pytest.param(
            # a: 7/3 = 2.33..., b: 23/10 = 2.3; both show as "2.3", but a helped more.
            [S("a", 5, 3), S("a", 5, 3), S("a", 5, 2)] + [S("b", 5, 3)] * 7 + [S("b", 5, 2)] * 3,
            ["a", "b"],
            ["a", "b"],
            id="exact averages, not rounded ones",
        ),
        pytest.param(
            [S("a", 3, 3), S("a", 3, 3), S("b", 2, 5), S("b", 2, 4), S("c", 6, 5), S("c", 6, 5)],
            ["c", "a", "b"],
            ["c"],
            id="tools that did not lower distress rank but are not shown as helping",
        ),
    ],
)
def test_what_helps_most(sessions: list[S], ranked: list[str], helping: list[str]) -> None:
    summaries = rules.summarise(sessions, ORDER)
    assert [s.tool for s in rules.ranking(summaries)] == ranked
    assert [s.tool for s in rules.helping(summaries)] == helping


@pytest.mark.parametrize(
    ("sessions", "line"),
    [
        ([], "Not tried yet."),
        ([S("a", 5, None)], "Started once, with no rating afterwards yet."),
        ([S("a", 5, None), S("a", 4, None)], "Started 2 times, with no rating afterwards yet."),
        ([S("a", 7, 4)], "Rated once: your distress went down 3 points."),
        ([S("a", 7, 6)], "Rated once: your distress went down 1 point."),
        ([S("a", 5, 5)], "Rated once: your distress stayed the same."),
        ([S("a", 4, 6)], "Rated once: your distress went up 2 points."),
        (
            [S("a", 7, 4), S("a", 6, 4), S("a", 9, None)],
            "Rated 2 times: on average your distress went down 2.5 points.",
        ),
        ([S("a", 4, 5), S("a", 5, 4)], "Rated 2 times: on average your distress stayed about"),
        ([S("a", 4, 5), S("a", 4, 6)], "Rated 2 times: on average your distress went up 1.5"),
        ([S("a", 4, 5), S("a", 5, 6)], "Rated 2 times: on average your distress went up 1 point."),
        (
            [S("a", 6, 5), S("a", 5, 4)],
            "Rated 2 times: on average your distress went down 1 point.",
        ),
    ],
)
def test_what_the_toolkit_says_has_helped(sessions: list[S], line: str) -> None:
    (summary,) = rules.summarise(sessions, ("a",))
    assert rules.summary_for_client(summary).startswith(line)


@pytest.mark.parametrize(
    ("seconds", "windows"),
    [
        ((4, 6), [(0, 40), (40, 100)]),
        ((4, 4, 4, 4), [(0, 25), (25, 50), (50, 75), (75, 100)]),
        ((4, 7, 8), [(0, 21.05), (21.05, 57.89), (57.89, 100)]),
    ],
)
def test_phase_windows(seconds: tuple[int, ...], windows: list[tuple[float, float]]) -> None:
    assert [(w.start, w.end) for w in rules.phase_windows(seconds)] == windows


@pytest.mark.parametrize("seconds", [(), (4, 0), (4, -1)])
def test_phase_windows_need_positive_lengths(seconds: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="positive"):
        rules.phase_windows(seconds)


# --- the stylesheet animates exactly what the catalogue says ---


def _keyframes(css: str, name: str) -> list[tuple[float, str]]:
    match = re.search(r"@keyframes " + re.escape(name) + r" \{(.*?)\}\s*\n", css)
    assert match, f"no @keyframes {name} in coping.css"
    frames = []
    for stops, body in re.findall(r"([\d.%, ]+)\{([^}]*)\}", match.group(1)):
        for stop in stops.split(","):
            if stop.strip():
                frames.append((float(stop.strip().rstrip("%")), body.strip()))
    return frames


def _visible_window(frames: list[tuple[float, str]]) -> tuple[float, float]:
    start = next(p for p, body in frames if "opacity: 1" in body)
    end = next((p for p, body in frames if p > start and "opacity: 0" in body), 100.0)
    return start, end


@pytest.mark.parametrize("pattern", catalogue.PATTERNS, ids=lambda p: p.id)
def test_the_pacer_css_follows_each_breathing_pattern(
    pattern: catalogue.BreathingPattern,
) -> None:
    css = CSS.read_text()
    assert f".coping-pattern-{pattern.id} {{ --cycle: {pattern.cycle_seconds}s; }}" in css
    windows = rules.phase_windows([p.seconds for p in pattern.phases])
    # Each phase's words show exactly during that phase.
    for n, window in enumerate(windows, start=1):
        frames = _keyframes(css, f"coping-{pattern.id}-{n}")
        assert _visible_window(frames) == (window.start, window.end)
        assert f".coping-pattern-{pattern.id} .coping-phase-label:nth-of-type({n})" in css
    # The circle is smallest at the start, full after breathing in, and back down after out.
    circle = dict(_keyframes(css, f"coping-{pattern.id}"))
    size = "scale(.45)"
    for phase, window in zip(pattern.phases, windows, strict=True):
        if phase.kind == "in":
            assert size in circle[window.start] and "scale(1)" in circle[window.end]
        if phase.kind == "out":
            assert "scale(1)" in circle[window.start] and size in circle[window.end]


def test_the_muscle_guide_css_matches_its_timings() -> None:
    css = CSS.read_text()
    total = catalogue.TENSE_SECONDS + catalogue.RELEASE_SECONDS
    share = round(100 * catalogue.TENSE_SECONDS / total, 2)
    assert f"--muscle-cycle: {total}s;" in css
    assert _visible_window(_keyframes(css, "coping-muscle-tense")) == (0, share)
    assert _visible_window(_keyframes(css, "coping-muscle-release")) == (share, 100)


def test_reduced_motion_swaps_animation_for_a_written_count() -> None:
    css = CSS.read_text()
    block = css.split("@media (prefers-reduced-motion: reduce)", 1)[1].split("\n}\n", 1)[0]
    assert ".coping-pacer" in block and ".coping-muscle-guide" in block
    assert "display: none" in block and ".coping-count" in block


# --- the catalogue ---


def test_every_tool_has_a_unique_short_id_and_its_text() -> None:
    assert len(set(catalogue.TOOL_IDS)) == len(catalogue.TOOLS)
    families = {f.id for f in catalogue.FAMILIES}
    for tool in catalogue.TOOLS:
        assert re.fullmatch(r"[a-z0-9-]+", tool.id) and len(tool.id) <= catalogue.MAX_TOOL_ID
        assert tool.id != "history"  # /me/coping/history is a page, not a tool
        assert tool.family in families and tool.name and tool.description and tool.intro
        assert (tool.pattern is not None) == (tool.kind == "breathing")
        steps = catalogue.exercise_steps(tool, {})
        ids = [s.id for s in steps]
        assert len(set(ids)) == len(ids) and "after" not in ids
    grouped = [t.id for group in catalogue.by_family() for t in group.tools]
    assert sorted(grouped) == sorted(catalogue.TOOL_IDS)  # every tool in exactly one family
    assert catalogue.name_of("box-breathing") == "Box breathing"
    assert catalogue.name_of("gone") == "gone"


def test_breathing_patterns_in_words() -> None:
    assert catalogue.BOX.summary == "In for 4, hold for 4, out for 4, hold for 4"
    assert catalogue.FOUR_SEVEN_EIGHT.summary == "In for 4, hold for 7, out for 8"
    assert catalogue.LONG_EXHALE.cycle_seconds == 10


def test_grounding_goes_through_the_senses_five_to_one() -> None:
    titles = [s.title for s in catalogue.GROUNDING_STEPS[:5]]
    assert [t.split()[0] for t in titles] == ["Five", "Four", "Three", "Two", "One"]
    assert all(s.jot for s in catalogue.GROUNDING_STEPS[:5])


def test_muscle_relaxation_cautions_and_goes_one_area_at_a_time() -> None:
    tool = catalogue.BY_ID["muscle-relaxation"]
    assert tool.caution and "Skip any area that hurts" in tool.caution
    assert sum(s.kind == "muscle" for s in tool.steps) >= 8


def test_the_calm_place_weaves_in_the_clients_own_words() -> None:
    words = {"name": "Gran's kitchen", "sounds": "the kettle", "cue": "toast"}
    steps = {s.id: s for s in catalogue.calm_place_steps(words)}
    assert steps["arrive"].words == "Gran's kitchen"
    assert steps["hear"].words == "the kettle"
    assert steps["cue"].words == "toast" and "use it to come back" in steps["cue"].after[0]
    assert steps["see"].words is None and steps["see"].text  # a gentle prompt stands in
    bare = {s.id: s for s in catalogue.calm_place_steps({"name": "  "})}
    assert bare["arrive"].words is None
    assert "You might choose a word" in bare["cue"].text[0] and bare["cue"].after == ()


def test_no_published_script_is_reproduced() -> None:
    text = " ".join(
        " ".join((*s.text, *s.after, s.title))
        for t in catalogue.TOOLS
        for s in catalogue.exercise_steps(t, {})
    ).lower()
    # Well-known lines from published self-compassion scripts must not appear verbatim.
    for line in (
        "this is a moment of suffering",
        "suffering is a part of life",
        "may i be kind to myself",
        "may i give myself the compassion",
    ):
        assert line not in text
