"""Crisis-language screening of everything a client writes. Pure: no database, no web.

`screen(text)` returns a `Screening`: a level and the evidence behind it, each piece naming the
exact words (character span and text), the rule that matched and a description a clinician
can read. Matches the context rules out (negated, about someone else, figurative, a
safety-plan hypothetical, long past) are listed separately under `set_aside`, with the reason,
so a clinician can see why something was not flagged. The software never diagnoses: a level is
a prompt for the clinician, who decides.

Levels
    ``urgent``  intent, plan, method, preparation, farewell, a recent or undated attempt or
                recent self-harm; suicidal thoughts the writer says are happening right now.
    ``concern`` passive wish to be dead, hopelessness about living, perceived burdensomeness
                ("better off without me"), suicidal thoughts without method or intent,
                self-harm thoughts or urges not acted on, and past attempts or self-harm
                described as long ago or resolved.
    ``none``    nothing above, or only matches that were set aside.

Clinical sources (concepts only; no questionnaire wording is reproduced), as summarised in the
project's instrument reference:
    - Columbia-Suicide Severity Rating Scale, screen version (Posner et al., Am J Psychiatry
      2011): wish to be dead; non-specific active thoughts; thoughts with method; intent; plan
      with intent; suicidal behaviour, with behaviour in the past three months triaged as high
      risk and earlier behaviour as moderate.
    - Ask Suicide-Screening Questions, NIMH (Horowitz et al., Arch Pediatr Adolesc Med 2012):
      wished you were dead; others better off if you were dead; thoughts of killing yourself;
      ever tried; thoughts right now (acuity).

Decisions on ambiguous writing (see also the rule descriptions in `rules.py`):
    - Past attempts and past self-harm stay `concern` even with a clear resolution ("years ago I
      tried to end my life, I'm in a much better place now"): a past attempt is the strongest
      single risk factor, the ASQ counts any past attempt as a positive screen, and the
      C-SSRS triages behaviour older than three months as moderate risk. They never raise
      `urgent` unless described as recent. An undated attempt is taken as recent.
    - Past wishes or thoughts without behaviour, framed as long ago or resolved ("when I was
      fifteen I wanted to die; I like my life now"), are set aside: both instruments ask about
      current or recent ideation only.
    - "Disappear" counts only with permanence ("disappear forever", "stop existing"); wanting
      to disappear from a group chat, a party or for a weekend is withdrawal, not a death wish.
    - Someone else's words are set aside: a friend's disclosure, a character, a quotation, a
      bully telling the writer to kill themselves. The writer's worry is real but it is not
      their own crisis language; a clinician reads the entry in context.
    - A stated wish to kill oneself ("I want to kill myself") is `urgent`: in free text there
      is no follow-up question to separate a wish from an intent.
    - A joking marker ("kms lol") lowers `urgent` to `concern`, never to `none`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from mend.language.crisis.context import (
    GUARD_DESCRIPTIONS,
    SILENT,
    CompiledRule,
    Sentences,
    judge,
)
from mend.language.crisis.gate import collapsed, may_match
from mend.language.crisis.rules import RULES, Level

LEVELS: tuple[Level, ...] = ("none", "concern", "urgent")
"""Levels from least to most severe; compare with `level_rank`."""

_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def level_rank(level: str) -> int:
    """0 for none, 1 for concern, 2 for urgent; raises KeyError for anything else."""
    return _RANK[level]


def max_level(levels: tuple[Level, ...] | list[Level]) -> Level:
    """The most severe of `levels` (``none`` for an empty sequence)."""
    return max(levels, key=_RANK.__getitem__, default="none")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Words that raised the level: where they are, what they say and which rule saw them."""

    rule: str
    description: str
    level: Level
    start: int
    end: int
    text: str
    note: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "description": self.description,
            "level": self.level,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SetAside:
    """Words a rule matched that the context ruled out, with the reason and the deciding cue."""

    rule: str
    description: str
    start: int
    end: int
    text: str
    guard: str
    reason: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "description": self.description,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "guard": self.guard,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Screening:
    """The level of one text, the evidence that raised it, and what the context set aside."""

    level: Level
    evidence: tuple[Evidence, ...] = ()
    set_aside: tuple[SetAside, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "evidence": [e.to_json_dict() for e in self.evidence],
            "set_aside": [s.to_json_dict() for s in self.set_aside],
        }


NOTHING = Screening("none")

_COMPILED: tuple[CompiledRule, ...] = tuple(CompiledRule.of(rule) for rule in RULES)
# Typographic quotes and dashes become their plain forms, one character for one, so the
# patterns stay simple and every span still points at the client's own text.
_PLAIN = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " ",
    }
)  # fmt: skip


def screen(text: str) -> Screening:
    """Screen one piece of a client's writing for suicide and self-harm language."""
    if not text or not text.strip():
        return NOTHING
    plain = text.translate(_PLAIN)
    lower = plain.lower()
    if len(lower) != len(plain):  # a few letters (e.g. "İ") lower-case to two characters
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in plain)
    gate_text = collapsed(lower)
    found = [
        (compiled_rule, m.start(), m.end())
        for compiled_rule in _COMPILED
        if may_match(gate_text, compiled_rule.fragments)
        for m in compiled_rule.regex.finditer(lower)
    ]
    if not found:
        return NOTHING
    sentences = Sentences(plain)
    counted: list[Evidence] = []
    ruled_out: list[SetAside] = []
    for compiled_rule, start, end in found:
        rule = compiled_rule.rule
        verdict = judge(compiled_rule, sentences, start, end)
        words = text[start:end]
        if verdict.level is not None:
            counted.append(
                Evidence(rule.id, rule.description, verdict.level, start, end, words, verdict.note)
            )
        elif verdict.guard is not None and verdict.guard not in SILENT:
            reason = GUARD_DESCRIPTIONS[verdict.guard]
            if verdict.cue:
                reason = f"{reason} (cue: '{verdict.cue}')"
            ruled_out.append(
                SetAside(rule.id, rule.description, start, end, words, verdict.guard, reason)
            )
    evidence = _most_specific(counted, ())
    set_aside = _most_specific(ruled_out, evidence)
    return Screening(max_level([e.level for e in evidence]), evidence, set_aside)


_Span = TypeVar("_Span", Evidence, SetAside)


def _most_specific(spans: list[_Span], taken: tuple[Evidence, ...]) -> tuple[_Span, ...]:
    """Where matches overlap, keep the longest (the most specific reading: "thinking about
    killing myself" is thoughts, not the intent inside it); of two the same length, the one
    starting earlier, which carries the qualifier ("almost cut" over "cut tonight")."""
    ordered = sorted(spans, key=lambda s: (s.start - s.end, s.start))
    kept: list[_Span] = []
    occupied: list[tuple[int, int]] = [(e.start, e.end) for e in taken]
    for span in ordered:
        if all(span.end <= start or span.start >= end for start, end in occupied):
            kept.append(span)
            occupied.append((span.start, span.end))
    kept.sort(key=lambda s: s.start)
    return tuple(kept)
