"""How fast questionnaires score, relative to summing the same answers by hand.

The baseline is the least work any scorer must do (add up the codes); the ratio
says what validation, reversal, bands, subscales and flags cost on top of it.
"""

from __future__ import annotations

import random
import timeit

from mend.measures.definitions import Instrument, default_registry
from mend.measures.scoring import score


def _answers(rng: random.Random, codes: list[list[int]]) -> list[int | None]:
    return [rng.choice(c) for c in codes]


def run(rounds: int = 5, per_round: int = 2000) -> None:
    rng = random.Random(7)
    print(f"{'instrument':<10} {'scores/s':>10} {'x baseline sum':>15}")
    for instrument in default_registry().all():
        if instrument.scoring.method == "asq":
            samples: list[list[int | None]] = [[0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 0, 1, 1]]
        else:
            codes = [list(instrument.option_codes(item)) for item in instrument.items]
            samples = [_answers(rng, codes) for _ in range(50)]

        def scorer(
            samples: list[list[int | None]] = samples, instrument: Instrument = instrument
        ) -> None:
            for answers in samples:
                score(instrument, answers)

        def baseline(samples: list[list[int | None]] = samples) -> None:
            for answers in samples:
                sum(a for a in answers if a is not None)

        loops = max(1, per_round // len(samples))
        mine = min(timeit.repeat(scorer, number=loops, repeat=rounds))
        base = min(timeit.repeat(baseline, number=loops, repeat=rounds))
        per_second = loops * len(samples) / mine
        print(f"{instrument.id:<10} {per_second:>10,.0f} {mine / base:>15.1f}")
