#!/usr/bin/env bash
# Runs Baton's benchmarks and prints their Markdown report (also kept in it/target/).
# Every process is a JVM of its own on this machine; the figures are measurements, not limits.
#
#   bin/benchmark.sh                 # all runtime benchmarks, 10 million Ledger events
#   BENCHMARK_EVENTS=1000000 bin/benchmark.sh   # a shorter run
#   bin/benchmark.sh flink           # side by side with Apache Flink 1.20.1
#   bin/benchmark.sh flink -Dbenchmark.shapes=local-1tm,session,default   # Ledger cluster shapes
set -euo pipefail

target="${BASH_SOURCE[0]}"
while [[ -L "$target" ]]; do
  link=$(readlink "$target")
  if [[ "$link" == /* ]]; then target="$link"; else target="$(dirname "$target")/$link"; fi
done
BATON_HOME=$(cd -P "$(dirname "$target")/.." && pwd)
cd "$BATON_HOME"

command -v mvn >/dev/null 2>&1 || { echo "baton: mvn not found: the benchmarks build and run with Maven" >&2; exit 1; }

set_name="${1:-}"
[[ $# -gt 0 && "$1" != -D* ]] && shift
# any further -Dkey=value arguments go to Maven, e.g. -Dbenchmark.repetitions=1
for arg in "$@"; do
  [[ "$arg" == -D* ]] || { echo "baton: expected -Dkey=value after the benchmark set, got '$arg'" >&2; exit 1; }
done
[[ "$set_name" == -D* ]] && set_name=""

case "$set_name" in
  "")
    rm -f it/target/benchmark-*.md
    # upstream modules are built without their tests; only the *Benchmark classes of `it` run
    mvn -B -q -Pbenchmark verify -pl it -am \
      -Dtest='*Benchmark,!Flink*Benchmark' -Dsurefire.failIfNoSpecifiedTests=false \
      -Dbenchmark.events="${BENCHMARK_EVENTS:-10000000}" "$@"
    cat it/target/benchmark-*.md
    ;;
  flink)
    # Baton and Apache Flink 1.20.1 side by side, each pair measured in the same run; Flink's
    # artifacts come in only through the flink-benchmark module of this profile
    rm -f it/target/comparison-*.md
    mvn -B -q -Pbenchmark,flink verify -pl it -am \
      -Dtest='Flink*Benchmark' -Dsurefire.failIfNoSpecifiedTests=false \
      -Dbenchmark.events="${BENCHMARK_EVENTS:-10000000}" "$@"
    report=it/target/benchmark-flink-comparison.md
    {
      echo "# Baton and Apache Flink 1.20.1 side by side"
      echo
      echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1)."
      echo "Baton/Flink below 1 means Baton took less time, heap or CPU, or, for rates, did less."
      echo
      echo "| benchmark | measure | Baton | Flink | Baton/Flink |"
      echo "|---|---|---|---|---|"
      for part in throughput latency failover scheduling heartbeats; do
        f="it/target/comparison-$part.md"
        [[ -f "$f" ]] && grep -h '^|' "$f"
      done
      echo
      for part in throughput latency failover scheduling heartbeats; do
        f="it/target/comparison-$part.md"
        [[ -f "$f" ]] && grep -hv '^|' "$f" | sed '/^$/d' && echo
      done
    } > "$report"
    cat "$report"
    ;;
  -h | --help)
    echo "Usage: bin/benchmark.sh [flink] [-Dkey=value ...]"
    echo "  (none)  Baton's own benchmarks: runtime, checkpoints, failover"
    echo "  flink   Baton and Apache Flink 1.20.1 side by side: throughput and latency in each"
    echo "          cluster shape, failover, scheduling, the JobManager's cost with 200 to 2,000"
    echo "          heartbeating TaskManagers and 10,000 running subtasks; writes"
    echo "          it/target/benchmark-flink-comparison.md"
    echo "BENCHMARK_EVENTS sets the Ledger event count (default 10000000); -Dkey=value arguments"
    echo "go to Maven, e.g. -Dbenchmark.repetitions=1 -Dbenchmark.failover.runs=3"
    echo "-Dbenchmark.shapes=local-1tm,session,default -Dbenchmark.latency.rate=50000"
    echo "-Dbenchmark.latency.events=3000000 -Dbenchmark.heartbeats.taskmanagers=200,1000,2000"
    echo "-Dbenchmark.heartbeats.subtasks=10000 (see docs/benchmark-flink-comparison.md)."
    ;;
  *)
    echo "baton: unknown benchmark set '$set_name' (expected nothing or 'flink'; see --help)" >&2
    exit 1
    ;;
esac
