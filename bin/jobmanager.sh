#!/usr/bin/env bash
# Starts, stops and reports JobManagers on this host. Several may run side by side (each with its
# own rest.port and jobmanager.rpc.port, given as -D overrides); each gets the lowest free
# instance number. With high-availability.type: zookeeper they elect a leader among themselves;
# `status` says who leads.
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
       jobmanager.sh stop [n | host:rest-port]           stop JobManager n, or the one serving
                                                        that REST port (default: the newest);
                                                        SIGTERM, so a leader hands over at once
       jobmanager.sh stop-all                            stop every JobManager on this host
                                                        (in HA mode the standbys first)
       jobmanager.sh status                              one line per JobManager of conf/masters:
                                                        <pid> <host:rest-port> leader|standby|down
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
  baton_require_embedded_zookeeper "$@"
}

start() {
  prepare "$@"
  local url="$(baton_rest_scheme)://$REST_HOST:$REST_PORT/ha" deadline
  baton_daemon_launch jobmanager "$JOBMANAGER_CLASS" "$BATON_JM_HEAP" "${BATON_JM_JVM_OPTS:-}" \
    "$REST_HOST:$REST_PORT" "$@"
  echo "Starting JobManager $DAEMON_INSTANCE (pid $DAEMON_PID) on $BATON_HOSTNAME; log: $DAEMON_LOG"
  if [[ "$REST_PORT" == 0 ]]; then
    return 0 # the port is chosen by the JVM: nothing to wait for here
  fi
  deadline=$((SECONDS + BATON_START_TIMEOUT))
  until baton_http_get "$url" > /dev/null; do
    if ! baton_launched_alive "$DAEMON_PID"; then
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
  echo "JobManager $DAEMON_INSTANCE is up: REST API at $(baton_rest_scheme)://$REST_HOST:$REST_PORT"
}

start_foreground() {
  prepare "$@"
  baton_daemon_exec jobmanager "$JOBMANAGER_CLASS" "$BATON_JM_HEAP" "${BATON_JM_JVM_OPTS:-}" \
    "$REST_HOST:$REST_PORT" "$@"
}

# The pid of the JobManager on this host whose REST API is on port $1 (from the address files its
# start wrote), or nothing.
local_pid_of_rest_port() {
  local port="$1" n pid addr
  for n in $(baton_instances jobmanager); do
    addr=$(head -n 1 "$BATON_PID_DIR/baton-jobmanager-$n.addr" 2> /dev/null || true)
    pid=$(baton_recorded_pid jobmanager "$n")
    if [[ "${addr##*:}" == "$port" ]] && baton_pid_runs "$pid" "$JOBMANAGER_CLASS"; then
      printf '%s' "$pid"
      return 0
    fi
  done
}

# The instance number of the JobManager on this host serving REST port $1, or nothing.
local_instance_of_rest_port() {
  local port="$1" n addr
  for n in $(baton_instances jobmanager); do
    addr=$(head -n 1 "$BATON_PID_DIR/baton-jobmanager-$n.addr" 2> /dev/null || true)
    if [[ "${addr##*:}" == "$port" ]]; then
      printf '%s' "$n"
      return 0
    fi
  done
}

# stop n | stop host:rest-port | stop (the newest).
stop() {
  local target="${1:-}" host port n
  if [[ $# -gt 1 ]]; then
    baton_die "stop takes one instance number or host:rest-port, got '$*'"
  fi
  if [[ "$target" == *:* ]]; then
    host="${target%:*}"
    port="${target##*:}"
    if [[ ! "$port" =~ ^[0-9]+$ ]]; then
      baton_die "stop takes an instance number or host:rest-port, got '$target'"
    fi
    if [[ -n "$host" ]] && ! baton_is_local_host "$host"; then
      baton_die "$host is not this machine: run bin/jobmanager.sh stop $target there"
    fi
    n=$(local_instance_of_rest_port "$port")
    if [[ -z "$n" ]]; then
      echo "No JobManager with REST port $port on $BATON_HOSTNAME."
      return 0
    fi
    target="$n"
  fi
  baton_daemon_stop_one jobmanager "$JOBMANAGER_CLASS" "$target"
}

# One line per JobManager of conf/masters: "<pid> <host:rest-port> leader|standby|down". The pid
# is that of the process serving that REST port (asked over ssh on other hosts), "-" when there
# is none; the role comes from its GET /ha. Exit status 0 when one answers, 3 otherwise.
status() {
  local masters_text master host port pid role any=3
  if [[ $# -gt 0 ]]; then
    baton_die "status takes no arguments, got '$*'"
  fi
  masters_text=$(baton_read_hosts_file "$BATON_CONF_DIR/masters")
  if [[ -z "$masters_text" ]]; then
    baton_die "$BATON_CONF_DIR/masters lists no JobManager (expected lines like localhost:8081)"
  fi
  while IFS= read -r master; do
    host="${master%:*}"
    port="${master##*:}"
    if [[ "$master" != *:* || -z "$host" || ! "$port" =~ ^[0-9]+$ ]]; then
      baton_die "bad line '$master' in $BATON_CONF_DIR/masters: expected host:rest-port"
    fi
    if baton_is_local_host "$host"; then
      pid=$(local_pid_of_rest_port "$port")
    else
      pid=$(baton_run_on_host "$host" jobmanager.sh local-pid "$port" 2> /dev/null < /dev/null || true)
      [[ "$pid" =~ ^[0-9]+$ ]] || pid=""
    fi
    role=$(baton_jobmanager_role "$host" "$port")
    [[ "$role" == down ]] || any=0
    echo "${pid:--} $master $role"
  done <<< "$masters_text"
  return "$any"
}

# Stops every JobManager on this host. In HA mode the standbys go first and the leaders last, so
# leadership does not move to a JobManager that is about to stop as well.
stop_all() {
  local n addr role leaders=() others=() pids=()
  if [[ "$(baton_ha_type)" != zookeeper ]]; then
    baton_daemon_stop_all jobmanager "$JOBMANAGER_CLASS"
    return
  fi
  for n in $(baton_instances jobmanager); do
    addr=$(head -n 1 "$BATON_PID_DIR/baton-jobmanager-$n.addr" 2> /dev/null || true)
    role=down
    if [[ "$addr" == *:* ]]; then
      role=$(baton_jobmanager_role "${addr%:*}" "${addr##*:}")
    fi
    if [[ "$role" == leader ]]; then leaders+=("$n"); else others+=("$n"); fi
  done
  if [[ ${#leaders[@]} -eq 0 && ${#others[@]} -eq 0 ]]; then
    echo "No jobmanager to stop on $BATON_HOSTNAME."
    return 0
  fi
  for n in "${others[@]+"${others[@]}"}"; do
    baton_daemon_stop jobmanager "$JOBMANAGER_CLASS" "$n" &
    pids+=("$!")
  done
  for n in "${pids[@]+"${pids[@]}"}"; do
    wait "$n" || true
  done
  for n in "${leaders[@]+"${leaders[@]}"}"; do
    baton_daemon_stop jobmanager "$JOBMANAGER_CLASS" "$n"
  done
}

command="${1:-}"
if [[ $# -gt 0 ]]; then shift; fi
case "$command" in
  start) start "$@" ;;
  start-foreground) start_foreground "$@" ;;
  stop) stop "$@" ;;
  stop-all) stop_all ;;
  status) status "$@" ;;
  # for `status` on other hosts: the pid serving REST port $1 here
  local-pid) local_pid_of_rest_port "${1:?local-pid needs a REST port}" ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 1
    ;;
esac
