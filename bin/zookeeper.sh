#!/usr/bin/env bash
# Starts, stops and reports the embedded ZooKeeper server of a one-machine HA cluster
# (high-availability.zookeeper.quorum: embedded): a real, standalone ZooKeeper server in a JVM of
# its own, on 127.0.0.1 at high-availability.zookeeper.embedded.port, its data in
# $BATON_DATA_DIR/zookeeper. bin/start-cluster.sh starts it before the JobManagers when the
# configuration asks for it. One per host.
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

ZK_DATA_DIR="$BATON_DATA_DIR/zookeeper"

usage() {
  cat << USAGE
Usage: zookeeper.sh start [-Dkey=value ...]             start ZooKeeper in the background and wait
                                                       until it serves ('ruok' answers 'imok')
       zookeeper.sh start-foreground [-Dkey=value ...]  run ZooKeeper in this terminal
       zookeeper.sh stop                                stop it (SIGTERM, SIGKILL after
                                                       ${BATON_STOP_TIMEOUT} s)
       zookeeper.sh status [-Dkey=value ...]            <pid> 127.0.0.1:<port> running|unresponsive|down
It listens on 127.0.0.1 at $ZK_PORT_KEY of $BATON_CONF_FILE
(-D$ZK_PORT_KEY=2182 overrides it) and keeps its data in $ZK_DATA_DIR.
USAGE
}

# Checks the overrides and the installation; sets ZK_PORT.
prepare() {
  local arg
  for arg in "$@"; do
    if [[ ! "$arg" =~ ^-D[^=]+=.* ]]; then
      baton_die "unexpected argument '$arg': expected -Dkey=value"
    fi
  done
  baton_find_java
  baton_check_lib
  ZK_PORT=$(baton_zk_port "$@")
}

# The pid of the running ZooKeeper started from this installation, or nothing.
running_pid() {
  local pid
  pid=$(baton_recorded_pid zookeeper 0)
  if baton_pid_runs "$pid" "$ZOOKEEPER_CLASS"; then
    printf '%s' "$pid"
  fi
}

start() {
  prepare "$@"
  local pid deadline
  pid=$(running_pid)
  if [[ -n "$pid" ]]; then
    echo "ZooKeeper is already running (pid $pid) on 127.0.0.1:$(recorded_port "$ZK_PORT")."
    return 0
  fi
  baton_forget_instance zookeeper 0
  baton_check_port_free "$ZK_PORT" "$ZK_PORT_KEY"
  baton_daemon_launch zookeeper "$ZOOKEEPER_CLASS" "$BATON_ZK_HEAP" "${BATON_ZK_JVM_OPTS:-}" \
    "127.0.0.1:$ZK_PORT" --dataDir "$ZK_DATA_DIR" "$@"
  echo "Starting ZooKeeper (pid $DAEMON_PID) on 127.0.0.1:$ZK_PORT, data in $ZK_DATA_DIR; log: $DAEMON_LOG"
  deadline=$((SECONDS + BATON_START_TIMEOUT))
  until baton_zk_is_ok "$ZK_PORT"; do
    if ! baton_launched_alive "$DAEMON_PID"; then
      baton_forget_instance zookeeper "$DAEMON_INSTANCE"
      # The server says in one line why it ended; the log holds the rest.
      if grep -q '^baton zookeeper: ' "$DAEMON_OUT" 2> /dev/null; then
        baton_die "ZooKeeper did not start: $(grep '^baton zookeeper: ' "$DAEMON_OUT" | tail -n 1 | sed 's/^baton zookeeper: //')"
      fi
      baton_print_log_tail "$DAEMON_LOG" "$DAEMON_OUT"
      baton_die "ZooKeeper exited during start-up; see $DAEMON_LOG"
    fi
    if ((SECONDS >= deadline)); then
      baton_print_log_tail "$DAEMON_LOG" "$DAEMON_OUT"
      baton_die "ZooKeeper (pid $DAEMON_PID) did not answer 'ruok' on 127.0.0.1:$ZK_PORT within $BATON_START_TIMEOUT s; it is still running: see $DAEMON_LOG, stop it with 'bin/zookeeper.sh stop'"
    fi
    sleep 0.2
  done
  echo "ZooKeeper is up on 127.0.0.1:$ZK_PORT."
}

start_foreground() {
  prepare "$@"
  local pid
  pid=$(running_pid)
  if [[ -n "$pid" ]]; then
    baton_die "ZooKeeper is already running (pid $pid); bin/zookeeper.sh stop stops it"
  fi
  baton_check_port_free "$ZK_PORT" "$ZK_PORT_KEY"
  baton_daemon_exec zookeeper "$ZOOKEEPER_CLASS" "$BATON_ZK_HEAP" "${BATON_ZK_JVM_OPTS:-}" \
    "127.0.0.1:$ZK_PORT" --dataDir "$ZK_DATA_DIR" "$@"
}

stop() {
  if [[ $# -gt 0 ]]; then
    baton_die "stop takes no arguments, got '$*'"
  fi
  if [[ -z "$(running_pid)" ]]; then
    baton_forget_instance zookeeper 0
    echo "No ZooKeeper to stop on $BATON_HOSTNAME."
    return 0
  fi
  baton_daemon_stop zookeeper "$ZOOKEEPER_CLASS" 0
  # stopped by hand: bin/stop-cluster.sh has nothing left to stop
  rm -f "$BATON_PID_DIR/baton-zookeeper.started-by-cluster"
}

# The port the running server was started with (its address file), else $1.
recorded_port() {
  local addr
  addr=$(head -n 1 "$BATON_PID_DIR/baton-zookeeper-0.addr" 2> /dev/null || true)
  if [[ "$addr" == *:* ]]; then printf '%s' "${addr##*:}"; else printf '%s' "$1"; fi
}

# "<pid> 127.0.0.1:<port> running|unresponsive|down": running when it answers 'ruok' with 'imok'
# and serves requests, unresponsive when its process lives but does not. Exit status 0 when running, 3 otherwise.
status() {
  local pid port arg
  for arg in "$@"; do
    if [[ ! "$arg" =~ ^-D[^=]+=.* ]]; then
      baton_die "unexpected argument '$arg': expected -Dkey=value"
    fi
  done
  pid=$(running_pid)
  if [[ -n "$pid" ]]; then
    port=$(recorded_port "$(baton_zk_port "$@")")
  else
    port=$(baton_zk_port "$@")
  fi
  if baton_zk_is_ok "$port"; then
    echo "${pid:--} 127.0.0.1:$port running"
    return 0
  elif [[ -n "$pid" ]]; then
    echo "$pid 127.0.0.1:$port unresponsive"
  else
    echo "- 127.0.0.1:$port down"
  fi
  return 3
}

command="${1:-}"
if [[ $# -gt 0 ]]; then shift; fi
case "$command" in
  start) start "$@" ;;
  start-foreground) start_foreground "$@" ;;
  stop) stop "$@" ;;
  status) status "$@" ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 1
    ;;
esac
