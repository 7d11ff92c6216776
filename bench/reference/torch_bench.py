#!/usr/bin/env python3
"""PyTorch peer of bench/engine.ts: the same DNABERT-2 architecture (MosaicBERT: post-LayerNorm,
ALiBi attention, fused Wqkv, GEGLU feed-forward) with a pooler + sequence classifier, trained with
AdamW (lr 3e-5, weight decay 0.01, clip 1.0) on random tokens. Prints one JSON line.

Usage: python3 torch_bench.py CONFIG_JSON   (keys: layers, hidden, heads, ffn, vocab, seq, batch,
       warmup, steps, threads). Debian python3-torch + libopenblas0-pthread on the CPU.
"""
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi(heads: int, seq: int) -> torch.Tensor:
    # Head slopes 2^(-8i/n), i = 1..n (power-of-two head counts), symmetric distance penalty.
    slopes = torch.tensor([2 ** (-8 * (i + 1) / heads) for i in range(heads)])
    pos = torch.arange(seq)
    dist = (pos[None, :] - pos[:, None]).abs().float()
    return -slopes[:, None, None] * dist[None]  # [heads, seq, seq]


class Layer(nn.Module):
    def __init__(self, h: int, heads: int, ffn: int, p: float):
        super().__init__()
        self.heads, self.ffn = heads, ffn
        self.Wqkv = nn.Linear(h, 3 * h)
        self.dense = nn.Linear(h, h)
        self.ln1 = nn.LayerNorm(h, eps=1e-12)
        self.gated_layers = nn.Linear(h, 2 * ffn, bias=False)
        self.wo = nn.Linear(ffn, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(p)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, s, h = x.shape
        d = h // self.heads
        q, k, v = self.Wqkv(x).view(b, s, 3, self.heads, d).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, h)
        x = self.ln1(self.drop(self.dense(ctx)) + x)
        g = self.gated_layers(x)
        hid = F.gelu(g[..., : self.ffn]) * g[..., self.ffn :]
        return self.ln2(self.wo(self.drop(hid)) + x)


class Dnabert2Classifier(nn.Module):
    def __init__(self, c: dict, labels: int = 2, p: float = 0.1):
        super().__init__()
        h = c["hidden"]
        self.word = nn.Embedding(c["vocab"], h)
        self.types = nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList(Layer(h, c["heads"], c["ffn"], p) for _ in range(c["layers"]))
        self.pooler = nn.Linear(h, h)
        self.classifier = nn.Linear(h, labels)
        self.register_buffer("bias", alibi(c["heads"], c["seq"]))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.drop(self.ln(self.word(ids) + self.types(torch.zeros_like(ids))))
        for layer in self.layers:
            x = layer(x, self.bias)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.classifier(self.drop(pooled))


def main() -> None:
    c = json.loads(sys.argv[1])
    torch.set_num_threads(c.get("threads", 2))
    torch.manual_seed(0)
    model = Dnabert2Classifier(c)
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or ".ln" in n or n.startswith("ln")]
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or ".ln" in n or n.startswith("ln"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=3e-5)
    ids = torch.randint(5, c["vocab"], (c["batch"], c["seq"]))
    labels = torch.randint(0, 2, (c["batch"],))
    tokens = c["batch"] * c["seq"]

    def train_step() -> None:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(ids), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    def timed(fn, warmup: int, steps: int) -> float:
        for _ in range(warmup):
            fn()
        t0 = time.perf_counter()
        for _ in range(steps):
            fn()
        return tokens * steps / (time.perf_counter() - t0)

    model.train()
    train_tps = timed(train_step, c["warmup"], c["steps"])
    model.eval()
    with torch.no_grad():
        infer_tps = timed(lambda: model(ids), c["warmup"], c["steps"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    params = sum(p.numel() for p in model.parameters())
    out = {"train_tokens_per_s": train_tps, "infer_tokens_per_s": infer_tps, "peak_rss_mb": peak_mb, "params": params}
    try:  # which BLAS kernel the peer really ran (OPENBLAS_CORETYPE would pin an older one)
        from threadpoolctl import threadpool_info

        out["blas"] = ", ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} x{i.get('num_threads')}" for i in threadpool_info() if i.get("user_api") == "blas")
    except ImportError:
        pass
    print(json.dumps(out))


if __name__ == "__main__":
    main()
