#!/usr/bin/env bash
# Makes DIR/run-NNNN/out.jsonl for N runs of R records each, as classify leaves them (a manifest with the template's
# text, sampling and counts; the lock released; a progress summary), for timing `llmcls runs DIR`. The outputs are
# hard links of one file: `runs` reads only the manifest, lock, summary and the records after the summary, so what
# matters is the number of runs and files. Half the summaries stop 20 records short of the end, so those runs have
# a tail to read.
# Usage: scripts/make-runs-benchmark.sh DIR [N=1000] [R=10000]
set -euo pipefail
dir=$1; n=${2:-1000}; r=${3:-10000}
mkdir -p "$dir"
python3 - "$dir" "$n" "$r" <<'PY'
import json, os, sys
d, n, r = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
labels = ["World", "Sports", "Business", "Science | Technology"]
src = os.path.join(d, "records.jsonl")
sizes = []
with open(src, "w") as f:
    for i in range(r):
        gold = labels[i % 4]
        line = json.dumps({"id": str(i), "text": "text number %d about something in the news today" % i,
                           "gold": gold, "output": "reasoning... label: " + (gold if i % 5 else "World"),
                           "finish_reason": "stop", "prompt_tokens": 120, "completion_tokens": 20,
                           "latency_ms": 400, "error": None}) + "\n"
        f.write(line)
        sizes.append(len(line.encode()))
total = sum(sizes)
# A manifest as classify writes it: the template's text (a reasoning prompt of about 1 KB), sampling, counts.
template = ("You are an expert in text classification. Read the text below and decide which of these "
            "categories it belongs to:\n{labels}\nThink step by step, then give the final answer on the last "
            "line as 'label: CATEGORY'.\n" * 5) + "text: {text}\nlabel:\n"
for k in range(n):
    run = os.path.join(d, "run-%04d" % k)
    os.makedirs(run, exist_ok=True)
    out = os.path.join(run, "out.jsonl")
    if not os.path.exists(out):
        os.link(src, out)
    short = 20 if k % 2 else 0
    covered = r - short
    with open(out + ".manifest.json", "w") as f:
        json.dump({"tool_version": "bench", "run_id": "r%d" % k, "mode": "reason", "labels": labels,
                   "template": {"file": "prompts/reason.txt", "sha256": "x", "text": template},
                   "model": "glm-4-9b-chat", "base_urls": ["http://127.0.0.1:8000/v1"],
                   "sampling": {"temperature": 0.0, "max_tokens": 1024, "seed": None,
                                "stop_token_ids": [151329, 151336, 151338]},
                   "data": {"file": "data/ag_news/test.csv", "format": "csv",
                   "sha256": "x", "examples": r}, "concurrency": {"setting": "auto"},
                   "counts": {"examples": r, "succeeded": r, "failed": 0, "skipped": 0, "retries": 0,
                              "prompt_tokens": 120 * r, "completion_tokens": 20 * r},
                   "status": "complete" if k % 3 else "running", "stop_reason": None,
                   "started_at": "2026-12-05T10:00:00Z", "finished_at": None}, f, indent=2)
    with open(out + ".lock", "w") as f:
        f.write(json.dumps({"pid": 1, "host": "bench", "started_at": "2026-12-05T10:00:00Z",
                            "locked_at": "2026-12-05T10:00:00Z", "released_at": "2026-12-05T11:00:00Z"}) + "\n")
    right = sum(1 for i in range(covered) if i % 5 or i % 4 == 0)
    with open(out + ".progress.json", "w") as f:
        json.dump({"bytes": total - sum(sizes[covered:]), "counts": {"records": covered, "ok": covered, "failed": 0,
                   "superseded": 0, "scored": covered, "right": right}, "session_started_at": "2026-12-05T10:00:00Z",
                   "session_records": covered, "updated_at": "2026-12-05T11:00:00Z"}, f)
os.remove(src)
PY
