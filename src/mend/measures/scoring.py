"""Score one completed questionnaire against its definition. Pure functions, no I/O.

Answers are the answer codes as printed on the form, in item order, ``None`` for a missing
answer. Reversing items is this module's job, never the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mend.measures.definitions import (
    MEAN_DECIMALS,
    Band,
    Instrument,
    Number,
    Subscale,
)

ASQ_NEGATIVE = "negative"
ASQ_NON_ACUTE = "non-acute positive"
ASQ_ACUTE = "acute positive"
_ASQ_RANKS = {ASQ_NEGATIVE: 0, ASQ_NON_ACUTE: 1, ASQ_ACUTE: 2}
_ASQ_SCREEN_ITEMS = 4
_ASQ_ACUITY_INDEX = 4

Extra = Mapping[str, int | float | bool | str | None]


class InvalidAnswers(ValueError):
    """The answers cannot belong to this instrument; the message is one line."""


@dataclass(frozen=True)
class SubscaleScore:
    score: int | float | None
    band: str | None = None
    band_rank: int | None = None


@dataclass(frozen=True)
class Flag:
    item: str
    number: int
    answer: int
    severity: str
    message: str
    official: bool


@dataclass(frozen=True)
class Score:
    instrument: str
    version: str
    total: int | float | None
    band: str | None
    band_rank: int | None
    subscales: Mapping[str, SubscaleScore]
    flags: tuple[Flag, ...]
    complete: bool
    missing: tuple[int, ...]
    """Item numbers without an answer."""
    item_scores: tuple[int | None, ...]
    """Per item, after reversal; None where missing."""
    extra: Extra = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "version": self.version,
            "total": self.total,
            "band": self.band,
            "band_rank": self.band_rank,
            "subscales": {
                key: {"score": sub.score, "band": sub.band, "band_rank": sub.band_rank}
                for key, sub in self.subscales.items()
            },
            "flags": [
                {
                    "item": flag.item,
                    "number": flag.number,
                    "answer": flag.answer,
                    "severity": flag.severity,
                    "message": flag.message,
                    "official": flag.official,
                }
                for flag in self.flags
            ],
            "complete": self.complete,
            "missing": list(self.missing),
            "item_scores": list(self.item_scores),
            "extra": dict(self.extra),
        }


def score(instrument: Instrument, answers: Sequence[int | None]) -> Score:
    _validate(instrument, answers)
    if instrument.scoring.method == "asq":
        return _score_asq(instrument, answers)
    item_scores = tuple(
        None if code is None else instrument.reversed_code(item, code)
        for item, code in zip(instrument.items, answers, strict=True)
    )
    numbers = [item.number for item in instrument.items]
    total = (
        _aggregate(instrument, numbers, item_scores, instrument.scoring.method)
        if instrument.scoring.total
        else None
    )
    band = _find_band(instrument.bands, total)
    subscales = {
        subscale.id: _score_subscale(instrument, subscale, answers, item_scores)
        for subscale in instrument.subscales
    }
    missing = tuple(n for n, code in zip(numbers, answers, strict=True) if code is None)
    return Score(
        instrument=instrument.id,
        version=instrument.version,
        total=total,
        band=band.label if band else None,
        band_rank=band.rank if band else None,
        subscales=subscales,
        flags=_flags(instrument, answers),
        complete=not missing,
        missing=missing,
        item_scores=item_scores,
        extra=_extra(instrument, total, answers),
    )


def extra_keys(instrument: Instrument) -> tuple[str, ...]:
    """The keys ``score(instrument, ...).extra`` always has, for tabular output."""
    keys: list[str] = []
    if instrument.scoring.percentage:
        keys.append("percentage")
    if instrument.cutoff is not None:
        keys.append("cutoff_met")
    if instrument.cluster_rule is not None:
        keys.append(instrument.cluster_rule.key)
    return tuple(keys)


# --- validation ---


def _validate(instrument: Instrument, answers: Sequence[int | None]) -> None:
    if len(answers) != len(instrument.items):
        raise InvalidAnswers(
            f"{instrument.name} needs {len(instrument.items)} answers, got {len(answers)}"
        )
    for item, code in zip(instrument.items, answers, strict=True):
        if code is None:
            continue
        allowed = instrument.option_codes(item)
        # bool is an int subclass; True must not pass as the code 1.
        if isinstance(code, bool) or not isinstance(code, int) or code not in allowed:
            codes = ", ".join(str(c) for c in sorted(allowed))
            raise InvalidAnswers(
                f"item {item.number}: {code!r} is not an answer code for this item "
                f"(allowed: {codes})"
            )
    if instrument.scoring.method == "asq" and _asq_all_no(answers) and answers[-1] == 1:
        raise InvalidAnswers(
            "item 5: answered yes although items 1-4 are all no, when item 5 is not asked"
        )


# --- sum / mean ---


def _aggregate(
    instrument: Instrument,
    numbers: Sequence[int],
    item_scores: Sequence[int | None],
    method: str,
) -> int | float | None:
    values = [item_scores[n - 1] for n in numbers]
    answered = [v for v in values if v is not None]
    if len(values) - len(answered) > instrument.scoring.missing.max_missing or not answered:
        return None
    if method == "mean":
        return _round(Decimal(sum(answered)) / Decimal(len(answered)), MEAN_DECIMALS)
    if len(answered) == len(values):
        return sum(answered)
    # Prorate (only reached when a definition allows missing answers): scale the mean of the
    # answered items up to the full item count, rounded half up to a whole point.
    prorated = _round(Decimal(sum(answered)) * len(values) / len(answered), 0)
    return int(prorated)


def _round(value: Decimal, decimals: int) -> float:
    # Decimal half-up, not float round(): binary floats round 2.675 down, which would move
    # scores across band boundaries unpredictably.
    return float(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _score_subscale(
    instrument: Instrument,
    subscale: Subscale,
    answers: Sequence[int | None],
    item_scores: Sequence[int | None],
) -> SubscaleScore:
    source = item_scores if subscale.apply_reverse else answers
    value = _aggregate(instrument, subscale.items, source, subscale.method)
    band = _find_band(subscale.bands, value)
    return SubscaleScore(
        score=value, band=band.label if band else None, band_rank=band.rank if band else None
    )


def _find_band(bands: Sequence[Band] | None, value: Number | None) -> Band | None:
    if bands is None or value is None:
        return None
    return next((band for band in bands if band.min <= value <= band.max), None)


# --- flags and extras ---


def _flags(instrument: Instrument, answers: Sequence[int | None]) -> tuple[Flag, ...]:
    # Flags use the answers as printed and fire even when the questionnaire is incomplete:
    # a risk answer must never be hidden by a missing answer elsewhere.
    flags = []
    for critical in instrument.critical_items:
        code = answers[critical.item - 1]
        if code is not None and critical.condition.matches(code):
            flags.append(
                Flag(
                    item=instrument.item_by_number(critical.item).id,
                    number=critical.item,
                    answer=code,
                    severity=critical.severity,
                    message=critical.message,
                    official=critical.official,
                )
            )
    return tuple(sorted(flags, key=lambda flag: flag.number))


def _extra(
    instrument: Instrument, total: int | float | None, answers: Sequence[int | None]
) -> dict[str, int | float | bool | str | None]:
    extra: dict[str, int | float | bool | str | None] = {}
    if instrument.scoring.percentage:
        extra["percentage"] = _percentage(instrument, total)
    if instrument.cutoff is not None:
        cutoff = instrument.cutoff
        if total is None:
            extra["cutoff_met"] = None
        elif cutoff.clinical_side == "at_or_above":
            extra["cutoff_met"] = total >= cutoff.value
        else:
            extra["cutoff_met"] = total <= cutoff.value
    if instrument.cluster_rule is not None:
        extra[instrument.cluster_rule.key] = _cluster_rule_met(instrument, answers)
    return extra


def _percentage(instrument: Instrument, total: int | float | None) -> int | float | None:
    if total is None or instrument.scoring.range is None:
        return None
    low, high = instrument.scoring.range
    value = Decimal(str(total - low)) * 100 / Decimal(str(high - low))
    return int(value) if value == value.to_integral_value() else _round(value, MEAN_DECIMALS)


def _cluster_rule_met(instrument: Instrument, answers: Sequence[int | None]) -> bool | None:
    rule = instrument.cluster_rule
    assert rule is not None
    subscales = {subscale.id: subscale for subscale in instrument.subscales}
    met = True
    for subscale_id, needed in rule.required.items():
        codes = [answers[n - 1] for n in subscales[subscale_id].items]
        if any(code is None for code in codes):
            return None
        endorsed = sum(1 for code in codes if code is not None and code >= rule.endorse_min)
        met = met and endorsed >= needed
    return met


# --- ASQ ---


def _asq_all_no(answers: Sequence[int | None]) -> bool:
    return all(code == 0 for code in answers[:_ASQ_SCREEN_ITEMS])


def _score_asq(instrument: Instrument, answers: Sequence[int | None]) -> Score:
    """NIMH rules: any yes to items 1-4, or a refusal to answer one, makes the screen positive;
    item 5 then decides acute vs non-acute. A missing answer is treated as a refusal."""
    screen = list(answers[:_ASQ_SCREEN_ITEMS])
    acuity = answers[_ASQ_ACUITY_INDEX]
    negative = _asq_all_no(answers)
    missing = [n for n, code in enumerate(screen, start=1) if code is None]
    if not negative and acuity is None:
        missing.append(_ASQ_ACUITY_INDEX + 1)
    if negative:
        # Item 5 is not asked after four "no" answers and is recorded as 0.
        acuity = 0
        band: str | None = ASQ_NEGATIVE
    elif acuity is None:
        band = None  # positive, but acuity unknown until item 5 is answered
    else:
        band = ASQ_ACUTE if acuity == 1 else ASQ_NON_ACUTE
    # The total counts yes answers to items 1-4; with one refused it is unknowable.
    answered = [code for code in screen if code is not None]
    total = sum(answered) if len(answered) == len(screen) else None
    return Score(
        instrument=instrument.id,
        version=instrument.version,
        total=total,
        band=band,
        band_rank=_ASQ_RANKS[band] if band else None,
        subscales={},
        flags=_flags(instrument, answers),
        complete=not missing,
        missing=tuple(missing),
        item_scores=(*screen, acuity),
        extra={},
    )
