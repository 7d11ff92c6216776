"""Loads an exported model folder the way a user would, with Hugging Face `transformers` offline
(`from_pretrained(dir, trust_remote_code=True)`), and prints JSON: the class built, the weights it
found missing, unexpected or mismatched, and its logits for the batch read from stdin
({"ids": [[...]], "mask": [[...]]}). Usage: hf_load.py mlm|classifier FOLDER
"""
import json
import sys

import torch
from transformers import AutoModelForMaskedLM, AutoModelForSequenceClassification

kind, folder = sys.argv[1], sys.argv[2]
batch = json.load(sys.stdin)
auto = AutoModelForMaskedLM if kind == "mlm" else AutoModelForSequenceClassification
model, info = auto.from_pretrained(folder, trust_remote_code=True, output_loading_info=True)
model.eval()
with torch.no_grad():
    out = model(input_ids=torch.tensor(batch["ids"]), attention_mask=torch.tensor(batch["mask"]))
print(json.dumps({
    "class": type(model).__name__,
    "missing": sorted(info.get("missing_keys", [])),
    "unexpected": sorted(info.get("unexpected_keys", [])),
    "mismatched": [str(x) for x in info.get("mismatched_keys", [])],
    "logits": out.logits.tolist(),
}))
