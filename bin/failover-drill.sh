#!/usr/bin/env bash
# A failover drill on the HA cluster described by conf/ (BATON_CONF_DIR): runs the Ledger example
# with checkpoints, injects faults one after another (the leader, a standby, a TaskManager or the
# embedded ZooKeeper server; SIGKILL, SIGTERM or SIGSTOP), starts again what it killed, reports
# every failover from what the JobManagers say over REST, and verifies the job's output: exit 0
# only when every fault was recovered and nothing was lost or counted twice.
#
#   bin/failover-drill.sh --start --kills 5 --target random     # starts and stops the cluster itself
#   bin/failover-drill.sh --kills 3 --target leader --signal TERM
#   bin/failover-drill.sh --help                                 # every option, what to expect
#
# The drill itself runs in Java (io.baton.drill.FailoverDrill, in lib/): it polls REST, parses
# JSON and keeps the figures. On Ctrl-C or SIGTERM its shutdown hook resumes a paused process,
# starts again one it killed, and stops the cluster only if --start started it.
set -euo pipefail

# This script's directory, symlinks followed, so it runs from anywhere and through links.
target="${BASH_SOURCE[0]}"
while [[ -L "$target" ]]; do
  link=$(readlink "$target")
  if [[ "$link" == /* ]]; then target="$link"; else target="$(dirname "$target")/$link"; fi
done
BATON_BIN=$(cd -P "$(dirname "$target")" && pwd)
# shellcheck source=config.sh
. "$BATON_BIN/config.sh"

DRILL_CLASS=io.baton.drill.FailoverDrill

baton_find_java
baton_check_lib
for arg in "$@"; do
  if [[ "$arg" == -h || "$arg" == --help ]]; then
    help=1
  fi
done
if [[ -z "${help:-}" && ! -f "$BATON_HOME/examples/target/baton-examples.jar" ]]; then
  baton_die "no $BATON_HOME/examples/target/baton-examples.jar: build first with 'mvn -B package -DskipTests'"
fi

# The drill starts bin/ scripts itself and finds their processes through the pid files.
export BATON_HOME BATON_CONF_DIR BATON_LOG_DIR BATON_PID_DIR BATON_STOP_TIMEOUT

# A small JVM: it polls REST and waits most of the time.
BATON_DRILL_JVM_OPTS="${BATON_DRILL_JVM_OPTS:--Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
# shellcheck disable=SC2206 # the variables hold several options separated by spaces
drill_opts=(${BATON_JVM_OPTS:-} $BATON_DRILL_JVM_OPTS)

exec "$JAVA_RUN" "${drill_opts[@]}" \
  -Dlog4j2.configurationFile="$BATON_CONF_DIR/log4j2-console.properties" \
  -cp "$(baton_classpath)" "$DRILL_CLASS" "$@"
