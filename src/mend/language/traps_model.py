"""A small word model of the thinking traps, trained on Mend's own labelled thoughts.

The rules in ``traps_rules`` recognise the textbook wording of each trap; this model picks up
the rest of the vocabulary (the words around "everyone hates me" or "she left because of me")
from ``data/traps_examples.txt``, several hundred short thoughts written for Mend. It is TF-IDF
over words and word pairs with one logistic regression per trap, the standard small-data text
classifier, written here in numpy alone so that Mend ships no scikit-learn or scipy
(about 200 MB installed) for it.

Training takes a fraction of a second and happens once per process, on first use. The
examples are the single source of truth: there is no fitted file to drift out of step.

Each trap's regression weights its few positive examples up to balance the many negatives
(scikit-learn's ``class_weight="balanced"``), so a score of 0.5 means "as likely as not given
what the examples taught", the same threshold for common and rare traps. The scores are
confidences for ranking and thresholding, not calibrated probabilities.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from mend.language.traps_catalogue import TRAP_IDS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

EXAMPLES_FILE = "traps_examples.txt"
NO_TRAP = "-"

# Words, numbers and contractions kept whole ("i'm", "don't", "i'll" carry meaning here).
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@dataclass(frozen=True, slots=True)
class Example:
    thought: str
    traps: frozenset[str]


class ExamplesError(ValueError):
    """The examples file is malformed; raised with the line number so it can be fixed."""


def parse_examples(lines: Iterable[str]) -> list[Example]:
    """Read ``ids<TAB>thought`` lines; '-' means no trap; blank and '#' lines are skipped."""
    examples: list[Example] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        labels, sep, thought = line.partition("\t")
        if not sep or not thought.strip():
            raise ExamplesError(f"line {number}: expected 'ids<TAB>thought'")
        ids = frozenset() if labels == NO_TRAP else frozenset(labels.split(","))
        unknown = ids - set(TRAP_IDS)
        if unknown:
            raise ExamplesError(f"line {number}: unknown trap id {sorted(unknown)}")
        examples.append(Example(thought.strip(), ids))
    return examples


def load_examples() -> list[Example]:
    """Mend's own labelled thoughts, shipped as package data."""
    text = (
        resources.files("mend.language").joinpath("data", EXAMPLES_FILE).read_text(encoding="utf-8")
    )
    return parse_examples(text.splitlines())


# Contractions typed without the apostrophe, as people often do on a phone. "ill", "id",
# "were" and "its" are left alone: each is also an ordinary word.
_CONTRACTIONS = {
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "werent": "weren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "shouldnt": "shouldn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "youre": "you're",
    "theyre": "they're",
    "thats": "that's",
    "shes": "she's",
    "hes": "he's",
}


def features(thought: str) -> list[str]:
    """Lower-cased words (contractions restored) and adjacent word pairs.

    Function words count only inside pairs: on their own, "I'm" or "my" say nothing about a
    trap, but short labelled thoughts ("I'm useless") taught the model that they did, so
    "I'm meeting a friend" looked like labeling. Inside pairs they carry the meaning that
    matters ("my fault", "than me", "i'm useless").
    """
    words = [
        _CONTRACTIONS.get(word, word)
        for word in _TOKEN.findall(thought.translate(_APOSTROPHES).lower())
    ]
    return [w for w in words if w not in _FUNCTION_WORDS] + [
        f"{a} {b}" for a, b in itertools.pairwise(words)
    ]


_FUNCTION_WORDS = frozenset(
    (
        "i", "i'm", "me", "my", "a", "an", "the", "to", "and", "of", "in", "on", "at", "for",
        "it", "it's", "is", "was", "am", "are", "be", "this", "that", "with",
    )
)  # fmt: skip


class TrapModel:
    """TF-IDF features with one logistic regression per trap (columns in ``TRAP_IDS`` order)."""

    def __init__(
        self, vocabulary: dict[str, int], idf: FloatArray, weights: FloatArray, bias: FloatArray
    ) -> None:
        self.vocabulary = vocabulary
        self.idf = idf
        self.weights = weights
        self.bias = bias

    def vector(self, thought: str) -> tuple[IntArray, FloatArray]:
        """The thought's sparse TF-IDF row: column indices and values (unit length)."""
        counts: dict[int, int] = {}
        for feature in features(thought):
            column = self.vocabulary.get(feature)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        # Sublinear term frequency: a word said twice is more, but not twice as, telling.
        values = (1.0 + np.log(tf)) * self.idf[columns]
        norm = float(np.sqrt(values @ values))
        return columns, values / norm if norm > 0 else values

    def scores(self, thought: str) -> FloatArray:
        """Each trap's confidence 0..1 for one thought."""
        columns, values = self.vector(thought)
        logits = values @ self.weights[columns] + self.bias
        return _sigmoid(logits)


def _sigmoid(x: FloatArray) -> FloatArray:
    result: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * x))  # tanh form never overflows
    return result


def train(examples: Sequence[Example], c: float = 1.0, iterations: int = 1000) -> TrapModel:
    """Fit the vocabulary, IDF and every trap's regression on labelled examples.

    ``c`` is the inverse L2 penalty, as in scikit-learn's ``LogisticRegression(C=...)``.
    """
    if not examples:
        raise ValueError("no examples to train on")
    docs = [features(e.thought) for e in examples]
    vocabulary: dict[str, int] = {}
    for doc in docs:
        for feature in doc:
            vocabulary.setdefault(feature, len(vocabulary))
    n, n_features = len(docs), len(vocabulary)

    document_frequency = np.zeros(n_features)
    for doc in docs:
        document_frequency[[vocabulary[f] for f in set(doc)]] += 1
    # Smoothed IDF, as scikit-learn's TfidfVectorizer computes it.
    idf = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0

    model = TrapModel(
        vocabulary, idf, np.zeros((n_features, len(TRAP_IDS))), np.zeros(len(TRAP_IDS))
    )
    rows_list: list[IntArray] = []
    columns_list: list[IntArray] = []
    values_list: list[FloatArray] = []
    for row, example in enumerate(examples):
        columns, values = model.vector(example.thought)
        rows_list.append(np.full(len(columns), row, dtype=np.intp))
        columns_list.append(columns)
        values_list.append(values)
    matrix = _Sparse(
        np.concatenate(rows_list),
        np.concatenate(columns_list),
        np.concatenate(values_list),
        shape=(n, n_features),
    )

    labels = np.array([[t in e.traps for t in TRAP_IDS] for e in examples], dtype=np.float64)
    positives = labels.sum(axis=0)
    # "Balanced" sample weights: positives and negatives each carry half the total weight.
    # A trap with no examples (never the case for the shipped file) gets zero weight rather
    # than a division by zero, and so scores the sigmoid of its bias, near 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        weight_positive = np.where(positives > 0, n / (2.0 * positives), 0.0)
        weight_negative = np.where(positives < n, n / (2.0 * (n - positives)), 0.0)
    sample_weights = labels * weight_positive + (1.0 - labels) * weight_negative

    weights, bias = _fit_logistic(matrix, labels, sample_weights, c, iterations)
    model.weights = weights
    model.bias = bias
    return model


class _Sparse:
    """Just enough of a sparse matrix (coordinate form) for the two products training needs."""

    def __init__(
        self, rows: IntArray, columns: IntArray, values: FloatArray, shape: tuple[int, int]
    ) -> None:
        self.shape = shape
        self._by_row = _Segments(rows, columns, values)
        self._by_column = _Segments(columns, rows, values)

    def dot(self, dense: FloatArray) -> FloatArray:
        """self @ dense"""
        return self._by_row.sum_into(dense, self.shape[0])

    def tdot(self, dense: FloatArray) -> FloatArray:
        """self.T @ dense"""
        return self._by_column.sum_into(dense, self.shape[1])


class _Segments:
    """Entries grouped by output index, so one ``np.add.reduceat`` sums each group."""

    def __init__(self, into: IntArray, source: IntArray, values: FloatArray) -> None:
        order = np.argsort(into, kind="stable")
        self.source = source[order]
        self.values = values[order][:, None]
        sorted_into = into[order]
        self.starts = np.flatnonzero(np.r_[True, sorted_into[1:] != sorted_into[:-1]])
        self.targets = sorted_into[self.starts]

    def sum_into(self, dense: FloatArray, size: int) -> FloatArray:
        out = np.zeros((size, dense.shape[1]))
        if len(self.source):
            products = np.take(dense, self.source, axis=0)
            np.multiply(products, self.values, out=products)
            out[self.targets] = np.add.reduceat(products, self.starts, axis=0)
        return out


def _fit_logistic(
    matrix: _Sparse,
    labels: FloatArray,
    sample_weights: FloatArray,
    c: float,
    iterations: int,
    tolerance: float = 5e-4,
) -> tuple[FloatArray, FloatArray]:
    """Minimise ``c * sum(weight * log-loss) + ||W||^2 / 2`` for every trap at once.

    Accelerated gradient descent (Nesterov, with adaptive restart) with step 1/L, where L
    bounds the curvature of the loss; the objective is smooth and strongly convex, so a few
    hundred steps reach scikit-learn's solution to well within what matters for ranking.
    The intercept is not penalised, as in scikit-learn's lbfgs solver.
    """
    n_features = matrix.shape[1]
    n_traps = labels.shape[1]
    # Rows have unit length, so ||X||^2 <= n (plus 1 for the intercept column); each
    # log-loss term has curvature at most 1/4 of its sample weight.
    # Each trap gets its own step, since its sample weights (and so its curvature) differ.
    lipschitz = 1.0 + 0.25 * c * sample_weights.max(axis=0) * _spectral_norm_squared(matrix)
    step = 1.0 / lipschitz

    def gradient(weights: FloatArray, bias: FloatArray) -> tuple[FloatArray, FloatArray]:
        residual = c * sample_weights * (_sigmoid(matrix.dot(weights) + bias) - labels)
        return matrix.tdot(residual) + weights, residual.sum(axis=0)

    weights = np.zeros((n_features, n_traps))
    bias = np.zeros(n_traps)
    look_w, look_b = weights.copy(), bias.copy()
    momentum = np.ones(n_traps)
    for _ in range(iterations):
        grad_w, grad_b = gradient(look_w, look_b)
        new_w = look_w - step * grad_w
        new_b = look_b - step * grad_b
        # Restart a trap's momentum when it points uphill (O'Donoghue & Candes, 2015), which
        # keeps accelerated descent from oscillating on the better-conditioned traps.
        uphill = (grad_w * (new_w - weights)).sum(axis=0) + grad_b * (new_b - bias) > 0
        momentum = np.where(uphill, 1.0, momentum)
        next_momentum = (1.0 + np.sqrt(1.0 + 4.0 * momentum * momentum)) / 2.0
        beta = np.where(uphill, 0.0, (momentum - 1.0) / next_momentum)
        look_w = new_w + beta * (new_w - weights)
        look_b = new_b + beta * (new_b - bias)
        change = max(float(np.abs(new_w - weights).max()), float(np.abs(new_b - bias).max()))
        weights, bias, momentum = new_w, new_b, next_momentum
        if change < tolerance:
            break
    return weights, bias


def _spectral_norm_squared(matrix: _Sparse, rounds: int = 30) -> float:
    """Largest eigenvalue of X^T X by power iteration, with the intercept column appended."""
    rng = np.random.default_rng(0)
    vector = rng.standard_normal((matrix.shape[1], 1))
    intercept = np.ones((1, 1))
    estimate = 1.0
    for _ in range(rounds):
        product = matrix.dot(vector) + intercept
        back = matrix.tdot(product)
        back_intercept = product.sum(axis=0, keepdims=True)
        size = float(np.sqrt((back * back).sum() + (back_intercept * back_intercept).sum()))
        if size == 0.0:
            return 1.0
        estimate = size / float(np.sqrt((vector * vector).sum() + (intercept * intercept).sum()))
        vector, intercept = back / size, back_intercept / size
    return estimate * 1.05  # a little headroom: power iteration approaches from below


@cache
def default_model() -> TrapModel:
    """The model trained on Mend's shipped examples, built once per process."""
    return train(load_examples())
