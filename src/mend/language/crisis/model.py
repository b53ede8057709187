"""The learned part of the crisis screener: small linear heads over sentence embeddings.

A text is cut into pieces (`mend.language.sentences`), each piece is embedded by the shared
encoder, and the text's own vector is the token-weighted mean of its pieces. Two logistic
heads read a vector: the probability that it is `urgent`, and that it carries any risk
(`concern` or `urgent`). A text's probability for each is the highest over its own vector
and every piece, so one sentence of risk in an ordinary entry is enough. Thresholds were
chosen on writers the heads had not seen (see `train.py`) for urgent recall of at least 0.97
and any-risk recall of at least 0.95.

The adapters, heads and thresholds are data in `artefact/` (`adapter.npz`, `head.npz`,
`head.json`), rebuilt from the corpus by `make train-screener` (training/crisis.py), and
`examples.npy` holds every corpus text's vector from the shipped model, to find the labelled
examples nearest a result. This module only reads them; given an encoder it does no I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from mend.language.sentences import split

ARTEFACT_DIR = Path(__file__).parent / "artefact"
CORPUS_DIR = Path(__file__).parent / "corpus"
HEADS = ("urgent", "risk")  # P(urgent), P(concern or urgent)

Vector = np.ndarray[Any, np.dtype[np.float32]]


class Embeds(Protocol):
    version: str

    def embed(self, texts: list[str]) -> Vector: ...


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    text: str
    urgent: float
    risk: float


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    similarity: float


@dataclass(frozen=True)
class ModelResult:
    level: str
    urgent: float  # the highest P(urgent) over the text and its pieces
    risk: float  # the highest P(concern or urgent)
    whole: tuple[float, float]  # (urgent, risk) for the text's own vector
    pieces: tuple[Piece, ...]
    strongest: Vector  # the vector that gave the highest score, for finding similar examples


def corpus_rows(folder: Path = CORPUS_DIR) -> list[dict[str, str]]:
    """Every labelled text of the training corpus, in a fixed order."""
    rows: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append(
                    {"text": row["text"], "label": row["label"], "category": row["category"]}
                )
    return rows


def corpus_hash(folder: Path = CORPUS_DIR) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def embed_texts(
    encoder: Embeds, texts: list[str]
) -> tuple[list[list[tuple[int, int]]], Vector, Vector]:
    """Pieces of each text, every piece's vector (in order) and each text's own vector."""
    spans = [split(t) or [(0, len(t))] for t in texts]
    pieces = [t[a:b] for t, s in zip(texts, spans, strict=True) for a, b in s]
    vectors = encoder.embed(pieces) if pieces else np.zeros((0, 384), dtype=np.float32)
    whole = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    at = 0
    for i, s in enumerate(spans):
        weights = np.array([max(b - a, 1) for a, b in s], dtype=np.float32)[:, None]
        mean = (vectors[at : at + len(s)] * weights).sum(axis=0)
        whole[i] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        at += len(s)
    return spans, vectors, whole


class Heads:
    """The trained heads, thresholds and the corpus vectors used to explain a result."""

    def __init__(self, folder: Path = ARTEFACT_DIR) -> None:
        with np.load(folder / "head.npz") as data:
            self.coef = data["coef"].astype(np.float32)  # (2, dims)
            self.intercept = data["intercept"].astype(np.float32)  # (2,)
        self.examples = np.load(folder / "examples.npy").astype(np.float32)  # (texts, dims)
        self.meta: dict[str, Any] = json.loads((folder / "head.json").read_text())
        self.threshold_urgent = float(self.meta["thresholds"]["urgent"])
        self.threshold_risk = float(self.meta["thresholds"]["risk"])
        digest = hashlib.sha256(self.coef.tobytes() + self.intercept.tobytes()).hexdigest()[:8]
        self.version = f"head@{digest}/corpus@{self.meta['corpus_hash']}"

    @cached_property
    def example_rows(self) -> list[dict[str, str]]:
        return corpus_rows()

    def probabilities(self, vectors: Vector) -> Vector:
        """(n, 2): P(urgent) and P(any risk) per vector."""
        logits = vectors @ self.coef.T + self.intercept
        probabilities: Vector = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return probabilities

    def level(self, urgent: float, risk: float) -> str:
        if urgent >= self.threshold_urgent:
            return "urgent"
        if risk >= self.threshold_risk:
            return "concern"
        return "none"

    def score(self, encoder: Embeds, text: str) -> ModelResult:
        spans, vectors, whole = embed_texts(encoder, [text])
        everything = np.vstack([whole, vectors])
        probs = self.probabilities(everything)
        pieces = tuple(
            Piece(a, b, text[a:b], float(p[0]), float(p[1]))
            for (a, b), p in zip(spans[0], probs[1:], strict=True)
        )
        urgent = float(probs[:, 0].max())
        risk = float(max(probs[:, 1].max(), urgent))
        strongest = everything[int(np.argmax(probs[:, 1] + probs[:, 0]))]
        return ModelResult(
            self.level(urgent, risk),
            urgent,
            risk,
            (float(probs[0, 0]), float(probs[0, 1])),
            pieces,
            strongest,
        )

    def similar(self, vector: Vector, k: int = 3) -> list[Example]:
        """The k labelled corpus texts closest in meaning to `vector`."""
        similarity = self.examples @ vector
        best = np.argsort(-similarity)[:k]
        rows = self.example_rows
        return [
            Example(rows[i]["text"], rows[i]["label"], round(float(similarity[i]), 3))
            for i in best
            if i < len(rows)
        ]


def build_examples(encoder: Embeds, folder: Path = ARTEFACT_DIR) -> int:
    """Embed every corpus text with the shipped model and store the vectors (half precision)
    for `Heads.similar`. Returns the number of texts."""
    rows = corpus_rows()
    _, _, whole = embed_texts(encoder, [r["text"] for r in rows])
    np.save(folder / "examples.npy", whole.astype(np.float16))
    return len(rows)
