"""Independent reference of in-silico mutagenesis and variant effects (issue 13), on models.py.

  python3 test/reference/interpret.py JOB.json OUT.json

JOB: {"model": DIR, "genome": {chrom: sequence}, "window": W, "class": k,
      "ism": [{"chrom", "start", "end"}], "variants": [{"chrom", "pos" (1-based), "ref", "alt"}]}
OUT: {"ism": [{"refForward", "refReverse", "deltaForward", "deltaReverse"} (L x 4, rows A C G T)],
      "variants": [{"refForward", "refReverse", "altForward", "altReverse"}], "ismSeconds", "ismSequences"}

Written from the issue's definitions, sharing no code with Loci: the allele sits in the middle of a
window of W bp (floor((W - len(allele)) / 2) bp of left flank), the window slides inward at the
chromosome ends; the reverse strand is the window's reverse complement; the score is the softmax
probability of class k. Tokenizers: DNABERT's vocab.txt (overlapping k-mers) or a BPE
tokenizer.json (whitespace pre-tokenizer, merges applied lowest rank first), done here in Python.
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402
import st_io  # noqa: E402

torch.set_num_threads(1)
COMP = {"A": "T", "C": "G", "G": "C", "T": "A", "N": "N"}


def revcomp(s):
    return "".join(COMP[c] for c in reversed(s))


class Kmer:
    def __init__(self, vocab_path):
        with open(vocab_path) as f:
            self.vocab = {t: i for i, t in enumerate(f.read().split("\n")) if t}
        self.k = max(len(t) for t in self.vocab if not t.startswith("["))

    def ids(self, s):
        unk = self.vocab["[UNK]"]
        body = [self.vocab.get(s[i:i + self.k], unk) for i in range(len(s) - self.k + 1)]
        return [self.vocab["[CLS]"]] + body + [self.vocab["[SEP]"]], self.vocab["[PAD]"]


class Bpe:
    def __init__(self, path):
        with open(path) as f:
            t = json.load(f)
        self.vocab = t["model"]["vocab"]
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in t["model"]["merges"]]
        self.merges = merges
        self.rank = {m: r for r, m in enumerate(merges)}
        self.special = {a["content"]: a["id"] for a in t["added_tokens"]}

    def word(self, w):
        parts = list(w)
        while len(parts) > 1:
            ranked = [(self.rank.get((parts[i], parts[i + 1]), None), i) for i in range(len(parts) - 1)]
            ranked = [r for r in ranked if r[0] is not None]
            if not ranked:
                break
            pair = self.merges[min(ranked)[0]]
            out, i = [], 0
            while i < len(parts):
                if i < len(parts) - 1 and (parts[i], parts[i + 1]) == pair:
                    out.append(parts[i] + parts[i + 1])
                    i += 2
                else:
                    out.append(parts[i])
                    i += 1
            parts = out
        return [self.vocab.get(p, self.special["[UNK]"]) for p in parts]

    def ids(self, s):
        return [self.special["[CLS]"]] + self.word(s) + [self.special["[SEP]"]], self.special["[PAD]"]


def load_tokenizer(d):
    tj = os.path.join(d, "tokenizer.json")
    if os.path.exists(tj):
        with open(tj) as f:
            if json.load(f).get("model", {}).get("type") == "BPE":
                return Bpe(tj)
    return Kmer(os.path.join(d, "vocab.txt"))


def window_of(chrom_seq, pos, ref_len, allele, W):
    """The window of W bp with `allele` in place of chrom_seq[pos:pos+ref_len], centred on it."""
    n = len(chrom_seq)
    flank = max(0, W - len(allele))
    left = flank // 2
    right = flank - left
    if pos - left < 0:
        right += left - pos
        left = pos
    if pos + ref_len + right > n:
        left = min(pos, left + pos + ref_len + right - n)
        right = n - pos - ref_len
    return chrom_seq[pos - left:pos] + allele + chrom_seq[pos + ref_len:pos + ref_len + right]


def probs(cfg, W, tok, seqs, k):
    out = []
    for b in range(0, len(seqs), 32):
        enc = [tok.ids(s) for s in seqs[b:b + 32]]
        pad = enc[0][1]
        L = max(len(e[0]) for e in enc)
        ids = torch.full((len(enc), L), pad, dtype=torch.long)
        mask = torch.zeros((len(enc), L), dtype=torch.long)
        for r, (e, _) in enumerate(enc):
            ids[r, :len(e)] = torch.tensor(e)
            mask[r, :len(e)] = 1
        with torch.no_grad():
            logits = models.forward(cfg, W, ids, mask, torch.zeros_like(ids))["logits"].double()
        out.extend(torch.softmax(logits, dim=-1)[:, k].tolist())
    return out


def main(job_path, out_path):
    with open(job_path) as f:
        job = json.load(f)
    d = job["model"]
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    Wt = st_io.read(os.path.join(d, "model.safetensors"))
    tok = load_tokenizer(d)
    genome = {c: s.upper() for c, s in job["genome"].items()}
    Wn, k = job["window"], job["class"]

    def both(seqs):
        return probs(cfg, Wt, tok, seqs, k), probs(cfg, Wt, tok, [revcomp(s) for s in seqs], k)

    res = {"ism": [], "variants": []}
    t0 = time.perf_counter()
    for r in job["ism"]:
        g = genome[r["chrom"]]
        seqs = []
        for p in range(r["start"], r["end"]):
            seqs += [window_of(g, p, 1, b, Wn) for b in "ACGT"]
        fw, rc = both(seqs)
        L = r["end"] - r["start"]
        ref_idx = ["ACGT".index(g[r["start"] + i]) for i in range(L)]
        res["ism"].append({
            "refForward": [fw[4 * i + ref_idx[i]] for i in range(L)],
            "refReverse": [rc[4 * i + ref_idx[i]] for i in range(L)],
            "deltaForward": [fw[4 * i + b] - fw[4 * i + ref_idx[i]] for i in range(L) for b in range(4)],
            "deltaReverse": [rc[4 * i + b] - rc[4 * i + ref_idx[i]] for i in range(L) for b in range(4)],
        })
    # For bench/ism.ts: the ISM part's wall time (tokenising, forward passes, softmax; both strands).
    res["ismSeconds"] = time.perf_counter() - t0
    res["ismSequences"] = sum(8 * (r["end"] - r["start"]) for r in job["ism"])
    seqs = []
    for v in job["variants"]:
        g = genome[v["chrom"]]
        seqs += [window_of(g, v["pos"] - 1, len(v["ref"]), v["ref"], Wn), window_of(g, v["pos"] - 1, len(v["ref"]), v["alt"], Wn)]
    if seqs:
        fw, rc = both(seqs)
        for i in range(len(job["variants"])):
            res["variants"].append({"refForward": fw[2 * i], "altForward": fw[2 * i + 1], "refReverse": rc[2 * i], "altReverse": rc[2 * i + 1]})
    with open(out_path, "w") as f:
        json.dump(res, f)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
