"""Precision reference: a DNABERT-2-117M-shaped model with random weights, run in float64 (the
truth) and in float32 (PyTorch's own error, the yardstick for ours).

  python3 test/reference/precision.py OUTDIR [--layers N] [--seq S]

Writes OUTDIR/model (config.json, model.safetensors, tokenizer.json), OUTDIR/inputs.safetensors,
OUTDIR/expected64.safetensors (float64 outputs, stored as F32: the rounding, ~6e-8 relative, is
far below the errors compared) and OUTDIR/torch32.json (max |float32 - float64| per output, over
real tokens only). Used by test/integration/engine-precision.test.ts.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402
import reference  # noqa: E402
import st_io  # noqa: E402


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def max_diff(a, b, mask=None):
    d = (a.double() - b.double()).abs()
    if mask is not None and d.dim() >= 3:
        d = d * mask[..., None].double()
    return float(d.max())


def main():
    out = sys.argv[1]
    layers, seq = arg("--layers", 12), arg("--seq", 128)
    # DNABERT-2-117M: vocab 4096, hidden 768, 12 layers of 12 heads, GEGLU 3072.
    cfg = reference.base_cfg("dnabert2", vocab_size=4096, hidden_size=768, num_hidden_layers=layers, num_attention_heads=12,
                             intermediate_size=3072, num_labels=2, architectures=["BertForSequenceClassification"])
    gen = torch.Generator().manual_seed(117)
    W = reference.random_weights(cfg, False, True, gen)
    folder = os.path.join(out, "model")
    os.makedirs(folder, exist_ok=True)
    st_io.write(os.path.join(folder, "model.safetensors"), W, metadata={"format": "pt"})
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    reference.write_tokenizer(cfg, folder)
    batch = reference.make_batch(cfg, gen, [seq, seq * 3 // 4], seq)
    st_io.write(os.path.join(out, "inputs.safetensors"), {f"batch0.{k}": v for k, v in batch.items()})
    with torch.no_grad():
        r32 = models.forward(cfg, W, batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
        W64 = {k: v.double() for k, v in W.items()}
        r64 = models.forward(cfg, W64, batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
    assert r64["last_hidden_state"].dtype == torch.float64
    st_io.write(os.path.join(out, "expected64.safetensors"), {f"batch0.{k}": v.float().contiguous() for k, v in r64.items()})
    mask = batch["attention_mask"]
    errs = {k: max_diff(r32[k], r64[k], mask if k == "last_hidden_state" else None) for k in r64}
    with open(os.path.join(out, "torch32.json"), "w") as f:
        json.dump(errs, f)
    print(json.dumps(errs))


if __name__ == "__main__":
    main()
