"""Suggest thinking traps for an automatic thought from a client's thought record.

Pure: no database, no web. ``suggest(thought)`` returns the traps worth offering the client
(most confident first, often none), a 0..1 confidence for each of the thirteen traps, and for
each suggested trap the words that triggered a rule and why.

Two sources are combined, each built only from what Mend itself contains:

- ``traps_rules``: hand-written word patterns for each trap's textbook wording, each with a
  weight (Mend's judgement of how often that wording means the trap) and a reason to show;
- ``traps_model``: TF-IDF + logistic regression trained at first use on Mend's own labelled
  thoughts (``data/traps_examples.txt``), which covers wording the patterns miss.

They are combined as a "noisy OR": a trap is missed only if every source misses it, so
``score = 1 - (1 - model) * (1 - rule_1) * (1 - rule_2) ...``. Either a confident pattern or a
confident model is enough on its own, and agreeing hints add up. A trap is suggested at
``THRESHOLD`` or above.

Suggestions are prompts for the client to consider, never a verdict: at most
``MAX_SUGGESTIONS`` are offered, and a thought about suicide or self-harm gets none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from mend.language import traps_rules
from mend.language.traps_catalogue import TRAP_IDS
from mend.language.traps_model import TrapModel, default_model

THRESHOLD = 0.5
# More than three suggestions at once reads as a pile-on to a client in distress; the fourth
# and later are also the least likely to be right.
MAX_SUGGESTIONS = 3

# A thought about suicide or self-harm is not a thinking exercise: naming it "catastrophizing"
# would tell someone in danger that their distress is a distortion. Such thoughts get no
# suggestions (``withheld``), so the caller shows its crisis support instead. This is a narrow
# backstop on explicit wording, not a risk screen; the thought-record page should still run
# Mend's risk screening on every thought.
_SELF_HARM = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)?\s+my\s*self|end(?:ing)?\s+(?:it\s+all|my\s+(?:own\s+)?life)\b|"
    r"take\s+my\s+(?:own\s+)?life|(?:want|wanna|going|ready|deserve|need)\s+"
    r"(?:to\s+)?die|better\s+off\s+dead|rather\s+be\s+dead|(?:don'?t|do\s+not)\s+want\s+to\s+"
    r"(?:live|be\s+alive|exist|be\s+here\s+anymore|wake\s+up)|no\s+reason\s+to\s+live|"
    r"self[-\s]?harm\w*|(?:cut|cutting|hurt|hurting|harm|harming)\s+my\s*self|overdos\w*)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Words in the thought that matched a rule, and what that wording suggests."""

    words: str
    why: str

    def to_json_dict(self) -> dict[str, str]:
        return {"words": self.words, "why": self.why}


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What ``suggest`` found for one thought.

    ``traps``: ids at or above the threshold, most confident first (possibly empty).
    ``scores``: every trap's confidence 0..1, keyed by id in catalogue order.
    ``evidence``: for suggested traps that a rule matched, the matching words and why.
    A trap suggested by the model alone has no evidence entry.
    ``withheld``: the thought speaks of suicide or self-harm, so no trap is suggested
    whatever the scores (see ``_SELF_HARM``).
    """

    traps: tuple[str, ...]
    scores: Mapping[str, float]
    evidence: Mapping[str, tuple[Evidence, ...]]
    withheld: bool = False

    def to_json_dict(self) -> dict[str, object]:
        return {
            "traps": list(self.traps),
            "withheld": self.withheld,
            "scores": {trap_id: round(score, 3) for trap_id, score in self.scores.items()},
            "evidence": {
                trap_id: [item.to_json_dict() for item in items]
                for trap_id, items in self.evidence.items()
            },
        }


def suggest(thought: str, *, model: TrapModel | None = None) -> Suggestions:
    """Suggest thinking traps for one automatic thought.

    ``model`` replaces the shipped model, for evaluations that train on part of the examples.
    """
    if not thought.strip():
        return Suggestions((), dict.fromkeys(TRAP_IDS, 0.0), {})

    model_scores = (model or default_model()).scores(thought)
    missed = {trap_id: 1.0 - float(model_scores[i]) for i, trap_id in enumerate(TRAP_IDS)}
    hits = traps_rules.match(thought)
    for hit in hits:
        missed[hit.trap] *= 1.0 - hit.weight
    scores = {trap_id: 1.0 - missed[trap_id] for trap_id in TRAP_IDS}

    if _SELF_HARM.search(traps_rules.normalise(thought)):
        return Suggestions((), scores, {}, withheld=True)
    chosen = choose(scores)

    evidence: dict[str, tuple[Evidence, ...]] = {}
    for trap_id in chosen:
        # Strongest rule first, so a display that shows only one shows the best reason.
        own = sorted((h for h in hits if h.trap == trap_id), key=lambda h: -h.weight)
        if own:
            evidence[trap_id] = tuple(Evidence(h.words, h.why) for h in own)
    return Suggestions(chosen, scores, evidence)


def choose(scores: Mapping[str, float]) -> tuple[str, ...]:
    """The suggestion policy: traps at or above ``THRESHOLD``, most confident first, at most
    ``MAX_SUGGESTIONS``. Public so an evaluation can apply the same policy to other scorers."""
    ranked = sorted(
        (trap_id for trap_id in TRAP_IDS if scores.get(trap_id, 0.0) >= THRESHOLD),
        key=lambda trap_id: (-scores[trap_id], TRAP_IDS.index(trap_id)),
    )
    return tuple(ranked[:MAX_SUGGESTIONS])
