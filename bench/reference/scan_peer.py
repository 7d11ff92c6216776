#!/usr/bin/env python3
"""PyTorch peer of bench/scan.ts: the same model folder (test/reference/models.py's independent
forward pass), the same token ids, bucketed into the same batches (sorted by length, ties by
index, `batch` per batch), eval mode, no grad. Prints one JSON line: seconds, windows/s, peak RSS,
and the largest |difference| between its class probabilities and the engine's (first windows).

Usage: python3 scan_peer.py MODEL_DIR IDS_BIN OURS_PROBS_BIN BATCH THREADS
  IDS_BIN: int32 little-endian [n, then n lengths, then the ids]; OURS_PROBS_BIN: float64 [k, labels].
"""
import json
import os
import resource
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "reference"))
import models  # noqa: E402
import st_io  # noqa: E402


def main():
    model_dir, ids_path, ours_path, batch, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    W = {k: torch.as_tensor(np.asarray(v)) if not isinstance(v, torch.Tensor) else v for k, v in st_io.read(os.path.join(model_dir, "model.safetensors")).items()}
    raw = np.fromfile(ids_path, dtype="<i4")
    n = int(raw[0])
    lengths = raw[1 : 1 + n]
    offsets = np.concatenate([[0], np.cumsum(lengths)]) + 1 + n
    order = sorted(range(n), key=lambda i: (int(lengths[i]), i))
    pad = int(cfg.get("pad_token_id", 3))
    labels = int(cfg.get("num_labels", 2))
    probs = np.zeros((n, labels))
    t0 = time.perf_counter()
    with torch.inference_mode():
        for b in range(0, n, batch):
            members = order[b : b + batch]
            length = int(max(lengths[i] for i in members))
            ids = torch.full((len(members), length), pad, dtype=torch.long)
            mask = torch.zeros((len(members), length), dtype=torch.long)
            for r, i in enumerate(members):
                seq = torch.from_numpy(raw[offsets[i] : offsets[i + 1]].astype(np.int64))
                ids[r, : len(seq)] = seq
                mask[r, : len(seq)] = 1
            out = models.forward(cfg, W, ids, mask, torch.zeros_like(ids))
            probs[members] = torch.softmax(out["logits"], dim=-1).double().numpy()
    seconds = time.perf_counter() - t0
    ours = np.fromfile(ours_path, dtype="<f8").reshape(-1, labels)
    diff = float(np.abs(ours - probs[: len(ours)]).max())
    print(json.dumps({
        "seconds": seconds,
        "windows_per_s": n / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "max_abs_diff": diff,
        "compared": len(ours),
        "torch": torch.__version__,
    }))


main()
