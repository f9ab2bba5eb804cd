#!/usr/bin/env bash
# Benchmark: evaluate a generated 1,000,000-record run file (and, second, two such files with the paired comparison
# and the HTML report), with the JVM's default collector and with the serial one. Not a test: prints wall-clock and
# CPU times, and the ratio to a minimal Python pass over the same file; record them in BENCHMARKS.md.
#   scripts/bench-evaluate.sh [RECORDS] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000000}"
work="${2:-target/bench-evaluate}"
mkdir -p "$work"
jar=target/llmcls.jar  # built only when the sources changed, so that bin/llmcls's class-data-sharing archive stays
if [[ ! -f "$jar" || -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]]; then
  mvn -q -B -ntp package -DskipTests
fi
mvn -q -B -ntp test-compile
cp="target/test-classes:target/llmcls.jar"
for seed in 1 2; do
  file="$work/run-$seed-$records.jsonl"
  [[ -s "$file" ]] || { echo "generating $file" >&2; java -cp "$cp" dev.llmcls.bench.GenerateRunFile "$file" "$records" "$seed"; }
done
a="$work/run-1-$records.jsonl"
b="$work/run-2-$records.jsonl"
ls -l "$a" "$b"
java -version 2>&1 | head -1
echo "cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$a" "$b" > /dev/null  # warm the page cache, so that the first timing is not the disk's
# Wall-clock, user and system CPU seconds of one command (bash's time keyword: no extra tool needed).
run() {
  local TIMEFORMAT="%R s wall  %U s user  %S s sys  $*"
  time "$@" > "$work/last.out"
}
# evaluate against the minimal Python pass (read each line, json.loads, the seed rule; scripts/seed-eval-minimal.py),
# alternating, three rounds, with bin/llmcls's default JVM options; prints each wall time and the ratio of the medians.
# The same file with integer ids ({"id":123,...}, as a dataset with numeric ids gives them) is the second pair.
ints="$work/run-1-$records-integer-ids.jsonl"
[[ -s "$ints" ]] || sed -E 's/^\{"id":"([0-9]+)"/{"id":\1/' "$a" > "$ints"
# two small evaluate runs first: bin/llmcls records its class-data-sharing archive as the first run after a build
# exits and adopts it at the next, a cost a user pays once per build, not per run
head -n 10000 "$a" > "$work/warm-up.jsonl"
for i in 1 2; do bin/llmcls evaluate "$work/warm-up.jsonl" > /dev/null; done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
for file in "$a" "$ints"; do
  walls_java=(); walls_py=()
  for i in 1 2 3; do
    s=$(date +%s.%N); python3 scripts/seed-eval-minimal.py "$file" > "$work/last-py.out"; e=$(date +%s.%N)
    walls_py+=("$(python3 -c "print(round($e - $s, 2))")")
    s=$(date +%s.%N); bin/llmcls evaluate "$file" > "$work/last.out"; e=$(date +%s.%N)
    walls_java+=("$(python3 -c "print(round($e - $s, 2))")")
    echo "round $i: python ${walls_py[-1]} s, evaluate ${walls_java[-1]} s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  mj=$(median "${walls_java[@]}"); mp=$(median "${walls_py[@]}")
  echo "median, $(basename "$file"): evaluate $mj s, python $mp s, ratio $(python3 -c "print(round($mj / $mp, 3))") (target <= 0.35)"
done
for i in 1 2 3; do
  run java -jar target/llmcls.jar evaluate "$a"
done
# The same with the serial collector: on 2 cores G1's concurrent threads compete with the parser and the scorer.
for i in 1 2 3; do
  run java -XX:+UseSerialGC -jar target/llmcls.jar evaluate "$a"
done
run java -jar target/llmcls.jar evaluate --format json "$a" "$b" --html "$work/report.html"
run java -XX:+UseSerialGC -jar target/llmcls.jar evaluate --format json "$a" "$b" --html "$work/report.html"
