#!/usr/bin/env python3
"""The seed experiment's scoring rule, written as the seed wrote it, applied to an llmcls JSONL file.

Usage: seed_score.py FILE [LABELS]   (LABELS comma-separated; default the seed's AG News names)
Prints {"records": N, "right": R, "multi_label": M, "accuracy": A, "errors": E} as JSON.
"""
import json
import sys

labels = (sys.argv[2] if len(sys.argv) > 2 else "World,Sports,Business,Science | Technology").split(",")
latest = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if line.strip():
            record = json.loads(line)
            latest[record["id"]] = record  # a newer record for an id supersedes an older one

right = multi = errors = 0
for record in latest.values():
    if record.get("error") is not None:
        errors += 1
        continue
    pred = record["output"].split("label")[-1]
    found = [name for name in labels if name in pred]
    if len(found) > 1:
        multi += 1
    if " ".join(found) == record["gold"]:
        right += 1
print(json.dumps({"records": len(latest), "right": right, "multi_label": multi,
                  "accuracy": right / len(latest) if latest else 0.0, "errors": errors}))
