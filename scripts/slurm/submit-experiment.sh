#!/usr/bin/env bash
# Submits a whole experiment (docs/experiments.md) to Slurm: an array with one task per server of the study (its
# cells run side by side under that server's one limit, as `llmcls experiment run` runs them) or, with PER=cell, one
# task per cell; then, depending on the array (afterok), the job that writes the study's report. Only the cells that
# are not complete get a task (`experiment plan` decides), so submitting again resumes a study.
#   scripts/slurm/submit-experiment.sh examples/seed-study.yaml [sbatch options for the array, e.g. --partition=gpu]
# Environment:
#   PER=server                 server: one task per server (default); cell: one task per cell
#   OUTPUT_DIR=output          as experiment's --output-dir, relative to where you submit from
#   SERVER_CMD=                unset: the servers the file names are up already and reachable from the nodes (the
#                              tasks then need no GPU: pass --gres=none). Set (e.g. scripts/serve-vllm.sh): each task
#                              starts its server on its node, as classify-array.sbatch does, with PORT from the cells'
#                              base-url (which must then be http://localhost:PORT/v1 or 127.0.0.1) and MODEL from
#                              their model, in its environment. With PER=cell only when no two cells share a server.
#   SERVER_WAIT=1800           seconds a task waits for its server to answer GET /v1/models
#   EXPERIMENT_ARGS=""         more `experiment run` options, e.g. "--cells-per-server 3"
#   REPORT_ARGS=""             more `experiment report` options, e.g. "--resamples 2000"
#   REPORT_SBATCH_ARGS=""      sbatch options for the report job (e.g. "--partition=cpu")
# Logs and the report go to OUTPUT_DIR/EXPERIMENT/slurm/ (report.txt, report.json, report.html). Prints the job ids.
set -euo pipefail
say() { echo "submit-experiment: $*" >&2; }
[[ $# -ge 1 && -f "$1" ]] || { say "usage: scripts/slurm/submit-experiment.sh FILE [sbatch options]; no file '${1:-}'"; exit 2; }
file="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
OUTPUT_DIR="${OUTPUT_DIR:-output}"
[[ "$OUTPUT_DIR" == /* ]] || OUTPUT_DIR="$(pwd)/$OUTPUT_DIR"
PER="${PER:-server}"
[[ "$PER" == server || "$PER" == cell ]] || { say "PER must be server or cell, got '$PER'"; exit 2; }
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bin/llmcls --version > /dev/null # builds the jar now, not in every task at once

plan="$(bin/llmcls experiment plan "$file" --output-dir "$OUTPUT_DIR" --format json)" # a bad file stops here (exit 2)
name="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["experiment"])' <<< "$plan")"
study="$OUTPUT_DIR/$name"
log_dir="$study/slurm"
mkdir -p "$log_dir"
# One line per task: server number, base URL, model, the cells (1-based numbers, comma-separated).
tasks="$(mktemp "$log_dir/tasks.XXXXXX")"
PLAN="$plan" python3 - "$PER" "${SERVER_CMD:+1}" > "$tasks" <<'PY' || { rm -f "$tasks"; exit 2; }
import json, os, sys
per, own_server = sys.argv[1], bool(sys.argv[2])
def refuse(message):
    print("submit-experiment: " + message, file=sys.stderr)
    sys.exit(2)
groups = {}
for line in json.loads(os.environ["PLAN"])["cells"]:
    if line["state"] == "done":
        continue
    key = line["server"] if per == "server" and line["server"] > 0 else ("cell", line["index"])
    groups.setdefault(key, []).append(line)
servers = [lines[0]["server"] for lines in groups.values()]
if own_server and per == "cell":
    shared = sorted({s for s in servers if s > 0 and servers.count(s) > 1})
    if shared:
        refuse("PER=cell with SERVER_CMD would start server %s once per cell on one port; "
                 "use PER=server" % ", ".join(map(str, shared)))
for lines in groups.values():
    first = lines[0]
    urls = first["base_urls"] or ["-"]
    if own_server and len(urls) > 1:
        refuse("SERVER_CMD starts one server per task, but cells %s name %d replicas"
                 % (",".join(str(l["index"]) for l in lines), len(urls)))
    print("%d\t%s\t%s\t%s" % (first["server"], urls[0], first["model"] or "-",
                              ",".join(str(l["index"]) for l in lines)))
PY
count="$(wc -l < "$tasks")"
export LLMCLS_EXPERIMENT="$file" OUTPUT_DIR TASKS="$tasks"
dependency=()
array=""
if (( count > 0 )); then
  say "$count task(s), one per $PER, for the cells that are not complete (list: $tasks)"
  array="$(sbatch --parsable --array="0-$((count - 1))" --output="$log_dir/%x-%A_%a.log" "$@" \
    scripts/slurm/experiment-array.sbatch)"
  array="${array%%;*}"
  dependency=(--dependency="afterok:$array" --kill-on-invalid-dep=yes)
else
  say "every cell is complete: only the report job"
fi
# shellcheck disable=SC2086
report="$(sbatch --parsable --output="$log_dir/%x-%j.log" "${dependency[@]}" ${REPORT_SBATCH_ARGS:-} \
  scripts/slurm/experiment-report.sbatch)"
report="${report%%;*}"
if [[ -n "$array" ]]; then
  echo "array job $array ($count tasks, logs $log_dir/llmcls-exp-${array}_*.log), report job $report (log $log_dir/llmcls-report-$report.log, report in $log_dir/report.txt)"
else
  echo "report job $report (log $log_dir/llmcls-report-$report.log, report in $log_dir/report.txt)"
fi
echo "${array:--} $report" > "$log_dir/last-submit"
