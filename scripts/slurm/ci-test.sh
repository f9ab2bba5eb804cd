#!/usr/bin/env bash
# A real Slurm on this machine, for CI: installs Debian's slurm-wlm and munge when missing (needs root and apt),
# starts munged, slurmctld and slurmd on 127.0.0.1 with a private key, state directory and free ports (no cgroups:
# proctrack/linuxproc, task/none; four pretend GPUs as a GRES without device files), submits
# scripts/slurm/submit.sh's 4-task array with the tests' stand-in server (src/test/scripts/keyword_server.py) in place
# of vLLM, waits for the dependent merge job, and checks that the merged figures equal an unsharded run's. Then an
# experiment through scripts/slurm/submit-experiment.sh: 2 x 2 cells on two stand-ins, one array task per server and
# the afterok report job, whose report must equal a direct `experiment run` + `report` of the same file.
# Stops its daemons and removes its files on exit; safe to run twice, also at the same time.
#   scripts/slurm/ci-test.sh            (LIMIT=2000 examples by default; LIMIT=7600 for the whole AG News test set;
#                                        without the full data, the project's 400-row slice)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root="$(pwd)"
LIMIT="${LIMIT:-2000}"
started=$(date +%s)
say() { echo "slurm-ci $(date -u +%T): $*" >&2; }

if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null || ! command -v sbatch > /dev/null \
    || ! command -v munged > /dev/null; then
  say "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge > /dev/null
fi
say "slurm $(slurmd -V | awk "{print \$2}"), munge $(munged --version 2>&1 | awk "{print \$1; exit}")"

data=""
for candidate in data/ag_news/test.csv ../shared/data/ag_news/test.csv; do
  [[ -f "$candidate" ]] && data="$(cd "$(dirname "$candidate")" && pwd)/test.csv" && break
done
if [[ -z "$data" ]]; then
  # A plain clone has no full data: the project's own 400-row slice keeps the test meaningful there.
  data="$root/src/test/resources/fixtures/ag_news/test_first400.csv"
  (( LIMIT > 400 )) && LIMIT=400
  say "full AG News test.csv not found (scripts/get-data.sh puts it in data/ag_news): using the project's slice, LIMIT=$LIMIT"
fi
bin/llmcls --version > /dev/null

work="$(mktemp -d /tmp/llmcls-slurm.XXXXXX)"
chmod 755 "$work" # munged wants execute permission for all on its socket's directory
pids=()
cleanup() {
  status=$?
  if [[ -n "${SLURM_CONF:-}" && -f "$SLURM_CONF" ]]; then
    scancel --quiet --full "${jobs[@]:-}" 2> /dev/null || true
  fi
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do
    kill -TERM "${pids[i]}" 2> /dev/null || true
  done
  for pid in "${pids[@]:-}"; do
    [[ -n "$pid" ]] || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2> /dev/null || true
  done
  if (( status != 0 )); then
    say "FAILED (exit $status); the logs:"
    for log in "$work"/*.log "$work"/out/slurm/*.log; do
      [[ -f "$log" ]] && { echo "==== $log"; tail -n 40 "$log"; }
    done >&2
  fi
  rm -rf "$work"
  exit "$status"
}
jobs=()
trap cleanup EXIT
trap 'exit 130' INT TERM

# The runs' answer store: the test's own (not ~/.cache/llmcls, which another llmcls on this machine may hold), and
# the direct runs below another one, so that they ask the stand-ins again rather than reading the Slurm runs' answers.
export LLMCLS_STORE="$work/store"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- munge: its own key and socket
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 600 "$work/munge.key"
munged -F --key-file="$work/munge.key" --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munge.seed" > "$work/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [[ -S "$work/munge.sock" ]] && break; sleep 0.2; done
munge -S "$work/munge.sock" -n | unmunge -S "$work/munge.sock" > /dev/null

# ---- slurm: one node, this machine, on 127.0.0.1
host="$(hostname -s)"
mkdir -p "$work/state" "$work/spool" "$work/out"
cat > "$work/slurm.conf" <<CONF
ClusterName=llmcls-ci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=3600
GresTypes=gpu
# The node offers what the sbatch scripts ask for (4 tasks of 8 CPUs, 300 GB), whatever this machine has.
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=32 RealMemory=300000 Gres=gpu:4 State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# Four pretend GPUs: links to /dev/null stand in for /dev/nvidia0..3 (Slurm wants character devices; task/none binds
# none), so that the array's --gres=gpu:1 is scheduled as on a GPU node and each task gets its CUDA_VISIBLE_DEVICES.
for i in 0 1 2 3; do ln -s /dev/null "$work/nvidia$i"; done
echo "NodeName=$host Name=gpu File=$work/nvidia[0-3]" > "$work/gres.conf"
export SLURM_CONF="$work/slurm.conf"
slurmctld -D -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do scontrol ping 2> /dev/null | grep -q UP && break; sleep 0.2; done
slurmd -D -f "$SLURM_CONF" > "$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do sinfo -h -o %T 2> /dev/null | grep -q idle && break; sleep 0.2; done
sinfo -h -o %T | grep -q idle || { say "the node did not come up: $(sinfo 2>&1)"; exit 1; }
say "cluster up: $(sinfo -h -o '%P %D %T %G')"

# ---- the array and the merge job, as a user submits them, with the stand-in server instead of vLLM
export MODE=basic DATA="$data" OUTPUT="$work/out/basic.jsonl" LLMCLS_ARGS="--limit $LIMIT"
export SERVER_CMD='exec python3 src/test/scripts/keyword_server.py "$PORT"' SERVER_WAIT=60
submitted="$(scripts/slurm/submit.sh)"
say "$submitted"
read -r array merge < "$work/out/slurm/last-submit"
jobs=("$array" "$merge")
deadline=$(( $(date +%s) + ${SLURM_CI_TIMEOUT:-600} ))
while [[ -n "$(squeue -h -j "$array,$merge" 2> /dev/null)" ]]; do
  (( $(date +%s) < deadline )) || { say "jobs still queued or running: $(squeue)"; exit 1; }
  sleep 2
done
states="$(scontrol -o show job "$array" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ')"
merge_state="$(scontrol -o show job "$merge" | grep -o 'JobState=[A-Z_]*')"
say "array tasks:$states; merge job: $merge_state"
[[ "$(scontrol -o show job "$array" | grep -c 'JobState=COMPLETED')" == 4 ]] || { say "not all 4 tasks completed"; exit 1; }
[[ "$merge_state" == "JobState=COMPLETED" ]] || { say "the merge job did not complete"; exit 1; }
for i in 0 1 2 3; do
  grep -q "shard $i/4 (from SLURM_ARRAY_TASK_ID=$i, _MIN=0, _MAX=3, _STEP=1, _COUNT=4)" \
    "$work"/out/slurm/llmcls-"${array}"_*.log || { say "no task logged shard $i/4 from the Slurm variables"; exit 1; }
done
gpus="$(grep -ho 'GPUs [0-9]*' "$work"/out/slurm/llmcls-"${array}"_*.log | sort | tr '\n' ' ')"
say "each task got its own GPU: $gpus"
[[ "$gpus" == "GPUs 0 GPUs 1 GPUs 2 GPUs 3 " ]] || { say "the tasks did not get one GPU each"; exit 1; }
grep -q "merged all 4 shards of one run" "$work/out/slurm/llmcls-merge-$merge.log" \
  || { say "the merge job did not merge 4 shards"; exit 1; }

# ---- the same run unsharded, outside Slurm, and the figures compared
port="$(free_port)"
python3 src/test/scripts/keyword_server.py "$port" > "$work/standin.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do grep -q listening "$work/standin.log" && break; sleep 0.2; done
LLMCLS_STORE="$work/direct-store" env -u SLURM_CONF bin/llmcls classify --mode basic --data "$data" --limit "$LIMIT" --quiet \
  --base-url "http://127.0.0.1:$port/v1" --output "$work/unsharded/basic.jsonl"
bin/llmcls evaluate --format json "$work/unsharded/basic.jsonl" > "$work/unsharded.json"
python3 - "$work/out/basic.evaluation.json" "$work/unsharded.json" "$LIMIT" <<'PY'
import json, sys
merged = json.load(open(sys.argv[1]))["runs"][0]
whole = json.load(open(sys.argv[2]))["runs"][0]
print("merged:    %s records, seed right %s (%.4f), strict right %s, errors %s" % (merged["records"],
      merged["seed"]["right"], merged["seed"]["accuracy"], merged["strict"]["right"], merged["errors"]), file=sys.stderr)
print("unsharded: %s records, seed right %s (%.4f), strict right %s, errors %s" % (whole["records"],
      whole["seed"]["right"], whole["seed"]["accuracy"], whole["strict"]["right"], whole["errors"]), file=sys.stderr)
assert merged["file"].endswith("basic.shard-*-of-4.jsonl"), merged["file"]
del merged["file"], whole["file"]
assert merged["records"] == int(sys.argv[3]), merged["records"]
assert merged == whole, "the merged figures differ from the unsharded run's"
PY
say "PASSED: 4 array tasks and the merge job; merged figures equal the unsharded run's ($(( $(date +%s) - started )) s)"
{ kill -TERM "${pids[-1]}" && wait "${pids[-1]}"; } 2> /dev/null || true # the unsharded run's stand-in
unset 'pids[-1]'

# ---- an experiment (scripts/slurm/submit-experiment.sh): 2 x 2 cells, mode x server, on two stand-in servers; one
# array task per server, each starting its stand-in on the port the file names; then the afterok report job, whose
# report must equal that of the same study run directly (experiment run + report, outside Slurm).
experiment_started=$(date +%s)
exp_limit=$(( LIMIT < 200 ? LIMIT : 200 ))
port_a="$(free_port)"
port_b="$(free_port)"
[[ "$port_a" != "$port_b" ]] || port_b="$(free_port)"
cat > "$work/ci-study.yaml" <<YAML
experiment: ci-study
defaults: {data: "$data", limit: $exp_limit}
grid:
  mode: [basic, reason]
  server:
    a: {base-url: "http://127.0.0.1:$port_a/v1"}
    b: {base-url: "http://127.0.0.1:$port_b/v1"}
YAML
export SERVER_CMD='exec python3 src/test/scripts/keyword_server.py "$PORT"' SERVER_WAIT=60
submitted="$(OUTPUT_DIR="$work/exp" scripts/slurm/submit-experiment.sh "$work/ci-study.yaml")"
say "$submitted"
read -r exp_array exp_report < "$work/exp/ci-study/slurm/last-submit"
jobs=("$exp_array" "$exp_report")
deadline=$(( $(date +%s) + ${SLURM_CI_TIMEOUT:-600} ))
while [[ -n "$(squeue -h -j "$exp_array,$exp_report" 2> /dev/null)" ]]; do
  (( $(date +%s) < deadline )) || { say "jobs still queued or running: $(squeue)"; exit 1; }
  sleep 2
done
report_state="$(scontrol -o show job "$exp_report" | grep -o 'JobState=[A-Z_]*')"
say "experiment array tasks:$(scontrol -o show job "$exp_array" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c \
  | tr -s ' '); report job: $report_state"
[[ "$(scontrol -o show job "$exp_array" | grep -c 'JobState=COMPLETED')" == 2 ]] \
  || { say "not both server tasks completed"; exit 1; }
[[ "$report_state" == "JobState=COMPLETED" ]] || { say "the report job did not complete"; exit 1; }
for cells in "server 1 (http://127.0.0.1:$port_a/v1), cells 1,3" "server 2 (http://127.0.0.1:$port_b/v1), cells 2,4"; do
  grep -qF "$cells" "$work"/exp/ci-study/slurm/llmcls-exp-"${exp_array}"_*.log \
    || { say "no task ran $cells"; exit 1; }
done
grep -q "Holm" "$work/exp/ci-study/slurm/llmcls-report-$exp_report.log" \
  || { say "the report job's log has no report"; exit 1; }

# The same study run directly, on two stand-ins outside Slurm, and the two reports compared.
for port in "$port_a" "$port_b"; do
  python3 src/test/scripts/keyword_server.py "$port" > "$work/standin-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do grep -q listening "$work/standin-$port.log" && break; sleep 0.2; done
done
LLMCLS_STORE="$work/direct-store" env -u SLURM_CONF bin/llmcls experiment run "$work/ci-study.yaml" --output-dir "$work/direct" --quiet
env -u SLURM_CONF bin/llmcls experiment report "$work/ci-study.yaml" --output-dir "$work/direct" --format json \
  > "$work/direct-report.json"
python3 - "$work/exp/ci-study/slurm/report.json" "$work/direct-report.json" "$exp_limit" <<'PY'
import json, sys
def strip(node):  # wall time is the only figure that may differ between the two runs
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k != "wall_seconds"}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node
slurm, direct = (strip(json.load(open(path))) for path in sys.argv[1:3])
rows = [row for dataset in slurm["datasets"] for row in dataset["cells"]]
for row in rows:
    print("slurm report: %-22s %-8s %s records, accuracy %.4f, errors %s" % (row["cell"], row["status"],
          row["records"], row["accuracy"], row["errors"]), file=sys.stderr)
print("slurm report: %d effects, correction %s" % (len(slurm["effects"]), slurm["correction"]), file=sys.stderr)
assert len(rows) == 4, rows
assert all(row["records"] == int(sys.argv[3]) for row in rows), rows
assert len(slurm["effects"]) == 4, slurm["effects"]  # mode at each server, server at each mode
assert slurm == direct, "the Slurm study's report differs from the direct run's"
PY
# Submitted again, the complete study gets no array, only its report job.
resubmitted="$(OUTPUT_DIR="$work/exp" scripts/slurm/submit-experiment.sh "$work/ci-study.yaml" 2>&1)"
[[ "$resubmitted" == *"every cell is complete: only the report job"* ]] \
  || { say "a complete study was submitted with tasks again: $resubmitted"; exit 1; }
read -r again_array again_report < "$work/exp/ci-study/slurm/last-submit"
[[ "$again_array" == "-" ]] || { say "a complete study got array job $again_array"; exit 1; }
jobs=("$again_report")
while [[ -n "$(squeue -h -j "$again_report" 2> /dev/null)" ]]; do
  (( $(date +%s) < deadline )) || { say "the second report job is still queued or running: $(squeue)"; exit 1; }
  sleep 1
done
[[ "$(scontrol -o show job "$again_report" | grep -o 'JobState=[A-Z_]*')" == "JobState=COMPLETED" ]] \
  || { say "the second report job did not complete"; exit 1; }
say "PASSED: experiment, 2 server tasks and the report job; the report equals a direct run's ($(( $(date +%s) - experiment_started )) s; all $(( $(date +%s) - started )) s)"
