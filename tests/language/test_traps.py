"""The thinking-trap suggester: catalogue, suggestions, the model's training, and `mend traps`.

Every thought here was written for these tests. None is in Mend's training examples (a test
checks), so passing means the suggester generalises rather than remembers.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from mend.language import traps_rules
from mend.language.traps import MAX_SUGGESTIONS, THRESHOLD, Suggestions, choose, suggest
from mend.language.traps_catalogue import CATALOGUE, TRAP_IDS, Trap, trap
from mend.language.traps_command import register
from mend.language.traps_model import (
    Example,
    ExamplesError,
    default_model,
    load_examples,
    parse_examples,
    train,
)

EXPECTED_IDS = (
    "all-or-nothing",
    "overgeneralizing",
    "mental-filter",
    "discounting-positive",
    "mind-reading",
    "fortune-telling",
    "catastrophizing",
    "emotional-reasoning",
    "should-statements",
    "labeling",
    "personalizing",
    "blaming",
    "comparing",
)

# One clear thought per trap, in a client's words, each expected to get its trap.
CLEAR_EXAMPLES = [
    ("all-or-nothing", "He didn't call on my birthday, so the whole friendship was fake."),
    ("overgeneralizing", "I wasn't picked again. Nobody ever chooses me for anything."),
    (
        "mental-filter",
        "The reunion was lovely, but I keep replaying the moment my cousin ignored me.",
    ),
    ("discounting-positive", "She said my cooking was great but she was only being kind."),
    ("mind-reading", "My flatmate shut her door when I got home. She must think I'm irritating."),
    ("fortune-telling", "I'll never be able to trust a partner again."),
    ("catastrophizing", "If my girlfriend leaves, I won't survive it."),
    ("emotional-reasoning", "I feel like such a disappointment, so I must be one."),
    ("should-statements", "I should have seen that he was using me."),
    ("labeling", "I forgot my friend's leaving drinks. I'm a useless friend."),
    ("personalizing", "My brother relapsed, and it's my fault for not calling him more."),
    ("blaming", "My ex is the reason I can't be happy."),
    ("comparing", "Everyone in my year has a better job than me."),
]

NEUTRAL = [
    "I'm meeting a friend for coffee on Saturday.",
    "I went to the shop and bought some bread.",
    "The train was delayed by ten minutes this morning.",
    "I had a chat with my manager about my rota.",
    "I'm making pasta for dinner tonight.",
    "My sister is coming to stay next month.",
    "I felt a bit sad after the phone call, which makes sense.",
    "",
    "   ",
]


# --- the catalogue ---


def test_catalogue_has_exactly_the_thirteen_traps_in_order() -> None:
    assert TRAP_IDS == EXPECTED_IDS
    assert len({t.id for t in CATALOGUE}) == 13


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda t: t.id)
def test_each_trap_has_plain_words_for_a_phone(entry: Trap) -> None:
    assert entry is trap(entry.id)
    for text in (entry.name, entry.explanation, entry.example, entry.question):
        assert text.strip() == text and text, entry
        assert "\n" not in text
    # One line on a phone: a sentence or two, not a paragraph.
    assert len(entry.explanation) <= 170
    assert len(entry.name) <= 30
    assert entry.question.endswith("?")


def test_trap_names_are_distinct_and_unknown_ids_are_refused() -> None:
    assert len({t.name for t in CATALOGUE}) == 13
    with pytest.raises(KeyError):
        trap("negative-thinking")


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda t: t.id)
def test_catalogue_example_gets_its_own_trap(entry: Trap) -> None:
    assert entry.id in suggest(entry.example).traps


# --- suggestions ---


@pytest.mark.parametrize(("trap_id", "thought"), CLEAR_EXAMPLES, ids=[t for t, _ in CLEAR_EXAMPLES])
def test_a_clear_example_gets_its_trap(trap_id: str, thought: str) -> None:
    result = suggest(thought)
    assert trap_id in result.traps, result.to_json_dict()


def test_clear_examples_cover_every_trap_and_are_not_training_examples() -> None:
    assert {t for t, _ in CLEAR_EXAMPLES} == set(TRAP_IDS)
    known = {e.thought.lower() for e in load_examples()}
    for _, thought in CLEAR_EXAMPLES:
        assert thought.lower() not in known
    for thought in NEUTRAL:
        assert thought.lower() not in known


@pytest.mark.parametrize("thought", NEUTRAL)
def test_a_neutral_thought_gets_no_trap(thought: str) -> None:
    result = suggest(thought)
    assert result.traps == (), result.to_json_dict()
    assert result.evidence == {}


def test_scores_cover_every_trap_and_traps_follow_the_policy() -> None:
    result = suggest("Everyone at work thinks I'm useless and they always will.")
    assert list(result.scores) == list(TRAP_IDS)
    assert all(0.0 <= s <= 1.0 for s in result.scores.values())
    assert result.traps == choose(result.scores)
    assert 0 < len(result.traps) <= MAX_SUGGESTIONS
    confidences = [result.scores[t] for t in result.traps]
    assert confidences == sorted(confidences, reverse=True)
    assert all(c >= THRESHOLD for c in confidences)


def test_choose_caps_ties_and_threshold() -> None:
    scores = dict.fromkeys(TRAP_IDS, 0.9)
    assert choose(scores) == TRAP_IDS[:MAX_SUGGESTIONS]  # ties keep catalogue order
    assert choose({"labeling": THRESHOLD, "blaming": THRESHOLD - 1e-9}) == ("labeling",)
    assert choose({}) == ()


def test_evidence_quotes_the_clients_words_and_says_why() -> None:
    thought = "I’m such a loser, everyone else has a better life than me."  # curly apostrophe
    result = suggest(thought)
    assert {"labeling", "comparing"} <= set(result.traps)
    assert set(result.evidence) <= set(result.traps)
    for items in result.evidence.values():
        assert items
        for item in items:
            assert item.words in thought
            assert item.why
    assert any(e.words == "I’m such a loser" for e in result.evidence["labeling"])


def test_a_thought_about_self_harm_gets_no_trap() -> None:
    for thought in ("I want to kill myself", "everyone would be better off dead without me"):
        result = suggest(thought)
        assert result.withheld
        assert result.traps == ()
        assert result.evidence == {}
    assert not suggest("I want to end it with my boyfriend").withheld


def test_json_form() -> None:
    result = suggest("My boss must think I'm lazy.")
    data = json.loads(json.dumps(result.to_json_dict()))
    assert data["traps"] == list(result.traps)
    assert set(data["scores"]) == set(TRAP_IDS)
    assert data["withheld"] is False
    assert data["evidence"]["mind-reading"][0]["words"]
    assert isinstance(result, Suggestions)


# --- rules ---


def test_every_rule_names_a_known_trap_with_a_weight_and_reason() -> None:
    for rule in traps_rules.RULES:
        assert rule.trap in TRAP_IDS
        assert 0.0 < rule.weight < 1.0
        assert rule.why
    assert {r.trap for r in traps_rules.RULES} == set(TRAP_IDS)


@pytest.mark.parametrize(
    ("thought", "trap_id", "present"),
    [
        ("I'll never be loved", "fortune-telling", True),
        # A prediction is fortune telling; overgeneralizing reads a rule from the past.
        ("I'll never be loved", "overgeneralizing", False),
        ("I never get picked", "overgeneralizing", True),
        ("I think I'm stupid", "mind-reading", False),
        ("they think I'm stupid", "mind-reading", True),
        ("The exam makes me nervous", "blaming", False),
        ("He makes me feel small", "blaming", True),
        ("im such an idiot", "labeling", True),
    ],
)
def test_rule_table(thought: str, trap_id: str, present: bool) -> None:
    assert any(hit.trap == trap_id for hit in traps_rules.match(thought)) is present


# --- the model and its examples ---


def test_shipped_examples_cover_every_trap_and_plenty_of_no_trap() -> None:
    examples = load_examples()
    assert len(examples) >= 600
    for trap_id in TRAP_IDS:
        assert sum(trap_id in e.traps for e in examples) >= 35, trap_id
    assert sum(not e.traps for e in examples) >= 150
    assert len({e.thought.lower() for e in examples}) == len(examples)


def test_parse_examples_reports_the_bad_line() -> None:
    good = parse_examples(["# comment", "", "labeling,blaming\tHe's a jerk", "-\tA walk"])
    assert good == [
        Example("He's a jerk", frozenset({"labeling", "blaming"})),
        Example("A walk", frozenset()),
    ]
    with pytest.raises(ExamplesError, match="line 2: unknown trap id"):
        parse_examples(["-\tfine", "lableing\tI'm a mess"])
    with pytest.raises(ExamplesError, match="line 1"):
        parse_examples(["labeling I'm a mess"])


def test_training_learns_from_a_handful_of_examples() -> None:
    examples = [
        Example("she left me forever", frozenset({"catastrophizing"})),
        Example("my life is ruined forever", frozenset({"catastrophizing"})),
        Example("we went for a walk", frozenset()),
        Example("we had lunch in the park", frozenset()),
    ]
    model = train(examples)
    column = TRAP_IDS.index("catastrophizing")
    assert model.scores("ruined forever")[column] > 0.5 > model.scores("lunch walk")[column]
    # A trap with no examples has nothing to learn and stays low.
    assert model.scores("ruined forever")[TRAP_IDS.index("labeling")] < 0.5
    with pytest.raises(ValueError):
        train([])


def test_default_model_is_built_once_and_scores_every_trap() -> None:
    assert default_model() is default_model()
    scores = default_model().scores("")
    assert scores.shape == (13,)
    assert np.all((scores >= 0) & (scores <= 1))


# --- the command ---


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A stand-in for the `mend` command."""

    register(app)
    return app


def test_command_writes_one_json_line_per_thought() -> None:
    thoughts = ["Nobody ever asks how I am.", "", "I'm going for a run.", "I want to die"]
    result = CliRunner().invoke(_app(), ["traps"], input="\n".join(thoughts) + "\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(thoughts)
    rows = [json.loads(line) for line in lines]
    for row in rows:
        assert isinstance(row["traps"], list)
        assert set(row["scores"]) == set(TRAP_IDS)
    assert "overgeneralizing" in rows[0]["traps"]
    assert rows[1]["traps"] == [] and rows[2]["traps"] == []
    assert rows[3]["withheld"] is True and rows[3]["traps"] == []


def test_command_help_describes_the_output() -> None:
    result = CliRunner().invoke(_app(), ["traps", "--help"])
    assert result.exit_code == 0
    assert re.search(r"one\s+thought\s+per\s+line", result.output)
