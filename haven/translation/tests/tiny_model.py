"""A tiny CTranslate2 Transformer with random weights and a SentencePiece model trained on the spot.

Used by the tests and `bench/translation/run.py --tiny` to run the local provider's real loading and
inference code without downloading anything. Its translations are gibberish by design.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

#: Bilingual lines the SentencePiece model is trained on (a few hundred, generated).
_EN = [
    "today",
    "we",
    "went",
    "to",
    "drink",
    "coffee",
    "the",
    "weather",
    "is",
    "very",
    "good",
    "snacks",
    "tea",
]
_ZH = ["今天", "我们", "去", "喝", "咖啡", "天气", "很", "好", "买", "了", "零食", "茶", "周末"]


def training_lines(count: int = 400) -> list[str]:
    rng = np.random.default_rng(7)
    lines = []
    for i in range(count):
        words = [str(w) for w in rng.choice(_EN, size=6)] + [str(w) for w in rng.choice(_ZH, size=6)]
        lines.append(" ".join(words) + f" {i}")
    return lines


def build_tiny_model(
    out_dir: Path, *, layout: str = "opus-mt", d_model: int = 16, ffn: int = 32, vocab_size: int = 100
) -> Path:
    """Write a random-weight model to `out_dir` in the "opus-mt" layout (model.bin, source.spm,
    target.spm) or the "argos" layout (model/model.bin, sentencepiece.model). Returns `out_dir`."""
    import sentencepiece
    from ctranslate2.specs import model_spec, transformer_spec

    out_dir.mkdir(parents=True, exist_ok=True)
    proto = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(training_lines()),
        model_writer=proto,
        vocab_size=vocab_size,
        character_coverage=1.0,
        hard_vocab_limit=False,
        pad_id=0,
        unk_id=1,
        eos_id=2,
        bos_id=-1,
        minloglevel=2,
    )
    sp = sentencepiece.SentencePieceProcessor(model_proto=proto.getvalue())
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())] + ["<s>"]

    spec = transformer_spec.TransformerSpec.from_config(num_layers=1, num_heads=2, pre_norm=True)
    rng = np.random.default_rng(0)

    def shape(scope: str, name: str) -> tuple[int, ...]:
        leaf = scope.rsplit("/", 1)[-1]
        if name in ("gamma", "beta"):
            return (d_model,)
        if "embeddings" in scope or leaf == "projection":
            return (len(vocab), d_model)
        if "/self_attention" in scope:
            return (3 * d_model, d_model) if leaf == "linear_0" else (d_model, d_model)
        if "/attention" in scope:
            return {"linear_0": (d_model, d_model), "linear_1": (2 * d_model, d_model)}.get(
                leaf, (d_model, d_model)
            )
        if "/ffn" in scope:
            return (ffn, d_model) if leaf == "linear_0" else (d_model, ffn)
        raise KeyError(f"{scope}/{name}")

    def fill(layer: model_spec.LayerSpec, scope: str) -> None:
        for name, value in list(vars(layer).items()):
            if name.startswith("_"):
                continue
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if isinstance(child, model_spec.LayerSpec):
                        fill(child, f"{scope}/{name}_{i}")
            elif isinstance(value, model_spec.LayerSpec):
                fill(value, f"{scope}/{name}")
            elif value is None:
                dims = shape(scope, name)
                if name == "gamma":
                    array = np.ones(dims, dtype=np.float32)
                elif name == "beta":
                    array = np.zeros(dims, dtype=np.float32)
                else:
                    array = (rng.standard_normal(dims) * 0.1).astype(np.float32)
                setattr(layer, name, array)

    fill(spec, "")
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    if layout == "argos":
        (out_dir / "model").mkdir(exist_ok=True)
        spec.save(str(out_dir / "model"))
        (out_dir / "sentencepiece.model").write_bytes(proto.getvalue())
    else:
        spec.save(str(out_dir))
        (out_dir / "source.spm").write_bytes(proto.getvalue())
        (out_dir / "target.spm").write_bytes(proto.getvalue())
    return out_dir
