"""Train the crisis screener: low-rank adapters on the encoder's top layers, and two heads.

Run with `make train-screener` (a separate virtual environment with PyTorch on the CPU; the
server never needs PyTorch). Writes src/mend/language/crisis/artefact/{adapter,head}.npz and
head.json, about a megabyte in all.

Why adapt the encoder: heads over the frozen all-MiniLM-L6-v2 embeddings separated risk from
its lookalikes poorly (area under the ROC curve 0.90 for writers held out; at 95% any-risk
recall 40% of texts without risk were flagged). Mean-pooled general-purpose embeddings barely
encode negation, who the subject is, or figurative use. Low-rank adapters (Hu et al., LoRA,
2021) on the top two layers learn those distinctions while the shipped change stays small.

How:
1. Every corpus text is cut into pieces (`mend.language.sentences.split`), as at run time.
2. The bottom four layers are frozen, so their output for each piece is computed once.
3. Each batch of texts runs its pieces through the adapted top layers, pools each piece
   (mean of token vectors, unit length), and forms each text's vector as the length-weighted
   mean of its pieces, exactly as the runtime does. Two logistic heads score every vector;
   a text's score is the highest over its own vector and its pieces (so one sentence of risk
   in a long entry counts), and binary cross-entropy on that maximum trains everything
   together (multiple-instance learning: which piece holds the risk is not labelled).
4. Thresholds are chosen on writers the model has not seen: the corpus's hands are split in
   three groups, and each group in turn is held out while a model learns from the rest.
   Each threshold is chosen for recall first (URGENT_RECALL, RISK_RECALL) and then raised,
   if it must be, until held-out false alarms stay under a ceiling (calibration.py says why).
5. The final model learns from every hand; its adapters and heads are saved.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.numpy import load_file
from tokenizers import Tokenizer
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mend.language.crisis.calibration import choose  # noqa: E402
from mend.language.crisis.model import ARTEFACT_DIR, CORPUS_DIR, corpus_hash  # noqa: E402
from mend.language.encoder.runtime import SEGMENT_TOKENS, weights_dir  # noqa: E402
from mend.language.sentences import split  # noqa: E402

URGENT_RECALL = 0.97
RISK_RECALL = 0.95
# Share of held-out texts without risk that may screen urgent / at any level (calibration.py).
URGENT_FALSE_ALARM_CEILING = 0.10
RISK_FALSE_ALARM_CEILING = 0.20
FROZEN_LAYERS = int(os.environ.get("MEND_TRAIN_FROZEN", "4"))
RANK = 16
ALPHA = 32
EPOCHS = int(os.environ.get("MEND_TRAIN_EPOCHS", "5"))
BATCH_TEXTS = 32
LEARNING_RATE = 2e-3
# The heads start from nothing and read unit vectors, so their weights must grow large to give
# confident scores; they learn ten times faster than the adapters.
HEAD_LEARNING_RATE = 2e-2
SEED = 7
# Writers held out in turn while thresholds are chosen: three rounds, so every held-out model
# learns from 60-80% of the corpus (a round per hand would be closer to the final model, at
# five times the training; these thresholds err on the side of recall).
HELD_OUT_GROUPS = (("hand-a", "hand-c"), ("hand-b", "hand-d"), ("hand-e",))
ADAPTED = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


def rows_of(folder: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        hand = path.stem.rsplit("-", 1)[0]
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "hand": hand})
    return rows


class LoRALinear(nn.Module):
    def __init__(self, weight: np.ndarray[Any, Any], bias: np.ndarray[Any, Any]) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.tensor(weight), requires_grad=False)
        self.bias = nn.Parameter(torch.tensor(bias), requires_grad=False)
        out_dim, in_dim = weight.shape
        self.a = nn.Parameter(torch.randn(RANK, in_dim) * (1.0 / math.sqrt(in_dim)))
        self.b = nn.Parameter(torch.zeros(out_dim, RANK))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        base = nn.functional.linear(x, self.weight, self.bias)
        return base + (x @ self.a.T @ self.b.T) * (ALPHA / RANK)

    def delta(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        return self.a.detach().numpy(), (self.b.detach() * (ALPHA / RANK)).numpy()


class Layer(nn.Module):
    def __init__(self, w: dict[str, np.ndarray[Any, Any]], index: int, adapt: bool) -> None:
        super().__init__()
        p = f"encoder.layer.{index}."

        def lin(name: str) -> nn.Module:
            weight, bias = w[p + name + ".weight"], w[p + name + ".bias"]
            if adapt:
                return LoRALinear(weight, bias)
            layer = nn.Linear(weight.shape[1], weight.shape[0])
            layer.weight = nn.Parameter(torch.tensor(weight), requires_grad=False)
            layer.bias = nn.Parameter(torch.tensor(bias), requires_grad=False)
            return layer

        def norm(name: str) -> nn.LayerNorm:
            layer = nn.LayerNorm(384, eps=1e-12)
            layer.weight = nn.Parameter(torch.tensor(w[p + name + ".weight"]), requires_grad=False)
            layer.bias = nn.Parameter(torch.tensor(w[p + name + ".bias"]), requires_grad=False)
            return layer

        self.linears = nn.ModuleDict({n.replace(".", "_"): lin(n) for n in ADAPTED})
        self.ln1 = norm("attention.output.LayerNorm")
        self.ln2 = norm("output.LayerNorm")

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, n, _ = x.shape
        lin = self.linears

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, 12, 32).transpose(1, 2)

        q = heads(lin["attention_self_query"](x))
        k = heads(lin["attention_self_key"](x))
        v = heads(lin["attention_self_value"](x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(32) + bias
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, 384)
        x = self.ln1(lin["attention_output_dense"](context) + x)
        inner = nn.functional.gelu(lin["intermediate_dense"](x))
        return self.ln2(lin["output_dense"](inner) + x)


class Model(nn.Module):
    def __init__(self, w: dict[str, np.ndarray[Any, Any]]) -> None:
        super().__init__()
        self.bottom = nn.ModuleList(Layer(w, i, adapt=False) for i in range(FROZEN_LAYERS))
        self.top = nn.ModuleList(Layer(w, i, adapt=True) for i in range(FROZEN_LAYERS, 6))
        self.head = nn.Linear(384, 2)
        self.embed_words = torch.tensor(w["embeddings.word_embeddings.weight"])
        self.embed_pos = torch.tensor(w["embeddings.position_embeddings.weight"])
        self.embed_type = torch.tensor(w["embeddings.token_type_embeddings.weight"][0])
        self.embed_ln = nn.LayerNorm(384, eps=1e-12)
        self.embed_ln.weight = nn.Parameter(
            torch.tensor(w["embeddings.LayerNorm.weight"]), requires_grad=False
        )
        self.embed_ln.bias = nn.Parameter(
            torch.tensor(w["embeddings.LayerNorm.bias"]), requires_grad=False
        )

    @torch.no_grad()
    def lower(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        n = ids.shape[1]
        x = self.embed_words[ids] + self.embed_pos[:n] + self.embed_type
        x = self.embed_ln(x)
        bias = (1.0 - mask[:, None, None, :]) * -10000.0
        for layer in self.bottom:
            x = layer(x, bias)
        return x

    def upper(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        bias = (1.0 - mask[:, None, None, :]) * -10000.0
        for layer in self.top:
            x = layer(x, bias)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return nn.functional.normalize(pooled, dim=-1)


class Corpus:
    """Pieces of every text, tokenised, with the frozen layers' output kept per piece."""

    def __init__(self, model: Model, rows: list[dict[str, str]], tokenizer: Tokenizer) -> None:
        self.rows = rows
        self.pieces: list[list[int]] = []
        self.owner: list[int] = []
        self.weights: list[float] = []
        for i, row in enumerate(rows):
            text = row["text"]
            for a, b in split(text) or [(0, len(text))]:
                self.pieces.append(tokenizer.encode(text[a:b]).ids)
                self.owner.append(i)
                self.weights.append(float(max(b - a, 1)))
        self.by_text: list[list[int]] = [[] for _ in rows]
        for p, i in enumerate(self.owner):
            self.by_text[i].append(p)
        self.states: list[torch.Tensor] = [torch.empty(0)] * len(self.pieces)
        order = sorted(range(len(self.pieces)), key=lambda p: len(self.pieces[p]))
        for first in range(0, len(order), 256):
            chunk = order[first : first + 256]
            ids, mask = pad([self.pieces[p] for p in chunk])
            out = model.lower(ids, mask)
            for row, p in enumerate(chunk):
                self.states[p] = out[row, : len(self.pieces[p])].clone()


def pad(seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    n = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), n, dtype=torch.long)
    mask = torch.zeros(len(seqs), n)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1.0
    return ids, mask


def text_logits(model: Model, corpus: Corpus, texts: list[int]) -> torch.Tensor:
    """(len(texts), 2) logits: the highest over each text's own vector and its pieces."""
    pieces = [p for t in texts for p in corpus.by_text[t]]
    # Pieces of similar length run together, so little time goes on padding.
    order = sorted(range(len(pieces)), key=lambda i: corpus.states[pieces[i]].shape[0])
    parts: list[torch.Tensor] = []
    for first in range(0, len(order), 48):
        chunk = [corpus.states[pieces[i]] for i in order[first : first + 48]]
        n = max(s.shape[0] for s in chunk)
        x = torch.zeros(len(chunk), n, 384)
        mask = torch.zeros(len(chunk), n)
        for i, s in enumerate(chunk):
            x[i, : s.shape[0]] = s
            mask[i, : s.shape[0]] = 1.0
        parts.append(model.upper(x, mask))
    sorted_vectors = torch.cat(parts)
    inverse = torch.empty(len(order), dtype=torch.long)
    inverse[torch.tensor(order)] = torch.arange(len(order))
    vectors = sorted_vectors[inverse]
    out = []
    at = 0
    for t in texts:
        count = len(corpus.by_text[t])
        mine = vectors[at : at + count]
        weights = torch.tensor([corpus.weights[p] for p in corpus.by_text[t]])[:, None]
        whole = nn.functional.normalize((mine * weights).sum(0, keepdim=True), dim=-1)
        logits = model.head(torch.cat([whole, mine]))
        out.append(logits.max(0).values)
        at += count
    return torch.stack(out)


def train_model(model: Model, corpus: Corpus, texts: list[int], log: str) -> None:
    labels = [corpus.rows[t]["label"] for t in texts]
    urgent = sum(1 for label in labels if label == "urgent")
    risky = sum(1 for label in labels if label != "none")
    pos_weight = torch.tensor(
        [(len(labels) - urgent) / max(urgent, 1), (len(labels) - risky) / max(risky, 1)]
    )
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    head = list(model.head.parameters())
    adapters = [p for p in model.top.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(
        [{"params": adapters, "lr": LEARNING_RATE}, {"params": head, "lr": HEAD_LEARNING_RATE}],
        weight_decay=0.01,
    )
    steps = EPOCHS * math.ceil(len(texts) / BATCH_TEXTS)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, [LEARNING_RATE, HEAD_LEARNING_RATE], total_steps=steps
    )
    rng = random.Random(SEED)
    order = list(texts)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        total = 0.0
        started = time.perf_counter()
        for first in range(0, len(order), BATCH_TEXTS):
            batch = order[first : first + BATCH_TEXTS]
            target = torch.tensor(
                [
                    [corpus.rows[t]["label"] == "urgent", corpus.rows[t]["label"] != "none"]
                    for t in batch
                ],
                dtype=torch.float32,
            )
            loss = loss_fn(text_logits(model, corpus, batch), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        print(
            f"  {log} epoch {epoch + 1}: loss {total / len(order):.4f} "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )


@torch.no_grad()
def scores(model: Model, corpus: Corpus, texts: list[int]) -> np.ndarray[Any, Any]:
    out = []
    for first in range(0, len(texts), 128):
        out.append(torch.sigmoid(text_logits(model, corpus, texts[first : first + 128])))
    result = torch.cat(out).numpy()
    result[:, 1] = np.maximum(result[:, 1], result[:, 0])
    return np.asarray(result)


def fresh(weights: dict[str, np.ndarray[Any, Any]]) -> Model:
    torch.manual_seed(SEED)
    return Model(weights)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-held-out", action="store_true", help="reuse stored thresholds")
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("MEND_TRAIN_THREADS", torch.get_num_threads())))
    folder = weights_dir()
    weights = load_file(str(folder / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(SEGMENT_TOKENS)
    rows = rows_of(CORPUS_DIR)
    print(f"{len(rows)} texts from {len({r['hand'] for r in rows})} hands", flush=True)
    base = fresh(weights)
    corpus = Corpus(base, rows, tokenizer)
    labels = np.array([r["label"] for r in rows])
    hands = np.array([r["hand"] for r in rows])
    meta_path = ARTEFACT_DIR / "head.json"
    if args.skip_held_out:
        meta = json.loads(meta_path.read_text())
        thresholds = meta["thresholds"]
        held_out_figures = meta["held_out_by_hand"]
    else:
        held = np.zeros((len(rows), 2))
        for group in HELD_OUT_GROUPS:
            model = fresh(weights)
            outside = np.isin(hands, group)
            train_idx = [int(i) for i in np.flatnonzero(~outside)]
            test_idx = [int(i) for i in np.flatnonzero(outside)]
            train_model(model, corpus, train_idx, f"without {'+'.join(group)}")
            held[test_idx] = scores(model, corpus, test_idx)
        if os.environ.get("MEND_TRAIN_DUMP"):
            np.savez(os.environ["MEND_TRAIN_DUMP"], held=held, labels=labels, hands=hands)
        urgent, risky, none = labels == "urgent", labels != "none", labels == "none"
        urgent_choice = choose(
            held[:, 0].tolist(),
            urgent.tolist(),
            none.tolist(),
            URGENT_RECALL,
            URGENT_FALSE_ALARM_CEILING,
        )
        risk_choice = choose(
            held[:, 1].tolist(),
            risky.tolist(),
            none.tolist(),
            RISK_RECALL,
            RISK_FALSE_ALARM_CEILING,
        )
        t_urgent, t_risk = urgent_choice.threshold, risk_choice.threshold
        predicted = np.where(
            held[:, 0] >= t_urgent, "urgent", np.where(held[:, 1] >= t_risk, "concern", "none")
        )
        thresholds = {"urgent": round(float(t_urgent), 6), "risk": round(float(t_risk), 6)}
        held_out_figures = {
            "urgent_recall": round(float((predicted[urgent] == "urgent").mean()), 4),
            "any_risk_recall": round(float((predicted[risky] != "none").mean()), 4),
            "false_alarms": round(float((predicted[none] != "none").mean()), 4),
            "urgent_false_alarms": round(float((predicted[none] == "urgent").mean()), 4),
            "capped_by_false_alarm_ceiling": {
                "urgent": urgent_choice.capped,
                "risk": risk_choice.capped,
            },
        }
        print("held out by hand:", held_out_figures, thresholds, flush=True)
    model = fresh(weights)
    train_model(model, corpus, list(range(len(rows))), "all hands")
    adapter: dict[str, np.ndarray[Any, Any]] = {}
    for offset, layer in enumerate(model.top):
        index = FROZEN_LAYERS + offset
        for name, module in layer.linears.items():
            assert isinstance(module, LoRALinear)
            a, b = module.delta()
            key = f"encoder.layer.{index}." + {n.replace(".", "_"): n for n in ADAPTED}[name]
            adapter[key + ".lora_a"] = a.astype(np.float16)
            adapter[key + ".lora_b"] = b.astype(np.float16)
    out = Path(os.environ.get("MEND_TRAIN_OUT", str(ARTEFACT_DIR)))
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "adapter.npz", **adapter)
    head_w = model.head.weight.detach().numpy().astype(np.float32)
    head_b = model.head.bias.detach().numpy().astype(np.float32)
    np.savez_compressed(out / "head.npz", coef=head_w, intercept=head_b)
    meta = {
        "encoder": f"all-MiniLM-L6-v2 with low-rank adapters on layers {FROZEN_LAYERS}-5",
        "corpus_hash": corpus_hash(CORPUS_DIR),
        "texts": {label: int((labels == label).sum()) for label in ("urgent", "concern", "none")},
        "hands": sorted(set(hands.tolist())),
        "training": {
            "frozen_layers": FROZEN_LAYERS,
            "rank": RANK,
            "alpha": ALPHA,
            "epochs": EPOCHS,
            "batch_texts": BATCH_TEXTS,
            "learning_rate": LEARNING_RATE,
            "head_learning_rate": HEAD_LEARNING_RATE,
            "seed": SEED,
            "urgent_recall_target": URGENT_RECALL,
            "risk_recall_target": RISK_RECALL,
            "urgent_false_alarm_ceiling": URGENT_FALSE_ALARM_CEILING,
            "risk_false_alarm_ceiling": RISK_FALSE_ALARM_CEILING,
        },
        "held_out_groups": [list(g) for g in HELD_OUT_GROUPS],
        "thresholds": thresholds,
        "held_out_by_hand": held_out_figures,
    }
    (out / "head.json").write_text(json.dumps(meta, indent=2) + "\n")
    print("wrote", out, flush=True)


if __name__ == "__main__":
    main()
