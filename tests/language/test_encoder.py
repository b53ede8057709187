"""The sentence encoder: the same numbers as the published model, offline, packed correctly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mend.language.encoder.runtime import Encoder, pack

REFERENCE = json.loads((Path(__file__).parent / "data" / "encoder_reference.json").read_text())


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder.load()


def test_encoder_gives_the_published_models_embeddings(encoder: Encoder) -> None:
    vectors = encoder.embed(REFERENCE["texts"])
    expected = np.array(REFERENCE["vectors"], dtype=np.float32)
    similarity = (vectors * expected).sum(axis=1)
    assert similarity.min() > 0.9999, similarity
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_packed_sentences_come_out_exactly_as_if_encoded_alone(encoder: Encoder) -> None:
    texts = REFERENCE["texts"]
    together = encoder.embed(texts)
    alone = np.vstack([encoder.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_adapters_change_the_encoder_and_name_themselves() -> None:
    from mend.language.crisis.model import ARTEFACT_DIR

    adapted = Encoder.load(adapter=ARTEFACT_DIR / "adapter.npz")
    assert "+adapter@" in adapted.version
    (plain,) = Encoder.load().embed(["a quiet day at home"])
    (tuned,) = adapted.embed(["a quiet day at home"])
    assert float(plain @ tuned) < 0.9999


def test_a_text_longer_than_one_window_is_embedded_whole(encoder: Encoder) -> None:
    long_text = "I went to the shop and came home again. " * 60
    (vector,) = encoder.embed([long_text])
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4


@pytest.mark.parametrize(
    ("segments", "row_tokens", "shape", "places"),
    [
        ([[1, 2, 3]], 8, (1, 3), ((0, 0, 3),)),
        ([[1, 2], [3, 4, 5]], 8, (1, 5), ((0, 0, 2), (0, 2, 5))),
        ([[1, 2, 3], [4, 5, 6]], 4, (2, 3), ((0, 0, 3), (1, 0, 3))),
        ([[1] * 4, [2] * 2, [3] * 3], 6, (2, 6), ((0, 0, 4), (0, 4, 6), (1, 0, 3))),
    ],
)
def test_pack_lays_segments_into_rows_first_fit_in_order(
    segments: list[list[int]],
    row_tokens: int,
    shape: tuple[int, int],
    places: tuple[tuple[int, int, int], ...],
) -> None:
    packed = pack(segments, row_tokens)
    assert packed.input_ids.shape == shape
    assert packed.places == places
    for number, (row, start, end) in enumerate(places):
        assert packed.input_ids[row, start:end].tolist() == segments[number]
        assert packed.position_ids[row, start:end].tolist() == list(range(end - start))
        assert set(packed.segment_ids[row, start:end].tolist()) == {number + 1}
    assert (packed.segment_ids == 0).sum() == packed.input_ids.size - sum(map(len, segments))


def test_the_model_loads_and_screens_with_the_network_cut() -> None:
    """Nothing is fetched at run time: with every socket refused and the Hugging Face hub
    told to stay offline, the screener still loads and scores."""
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network is cut in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from mend.language.crisis.screening import screen\n"
        "result = screen('I walked the dog and had tea with my aunt.', wait=120)\n"
        "assert result.mode == 'model and rules', result.mode\n"
        "print(result.level)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"
