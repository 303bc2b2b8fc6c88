#!/usr/bin/env bash
# Starts, stops and reports TaskManagers on this host. Several run side by side (numbered
# instances, each with its own pid file and log); with taskmanager.rpc.port 0 (the default) each
# picks a free port. In HA mode they find the leading JobManager through ZooKeeper.
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

# How long a new TaskManager must stay alive for `start` to call it started: configuration
# mistakes and busy ports end the JVM within this time.
BATON_TM_START_CHECK="${BATON_TM_START_CHECK:-3}"

usage() {
  cat << USAGE
Usage: taskmanager.sh start [-Dkey=value ...]             start a TaskManager in the background
       taskmanager.sh start-foreground [-Dkey=value ...]  run a TaskManager in this terminal
       taskmanager.sh stop [n]                            stop TaskManager n (default: the newest)
       taskmanager.sh stop-all                            stop every TaskManager on this host
       taskmanager.sh status                              one line per TaskManager:
                                                         <pid> <name> running|down
Overrides such as -Dtaskmanager.numberOfTaskSlots=4 win over $BATON_CONF_FILE.
USAGE
}

prepare() {
  local arg
  for arg in "$@"; do
    if [[ ! "$arg" =~ ^-D[^=]+=.* ]]; then
      baton_die "unexpected argument '$arg': expected -Dkey=value"
    fi
  done
  baton_find_java
  baton_check_lib
  baton_check_port_free "$(baton_setting taskmanager.rpc.port 0 "$@")" taskmanager.rpc.port
  baton_require_embedded_zookeeper "$@"
}

start() {
  prepare "$@"
  local deadline name
  name="$BATON_HOSTNAME/taskmanager-$(baton_free_instance taskmanager "$TASKMANAGER_CLASS")"
  baton_daemon_launch taskmanager "$TASKMANAGER_CLASS" "$BATON_TM_HEAP" "${BATON_TM_JVM_OPTS:-}" \
    "$name" "$@"
  echo "Starting TaskManager $DAEMON_INSTANCE (pid $DAEMON_PID) on $BATON_HOSTNAME; log: $DAEMON_LOG"
  deadline=$((SECONDS + BATON_TM_START_CHECK))
  while ((SECONDS < deadline)); do
    if ! baton_launched_alive "$DAEMON_PID"; then
      baton_print_log_tail "$DAEMON_LOG" "$DAEMON_OUT"
      baton_forget_instance taskmanager "$DAEMON_INSTANCE"
      baton_die "TaskManager $DAEMON_INSTANCE exited during start-up; see $DAEMON_LOG"
    fi
    sleep 0.2
  done
}

start_foreground() {
  prepare "$@"
  baton_daemon_exec taskmanager "$TASKMANAGER_CLASS" "$BATON_TM_HEAP" "${BATON_TM_JVM_OPTS:-}" \
    "$BATON_HOSTNAME/taskmanager-$(baton_free_instance taskmanager "$TASKMANAGER_CLASS")" "$@"
}

command="${1:-}"
if [[ $# -gt 0 ]]; then shift; fi
case "$command" in
  start) start "$@" ;;
  start-foreground) start_foreground "$@" ;;
  stop) baton_daemon_stop_one taskmanager "$TASKMANAGER_CLASS" "$@" ;;
  stop-all) baton_daemon_stop_all taskmanager "$TASKMANAGER_CLASS" ;;
  status)
    if [[ -z "$(baton_instances taskmanager)" ]]; then
      echo "No TaskManager on $BATON_HOSTNAME."
      exit 3
    fi
    baton_daemon_status taskmanager "$TASKMANAGER_CLASS"
    ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 1
    ;;
esac
