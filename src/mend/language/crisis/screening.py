"""Screen a client's text: the learned model over sentence meaning, with the rules as a floor.

The level is the more severe of the model's and the rules': a rule can raise a level, never
lower the model's. Every result explains itself: the sentences the model scored (with its
probability of `urgent` and of any risk), the rules that matched and the matches the context
set aside, and, when only the model saw risk, the three labelled corpus texts most similar in
meaning, so a clinician can see why.

Fail safe: the model loads once per process, in the background (`warm_up`). A caller never
waits longer than `wait` seconds for it; if it is still loading, or failed to load, the text
is screened by the rules alone, the result says `rules only`, and the caller keeps the text
so it can be screened again once the model is back (`mend.safety.screening`). A failed load
is logged as an error and retried after `RETRY_SECONDS`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

from mend.language.crisis.model import ARTEFACT_DIR, Example, Heads, ModelResult
from mend.language.crisis.rule_screen import (
    LEVELS,
    NOTHING,
    Evidence,
    SetAside,
    level_rank,
    max_level,
)
from mend.language.crisis.rule_screen import screen as rule_screen
from mend.language.crisis.rules import Level
from mend.language.encoder.runtime import Encoder

log = logging.getLogger(__name__)

Mode = Literal["model and rules", "rules only", "rules by design"]
FULL: Mode = "model and rules"
RULES_ONLY: Mode = "rules only"  # the model was unavailable: screen again when it is back
RULES_BY_DESIGN: Mode = "rules by design"  # the caller asked for the rules alone
RULES_VERSION = "rules"
RETRY_SECONDS = 60.0
# How long a save may wait for a model that is still loading before it goes on with the rules
# alone (and the text is screened again later).
SAVE_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class ModelView:
    """What the model saw, for the clinician and the JSON output."""

    level: Level
    urgent: float
    risk: float
    threshold_urgent: float
    threshold_risk: float
    sentences: tuple[dict[str, Any], ...]
    similar: tuple[Example, ...]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "probabilities": {
                "urgent": round(self.urgent, 4),
                "concern_or_urgent": round(self.risk, 4),
            },
            "thresholds": {
                "urgent": round(self.threshold_urgent, 4),
                "concern_or_urgent": round(self.threshold_risk, 4),
            },
            "sentences": list(self.sentences),
            "similar": [e.__dict__ for e in self.similar],
        }


@dataclass(frozen=True)
class Screening:
    """The level of one text and everything behind it."""

    level: Level
    evidence: tuple[Evidence, ...] = ()
    set_aside: tuple[SetAside, ...] = ()
    mode: Mode = RULES_ONLY
    version: str = RULES_VERSION
    rules_level: Level = "none"
    model: ModelView | None = None

    @property
    def model_only(self) -> bool:
        """The model found risk the rules did not see (or saw as less severe)."""
        return self.model is not None and level_rank(self.model.level) > level_rank(
            self.rules_level
        )

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "mode": self.mode,
            "screener": self.version,
            "rules_level": self.rules_level,
            "model": self.model.to_json_dict() if self.model else None,
            "evidence": [e.to_json_dict() for e in self.evidence],
            "set_aside": [s.to_json_dict() for s in self.set_aside],
        }

    def model_evidence(self) -> list[dict[str, Any]]:
        """The model's findings as evidence items beside the rules' (same keys), so every
        alert shows the sentence that scored and why."""
        if self.model is None or self.model.level == "none":
            return []
        items = []
        for sentence in self.model.sentences:
            if sentence["level"] == "none":
                continue
            description = (
                f"Model ({sentence['level']}): P(urgent) {sentence['urgent']:.2f}, "
                f"P(concern or urgent) {sentence['risk']:.2f}"
            )
            if self.model_only and self.model.similar:
                nearest = "; ".join(f"“{e.text}” ({e.label})" for e in self.model.similar)
                description += f". Closest labelled examples: {nearest}"
            items.append(
                {
                    "rule": "model",
                    "description": description,
                    "level": sentence["level"],
                    "start": sentence["start"],
                    "end": sentence["end"],
                    "text": sentence["text"],
                    "note": "",
                }
            )
        return items


class _Loaded:
    def __init__(self, encoder: Encoder, heads: Heads) -> None:
        self.encoder = encoder
        self.heads = heads
        self.version = f"{encoder.version};{heads.version}"


class ModelHolder:
    """The crisis model of this process: loaded once, in the background, retried on failure."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._loaded: _Loaded | None = None
        self._loading = False
        self._failed_at: float | None = None
        self.error: str | None = None

    def start(self) -> None:
        """Begin loading in the background unless loaded, loading, or failed only recently."""
        with self._lock:
            if self._loaded is not None or self._loading:
                return
            if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_SECONDS:
                return
            self._loading = True
        threading.Thread(target=self._load, name="crisis-model-load", daemon=True).start()

    def _load(self) -> None:
        try:
            heads = Heads(ARTEFACT_DIR)
            encoder = Encoder.load(adapter=ARTEFACT_DIR / "adapter.npz")
            encoder.embed(["warming up"])  # the first call allocates; do it off the request path
            loaded = _Loaded(encoder, heads)
        except Exception as exc:  # any failure means: fall back to the rules, loudly
            log.error("crisis-language model could not load; screening by rules only: %s", exc)
            with self._lock:
                self._loading = False
                self._failed_at = time.monotonic()
                self.error = f"{type(exc).__name__}: {exc}"
            return
        with self._lock:
            self._loaded = loaded
            self._loading = False
            self._failed_at = None
            self.error = None
        self._ready.set()

    def get(self, wait: float) -> _Loaded | None:
        """The model, waiting at most `wait` seconds for a load in progress; None if not ready."""
        if self._loaded is not None:
            return self._loaded
        self.start()
        if wait > 0:
            deadline = time.monotonic() + wait
            while self._loaded is None and time.monotonic() < deadline:
                with self._lock:
                    if not self._loading:
                        break
                self._ready.wait(min(0.05, max(deadline - time.monotonic(), 0)))
        return self._loaded

    @property
    def failed(self) -> bool:
        return self.error is not None and self._loaded is None

    def reset(self) -> None:
        """Forget the loaded model (tests use this to simulate a missing model)."""
        with self._lock:
            self._loaded = None
            self._loading = False
            self._failed_at = None
            self.error = None
            self._ready.clear()


MODEL = ModelHolder()


def warm_up() -> None:
    """Start loading the model in the background (the server calls this at start-up)."""
    MODEL.start()


def screen(text: str, *, wait: float = SAVE_WAIT_SECONDS, use_model: bool = True) -> Screening:
    """Screen one piece of a client's writing for suicide and self-harm language.

    `use_model=False` screens by the rules alone, for writing the model was not trained to
    read (see `mend.safety.screening.RULES_ONLY_SOURCES`)."""
    rules = rule_screen(text)
    if not use_model:
        return Screening(
            rules.level,
            rules.evidence,
            rules.set_aside,
            RULES_BY_DESIGN,
            RULES_VERSION,
            rules.level,
        )
    if not text or not text.strip():
        return Screening("none", mode=FULL, version=current_version())
    loaded = MODEL.get(wait)
    if loaded is None:
        return Screening(
            rules.level, rules.evidence, rules.set_aside, RULES_ONLY, RULES_VERSION, rules.level
        )
    result = loaded.heads.score(loaded.encoder, text)
    view = _view(loaded.heads, result, rules.level)
    return Screening(
        max_level([result.level, rules.level]),  # type: ignore[list-item]
        rules.evidence,
        rules.set_aside,
        FULL,
        loaded.version,
        rules.level,
        view,
    )


def current_version() -> str:
    loaded = MODEL.get(0)
    return loaded.version if loaded else RULES_VERSION


def _view(heads: Heads, result: ModelResult, rules_level: str) -> ModelView:
    sentences: list[dict[str, Any]] = []
    for piece in result.pieces:
        level = heads.level(piece.urgent, max(piece.risk, piece.urgent))
        sentences.append(
            {
                "start": piece.start,
                "end": piece.end,
                "text": piece.text,
                "urgent": round(piece.urgent, 4),
                "risk": round(piece.risk, 4),
                "level": level,
            }
        )
    # When the text as a whole scored but no single sentence did, the whole text is the
    # sentence to show.
    if result.level != "none" and all(s["level"] == "none" for s in sentences):
        whole_level = heads.level(*result.whole)
        if whole_level != "none" and sentences:
            first, last = sentences[0], sentences[-1]
            text = " … ".join(s["text"] for s in sentences) if len(sentences) > 1 else first["text"]
            sentences = [
                {
                    "start": first["start"],
                    "end": last["end"],
                    "text": text,
                    "urgent": round(result.whole[0], 4),
                    "risk": round(result.whole[1], 4),
                    "level": whole_level,
                }
            ]
    similar: tuple[Example, ...] = ()
    if level_rank(result.level) > level_rank(rules_level):
        similar = tuple(heads.similar(result.strongest))
    return ModelView(
        result.level,  # type: ignore[arg-type]
        result.urgent,
        result.risk,
        heads.threshold_urgent,
        heads.threshold_risk,
        tuple(sentences),
        similar,
    )


__all__ = ["LEVELS", "NOTHING", "Screening", "screen", "warm_up"]
