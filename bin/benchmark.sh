#!/usr/bin/env bash
# Runs Baton's benchmarks and prints their Markdown report (also kept in it/target/).
# Every process is a JVM of its own on this machine; the figures are measurements, not limits.
#
#   bin/benchmark.sh                 # all runtime benchmarks, 10 million Ledger events
#   BENCHMARK_EVENTS=1000000 bin/benchmark.sh   # a shorter run
set -euo pipefail

target="${BASH_SOURCE[0]}"
while [[ -L "$target" ]]; do
  link=$(readlink "$target")
  if [[ "$link" == /* ]]; then target="$link"; else target="$(dirname "$target")/$link"; fi
done
BATON_HOME=$(cd -P "$(dirname "$target")/.." && pwd)
cd "$BATON_HOME"

command -v mvn >/dev/null 2>&1 || { echo "baton: mvn not found: the benchmarks build and run with Maven" >&2; exit 1; }
rm -f it/target/benchmark-*.md
# upstream modules are built without their tests; only the *Benchmark classes of `it` run
mvn -B -q -Pbenchmark verify -pl it -am \
  -Dtest='*Benchmark' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark.events="${BENCHMARK_EVENTS:-10000000}"
cat it/target/benchmark-*.md
