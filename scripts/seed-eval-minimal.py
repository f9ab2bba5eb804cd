#!/usr/bin/env python3
"""The minimal Python pass that scripts/bench-evaluate.sh compares `evaluate` with: read each line, json.loads, apply
the seed rule (text after the last "label", the label names in it, right when they joined by spaces equal gold).
Newest record per id counts, as in evaluate. Prints right/records."""
import json
import sys

LABELS = sys.argv[2].split(",") if len(sys.argv) > 2 else ["World", "Sports", "Business", "Science | Technology"]
right = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        out = r.get("output")
        if r.get("error") is not None or out is None:
            right[r["id"]] = False
            continue
        i = out.rfind("label")
        tail = out if i < 0 else out[i + 5:]
        right[r["id"]] = " ".join(n for n in LABELS if n in tail) == r["gold"]
print(f"{sum(right.values())}/{len(right)} right")
