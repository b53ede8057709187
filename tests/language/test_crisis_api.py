"""The screener's public shape: evidence spans, levels, JSON, and the rule data itself."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from mend.language.crisis.context import CompiledRule
from mend.language.crisis.gate import collapsed, may_match, required_fragments
from mend.language.crisis.rule_screen import (
    LEVELS,
    NOTHING,
    Evidence,
    Screening,
    level_rank,
    max_level,
    screen,
)
from mend.language.crisis.rules import RULES

DATA = Path(__file__).parent / "data"


def test_evidence_names_the_exact_words_by_their_offsets_in_the_original_text() -> None:
    text = "Rough week.  Honestly I want to kill   myself tonight."
    result = screen(text)
    assert result.level == "urgent"
    [evidence] = result.evidence
    assert evidence.rule == "suicide.intent"
    assert text[evidence.start : evidence.end] == evidence.text == "kill   myself"
    assert evidence.description


def test_typographic_apostrophes_match_and_spans_still_point_at_the_client_text() -> None:
    text = "I don’t want to be alive anymore. I’m so tired."
    [evidence] = screen(text).evidence
    assert evidence.rule == "death-wish.passive"
    assert text[evidence.start : evidence.end] == evidence.text
    assert "’" in evidence.text


def test_letters_that_lower_case_to_two_characters_do_not_shift_spans() -> None:
    text = "İstanbul was lovely but I want to die."
    [evidence] = screen(text).evidence
    assert text[evidence.start : evidence.end] == evidence.text == "want to die"


def test_capitals_do_not_hide_a_match() -> None:
    assert screen("I WANT TO KILL MYSELF").level == "urgent"


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_screens_none_without_evidence(text: str) -> None:
    assert screen(text) is NOTHING
    assert NOTHING.to_json_dict() == {"level": "none", "evidence": [], "set_aside": []}


def test_the_level_is_the_most_severe_evidence() -> None:
    result = screen("I wish I was dead. I have the rope ready.")
    assert [e.level for e in result.evidence] == ["concern", "urgent"]
    assert result.level == "urgent"


def test_overlapping_matches_keep_the_most_specific_reading() -> None:
    # "killing myself" alone would read as intent; inside "thinking about ..." it is thoughts.
    result = screen("I keep thinking about killing myself.")
    assert [(e.rule, e.text) for e in result.evidence] == [
        ("suicide.thoughts", "thinking about killing myself")
    ]


def test_set_aside_matches_carry_the_guard_and_the_cue() -> None:
    result = screen("I would never kill myself.")
    assert result.level == "none"
    [aside] = result.set_aside
    assert (aside.rule, aside.guard, aside.text) == ("suicide.intent", "negated", "kill myself")
    assert "never" in aside.reason


def test_adjusted_levels_say_why_in_the_note() -> None:
    [evidence] = screen("kms lol, forgot my lines in class").evidence
    assert evidence.level == "concern"
    assert "joking" in evidence.note


def test_a_resolved_past_attempt_is_set_aside_with_the_reason() -> None:
    result = screen("Years ago I tried to end my life. I'm doing well now.")
    assert result.level == "none" and not result.evidence
    [aside] = result.set_aside
    assert aside.guard == "past" and "long past or resolved" in aside.reason


def test_to_json_dict_is_plain_json_with_every_field() -> None:
    data = screen("i want to die lol").to_json_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["level"] == "concern"
    assert set(data["evidence"][0]) == {"rule", "description", "level", "start", "end", "text",
                                        "note"}  # fmt: skip


def test_results_are_immutable() -> None:
    result = screen("I want to die.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = "none"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.evidence[0].text = "x"  # type: ignore[misc]
    assert isinstance(result, Screening) and isinstance(result.evidence[0], Evidence)


def test_level_helpers_order_none_concern_urgent() -> None:
    assert LEVELS == ("none", "concern", "urgent")
    assert [level_rank(level) for level in LEVELS] == [0, 1, 2]
    assert max_level(["concern", "none"]) == "concern"
    assert max_level(["concern", "urgent", "none"]) == "urgent"
    assert max_level([]) == "none"
    with pytest.raises(KeyError):
        level_rank("high")


def test_rules_have_unique_ids_readable_descriptions_and_lower_case_patterns() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.level in ("urgent", "concern")
        assert len(rule.description) > 40, rule.id
        assert re.fullmatch(r"[a-z-]+(\.[a-z-]+)+", rule.id), rule.id


def _texts() -> list[str]:
    texts = []
    for name in ("crisis_dev", "crisis_holdout"):
        with (DATA / f"{name}.jsonl").open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle]
    return texts


def test_the_fragment_gate_never_skips_a_rule_that_would_have_matched() -> None:
    # The gate is derived from each pattern's parse tree; this checks the derivation against
    # every labelled text, with and without the gate.
    texts = [text.lower() for text in _texts()]
    for rule in RULES:
        compiled = CompiledRule.of(rule)
        for text in texts:
            if compiled.regex.search(text):
                assert may_match(collapsed(text), compiled.fragments), (rule.id, text)


def test_most_rules_can_be_skipped_by_the_gate() -> None:
    gated = [rule.id for rule in RULES if CompiledRule.of(rule).fragments is not None]
    assert len(gated) >= len(RULES) - 2


def test_required_fragments_of_simple_patterns() -> None:
    assert required_fragments(r"\bkill\s+myself\b") == frozenset({"kill myself"})
    # "want" is too common to skip anything, so the gate keys on "die".
    assert required_fragments(r"\b(?:want|wish)\s+to\s+die\b") == frozenset({"to die"})
    assert required_fragments(r"\bno\s+one\s+cares\b") == frozenset({"no one cares"})
    # The parser factors "won't|wont" into "won" + ..., which every form contains.
    assert required_fragments(r"\b(?:won'?t|wont)\s+be\b") == frozenset({"won"})
    assert required_fragments(r"\b(?:a|b)\b") is None
