#!/usr/bin/env bash
# Starts, stops and reports JobManagers on this host. Several may run side by side (each with its
# own rest.port and jobmanager.rpc.port, given as -D overrides); each gets the lowest free
# instance number.
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
# shellcheck source=daemon.sh
. "$BATON_BIN/daemon.sh"

usage() {
  cat << USAGE
Usage: jobmanager.sh start [-Dkey=value ...]             start a JobManager in the background and
                                                        wait until its REST API answers
       jobmanager.sh start-foreground [-Dkey=value ...]  run a JobManager in this terminal
       jobmanager.sh stop [n]                            stop JobManager n (default: the newest)
       jobmanager.sh stop-all                            stop every JobManager on this host
       jobmanager.sh status                              one line per JobManager:
                                                        <pid> <host:rest-port> running|down
Overrides such as -Drest.port=8082 -Djobmanager.rpc.port=6124 win over $BATON_CONF_FILE.
USAGE
}

# Checks the overrides, the ports and the installation before anything starts.
prepare() {
  local arg
  for arg in "$@"; do
    if [[ ! "$arg" =~ ^-D[^=]+=.* ]]; then
      baton_die "unexpected argument '$arg': expected -Dkey=value"
    fi
  done
  baton_find_java
  baton_check_lib
  REST_HOST=$(baton_setting rest.address localhost "$@")
  REST_PORT=$(baton_setting rest.port 8081 "$@")
  RPC_PORT=$(baton_setting jobmanager.rpc.port 6123 "$@")
  baton_check_port_free "$REST_PORT" rest.port
  baton_check_port_free "$RPC_PORT" jobmanager.rpc.port
}

start() {
  prepare "$@"
  local url="http://$REST_HOST:$REST_PORT/overview" deadline
  baton_daemon_launch jobmanager "$JOBMANAGER_CLASS" "$BATON_JM_HEAP" "${BATON_JM_JVM_OPTS:-}" \
    "$REST_HOST:$REST_PORT" "$@"
  echo "Starting JobManager $DAEMON_INSTANCE (pid $DAEMON_PID) on $BATON_HOSTNAME; log: $DAEMON_LOG"
  if [[ "$REST_PORT" == 0 ]]; then
    return 0 # the port is chosen by the JVM: nothing to wait for here
  fi
  deadline=$((SECONDS + BATON_START_TIMEOUT))
  until baton_http_get "$url" > /dev/null; do
    if ! baton_pid_runs "$DAEMON_PID" "$JOBMANAGER_CLASS"; then
      baton_print_log_tail "$DAEMON_LOG" "$DAEMON_OUT"
      baton_forget_instance jobmanager "$DAEMON_INSTANCE"
      baton_die "JobManager $DAEMON_INSTANCE exited during start-up; see $DAEMON_LOG"
    fi
    if ((SECONDS >= deadline)); then
      baton_print_log_tail "$DAEMON_LOG" "$DAEMON_OUT"
      baton_die "JobManager $DAEMON_INSTANCE (pid $DAEMON_PID) did not answer on $url within $BATON_START_TIMEOUT s; it is still running: see $DAEMON_LOG, stop it with 'bin/jobmanager.sh stop $DAEMON_INSTANCE'"
    fi
    sleep 0.5
  done
  echo "JobManager $DAEMON_INSTANCE is up: REST API at http://$REST_HOST:$REST_PORT"
}

start_foreground() {
  prepare "$@"
  baton_daemon_exec jobmanager "$JOBMANAGER_CLASS" "$BATON_JM_HEAP" "${BATON_JM_JVM_OPTS:-}" \
    "$REST_HOST:$REST_PORT" "$@"
}

command="${1:-}"
if [[ $# -gt 0 ]]; then shift; fi
case "$command" in
  start) start "$@" ;;
  start-foreground) start_foreground "$@" ;;
  stop) baton_daemon_stop_one jobmanager "$JOBMANAGER_CLASS" "$@" ;;
  stop-all) baton_daemon_stop_all jobmanager "$JOBMANAGER_CLASS" ;;
  status)
    if [[ -z "$(baton_instances jobmanager)" ]]; then
      echo "No JobManager on $BATON_HOSTNAME."
      exit 3
    fi
    baton_daemon_status jobmanager "$JOBMANAGER_CLASS"
    ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 1
    ;;
esac
