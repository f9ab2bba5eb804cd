#!/usr/bin/env bash
# Submits the classify array and, depending on it (afterok), the job that evaluates the merged shards.
#   MODE=reason DATA=data/ag_news/test.csv scripts/slurm/submit.sh [sbatch options for the array, e.g. --array=0-7]
# Environment: as classify-array.sbatch (MODE, DATA, OUTPUT, LLMCLS_ARGS, SERVER_CMD, ...); MERGE_SBATCH_ARGS adds
# sbatch options for the merge job (e.g. "--partition=cpu"). Prints the two job ids.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
MODE="${MODE:-basic}"
OUTPUT="${OUTPUT:-output/$MODE.jsonl}"
export MODE OUTPUT
log_dir="$(dirname "$OUTPUT")/slurm"
mkdir -p "$log_dir"
bin/llmcls --version > /dev/null # builds the jar now, not in every task at once
array="$(sbatch --parsable --output="$log_dir/%x-%A_%a.log" "$@" scripts/slurm/classify-array.sbatch)"
array="${array%%;*}"
# shellcheck disable=SC2086
merge="$(sbatch --parsable --output="$log_dir/%x-%j.log" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  ${MERGE_SBATCH_ARGS:-} scripts/slurm/evaluate-merged.sbatch)"
merge="${merge%%;*}"
echo "array job $array (logs $log_dir/llmcls-${array}_*.log), merge job $merge (log $log_dir/llmcls-merge-$merge.log)"
echo "$array $merge" > "$log_dir/last-submit"
