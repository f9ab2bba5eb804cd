#!/usr/bin/env bash
# Benchmark: evaluate a generated 1,000,000-record run file (and, second, two such files with the paired comparison
# and the HTML report), with the JVM's default collector and with the serial one. Not a test: prints wall-clock and
# CPU times; record them in BENCHMARKS.md.
#   scripts/bench-evaluate.sh [RECORDS] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000000}"
work="${2:-target/bench-evaluate}"
mkdir -p "$work"
mvn -q -B -ntp package -DskipTests
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
for i in 1 2 3; do
  run java -jar target/llmcls.jar evaluate "$a"
done
# The same with the serial collector: on 2 cores G1's concurrent threads compete with the parser and the scorer.
for i in 1 2 3; do
  run java -XX:+UseSerialGC -jar target/llmcls.jar evaluate "$a"
done
run java -jar target/llmcls.jar evaluate --format json "$a" "$b" --html "$work/report.html"
run java -XX:+UseSerialGC -jar target/llmcls.jar evaluate --format json "$a" "$b" --html "$work/report.html"
