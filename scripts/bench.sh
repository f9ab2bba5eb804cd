#!/usr/bin/env bash
# Reproduces every figure in BENCHMARKS.md: builds the jar, then runs the benchmark programs under
# src/test/java/dev/llmcls/bench (Maven profile `bench`), which start stand-in servers and run bin/llmcls as a child.
#   scripts/bench.sh                       # all four: startup, ceiling, saturation, memory (20-25 minutes on 2 cores)
#   scripts/bench.sh ceiling examples=20000 concurrency=64,256
#   scripts/bench.sh saturation slots=256 ideal-seconds=20
#   scripts/bench.sh store                 # the answer store on vs off (alternating), then all hits (issue 20)
#   scripts/bench.sh study                 # issue 19: 8 cells x 2,500 examples: 8 sequential classify, one classify of all
#                                          # 20,000 texts as one stream, experiment run (study-rows=one-stream,experiment)
# Before measuring, two small classify and experiment runs let bin/llmcls record and adopt its class-data-sharing
# archives (warm-up=off skips them). Keys and defaults: see dev.llmcls.bench.Bench. LLMCLS_JAVA_OPTS is passed on to bin/llmcls.
# Results are printed as Markdown tables and kept in target/bench/results-<time>.md; generated data stays in target/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk (Debian package) ..." >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq wrk; else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi
# Build only when the sources changed (as bin/llmcls does): a rebuilt jar makes the class-data-sharing archives stale
jar=target/llmcls.jar
if [[ ! -f "$jar" || -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]]; then
  mvn -q -B -ntp -DskipTests package
fi
mkdir -p target/bench
log="target/bench/results-$(date -u +%Y%m%dT%H%M%SZ).md"
args="${*:-all}"
mvn -q -B -ntp -Pbench test-compile exec:exec -Dbench.args="$args" | tee "$log"
echo "bench: results in $log" >&2
