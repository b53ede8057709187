"""How fast thinking traps are suggested, relative to lower-casing and splitting the same thoughts.

The baseline is the least work any text feature needs (``thought.lower().split()``); the ratio
says what the rules, the model and the noisy-OR cost on top of it. The model's one-off training
(on first use in a process) is timed separately, since a server pays it once, not per thought.
"""

from __future__ import annotations

import time
import timeit

from mend.language import traps_model
from mend.language.traps import suggest


def run(rounds: int = 5) -> None:
    # Mend's own labelled thoughts: realistic lengths and wording, and always available.
    thoughts = [example.thought for example in traps_model.load_examples()]

    traps_model.default_model.cache_clear()
    started = time.perf_counter()
    traps_model.default_model()
    training = time.perf_counter() - started

    def suggester() -> None:
        for thought in thoughts:
            suggest(thought)

    def baseline() -> None:
        for thought in thoughts:
            thought.lower().split()

    mine = min(timeit.repeat(suggester, number=1, repeat=rounds))
    base = min(timeit.repeat(baseline, number=max(1, rounds), repeat=rounds)) / max(1, rounds)
    print(f"{'traps':<10} {'thoughts/s':>10} {'x baseline split':>17} {'training s':>11}")
    print(f"{'suggest':<10} {len(thoughts) / mine:>10,.0f} {mine / base:>17.0f} {training:>11.2f}")


if __name__ == "__main__":
    run()
