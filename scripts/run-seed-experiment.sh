#!/usr/bin/env bash
# The seed experiment end to end: classify AG News test with the basic and the reason prompt, then evaluate.
# Safe under nohup and safe to re-run: each classify resumes where an earlier, interrupted run stopped.
#   nohup scripts/run-seed-experiment.sh > output/seed.log 2>&1 &
# Environment: LLMCLS_BASE_URL (default http://localhost:8000/v1), CONCURRENCY (default auto: picked from the server), DATA.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${DATA:-data/ag_news/test.csv}"
[[ -f "$data" ]] || scripts/get-data.sh
status=0
for mode in basic reason; do
  echo "=== classify --mode $mode ($(date -u +%FT%TZ))" >&2
  bin/llmcls classify --mode "$mode" --data "$data" --output "output/$mode.jsonl" \
    --concurrency "${CONCURRENCY:-auto}" || status=$?
done
echo "=== evaluate ($(date -u +%FT%TZ))" >&2
bin/llmcls evaluate output/basic.jsonl output/reason.jsonl
exit "$status"
