#!/usr/bin/env bash
# A failover drill on a running local HA cluster: runs the Ledger job with checkpoints, takes the
# leading JobManager away N times while it runs (SIGTERM through bin/jobmanager.sh stop, or
# SIGKILL), starts each stopped JobManager again as a standby, waits for the job to finish under
# the last leader and verifies its output: exit 0 when nothing was lost and nothing counted twice.
#
#   bin/failover-drill.sh                       # 3 graceful stops
#   bin/failover-drill.sh --signal KILL --kills 2 --events 120000 --rate 2000
#
# With SIGKILL a standby takes over only once the dead leader's ZooKeeper session expired
# (high-availability.zookeeper.client.session-timeout), so give the job enough events.
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

EXAMPLES_JAR="$BATON_HOME/examples/target/baton-examples.jar"
kills=3
signal=TERM
events=60000
rate=1000
keys=100
# Seconds between a new leader and the next stop: time for checkpoints under the new leader.
pause=5

usage() {
  echo "Usage: failover-drill.sh [--kills N] [--signal TERM|KILL] [--events N] [--rate EVENTS_PER_S] [--pause S]" >&2
  exit 1
}
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || usage
  case "$1" in
    --kills) kills="$2" ;;
    --signal) signal="${2#SIG}" ;;
    --events) events="$2" ;;
    --rate) rate="$2" ;;
    --pause) pause="$2" ;;
    *) usage ;;
  esac
  shift 2
done
for n in "$kills" "$events" "$rate" "$pause"; do
  [[ "$n" =~ ^[0-9]+$ ]] || baton_die "expected a number, got '$n'"
done
[[ "$signal" == TERM || "$signal" == KILL ]] || baton_die "--signal takes TERM or KILL, got '$signal'"
[[ "$(baton_ha_type)" == zookeeper ]] ||
  baton_die "the drill needs high-availability.type: zookeeper in $BATON_CONF_FILE"
[[ -f "$EXAMPLES_JAR" ]] || baton_die "no $EXAMPLES_JAR: build first with 'mvn -B package -DskipTests'"
baton_find_java

# The conf/masters line of the leader ("host:port"), from bin/jobmanager.sh status.
leader_line() {
  "$BATON_BIN/jobmanager.sh" status 2> /dev/null | awk '$3 == "leader" { print $1, $2; exit }'
}

# "state" of job $1 as the leader reports it.
job_state() {
  local url body
  url=$(baton_leader_rest_url) || return 1
  body=$(baton_http_get "$url/jobs/$1") || return 1
  [[ "$body" =~ \"state\"[[:space:]]*:[[:space:]]*\"([A-Z]+)\" ]] || return 1
  printf '%s' "${BASH_REMATCH[1]}"
}

[[ -n "$(leader_line)" ]] || baton_die "no JobManager of $BATON_CONF_DIR/masters leads: start the cluster first (bin/start-cluster.sh)"

output_dir="$(mktemp -d "${TMPDIR:-/tmp}/baton-drill.XXXXXX")/out"
echo "==> Ledger: $events events on $keys accounts at $rate/s, a checkpoint every second, output to $output_dir"
submitted=$("$BATON_BIN/baton" run -d "$EXAMPLES_JAR" ledger --events "$events" --keys "$keys" \
  --rate "$rate" --checkpoint-interval 1000 --output "$output_dir") || baton_die "the job was not submitted (see above)"
job_id=$(grep -oE '[0-9a-f]{32}' <<< "$submitted" | tail -n 1)
[[ -n "$job_id" ]] || baton_die "no job id in the CLI's answer: $submitted"
echo "Job $job_id submitted."
sleep "$pause"

for ((i = 1; i <= kills; i++)); do
  if [[ "$(job_state "$job_id" || true)" != RUNNING ]]; then
    echo "The job no longer runs; $((i - 1)) failover(s) done."
    break
  fi
  read -r pid master <<< "$(leader_line)"
  [[ -n "${master:-}" ]] || baton_die "no leader to take away"
  host="${master%:*}"
  port="${master##*:}"
  baton_is_local_host "$host" || baton_die "the leader $master runs on another host; the drill signals local processes only"
  echo "==> Failover $i of $kills: SIG$signal to the leader $master (pid $pid)"
  started=$SECONDS
  if [[ "$signal" == TERM ]]; then
    "$BATON_BIN/jobmanager.sh" stop "$master" > /dev/null
  else
    kill -KILL "$pid"
  fi
  deadline=$((SECONDS + 300))
  until new=$(leader_line) && [[ -n "$new" && "${new#* }" != "$master" ]]; do
    ((SECONDS < deadline)) || baton_die "no new leader within 300 s of stopping $master"
    sleep 0.5
  done
  echo "New leader ${new#* } after $((SECONDS - started)) s."
  "$BATON_BIN/jobmanager.sh" start "-Drest.port=$port" "-Drest.address=$host" -Djobmanager.rpc.port=0 > /dev/null ||
    baton_die "$master did not start again"
  echo "$master is back as a standby."
  sleep "$pause"
done

echo "==> Waiting for job $job_id to finish"
deadline=$((SECONDS + 300 + (rate > 0 ? events / rate : 0)))
until state=$(job_state "$job_id") && [[ "$state" =~ ^(FINISHED|FAILED|CANCELED)$ ]]; do
  ((SECONDS < deadline)) || baton_die "job $job_id still not finished; bin/baton list and the logs in $BATON_LOG_DIR say more"
  sleep 1
done
echo "Job $job_id $state."
[[ "$state" == FINISHED ]] || baton_die "the job ended $state; bin/baton info and the logs in $BATON_LOG_DIR say why"
echo "==> Verifying the output"
"$JAVA_RUN" -jar "$EXAMPLES_JAR" ledger --verify "$output_dir" --events "$events" --keys "$keys"
