"""How fast crisis-language screening runs, relative to a plain keyword scan of the same texts.

The texts are journal-length entries (about 300 to 1,200 characters) built from the project's
own labelled journal sentences (tests/language/data/crisis_dev.jsonl), in a realistic mix:
most entries are ordinary writing about rejection, some carry hard negatives (negations,
figures of speech, other people), a few carry risk language. The baseline is the least any
screener must do: lower-case the text once and look for a handful of keywords with `in`. The
ratio says what context (negation, subject, tense, figurative use) and evidence cost on top of
that; absolute figures on a shared machine are noise.
"""

from __future__ import annotations

import json
import random
import timeit
from pathlib import Path

from mend.language.crisis import screen

_DEV_SET = Path(__file__).resolve().parents[1] / "tests" / "language" / "data" / "crisis_dev.jsonl"
_KEYWORDS = (
    "suicide", "suicidal", "kill myself", "kms", "want to die", "end my life", "end it all",
    "self harm", "self-harm", "cut myself", "overdose", "better off without me", "goodbye",
    "no reason to live", "wish i was dead", "unalive",
)  # fmt: skip


def _entries(rng: random.Random, count: int) -> list[str]:
    with _DEV_SET.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    ordinary = [r["text"] for r in rows if r["level"] == "none" and "ordinary" in r["note"]]
    hard = [r["text"] for r in rows if r["level"] == "none" and "ordinary" not in r["note"]]
    risky = [r["text"] for r in rows if r["level"] != "none"]
    entries = []
    for _ in range(count):
        target = rng.randint(300, 1200)
        # About one entry in ten carries risk language, one in four a hard negative.
        pools = [ordinary] * 13 + [hard] * 5 + [risky] * 2
        parts: list[str] = []
        while sum(map(len, parts)) < target:
            parts.append(rng.choice(rng.choice(pools)))
        entries.append(" ".join(parts))
    return entries


def _baseline(texts: list[str]) -> None:
    for text in texts:
        lowered = text.lower()
        any(keyword in lowered for keyword in _KEYWORDS)


def _screen(texts: list[str]) -> None:
    for text in texts:
        screen(text)


def run(rounds: int = 5, entries: int = 400) -> None:
    texts = _entries(random.Random(7), entries)
    screen(texts[0])  # import-time compilation is not what is being measured
    mine = min(timeit.repeat(lambda: _screen(texts), number=1, repeat=rounds))
    base = min(timeit.repeat(lambda: _baseline(texts), number=1, repeat=rounds))
    characters = sum(map(len, texts)) / len(texts)
    print(
        f"crisis screening: {len(texts)} journal entries, {characters:,.0f} characters on average"
    )
    print(f"{'':<16} {'texts/s':>10} {'x baseline':>11}")
    print(f"{'keyword scan':<16} {len(texts) / base:>10,.0f} {1.0:>11.1f}")
    print(f"{'screen()':<16} {len(texts) / mine:>10,.0f} {mine / base:>11.1f}")


if __name__ == "__main__":
    run()
