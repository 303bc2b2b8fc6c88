#!/usr/bin/env bash
# Stops the cluster bin/start-cluster.sh started: every TaskManager on the hosts of conf/workers,
# then every JobManager on the hosts of conf/masters (TaskManagers first, so they do not fail
# over jobs to a JobManager that is going away), then the embedded ZooKeeper server if
# start-cluster.sh started it (last: a stopping leader gives up its leadership through it).
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

if [[ $# -gt 0 ]]; then
  echo "Usage: stop-cluster.sh   (reads $BATON_CONF_DIR/masters and $BATON_CONF_DIR/workers)" >&2
  exit 1
fi

# Each host once, this machine under one name.
distinct_hosts() {
  local host seen=" "
  while IFS= read -r host; do
    host="${host%:*}"
    if baton_is_local_host "$host"; then host=localhost; fi
    if [[ "$seen" != *" $host "* ]]; then
      seen="$seen$host "
      printf '%s\n' "$host"
    fi
  done
}

status=0
while IFS= read -r host; do
  baton_run_on_host "$host" taskmanager.sh stop-all || status=1
done < <(baton_read_hosts_file "$BATON_CONF_DIR/workers" | distinct_hosts)

while IFS= read -r host; do
  baton_run_on_host "$host" jobmanager.sh stop-all || status=1
done < <(baton_read_hosts_file "$BATON_CONF_DIR/masters" | distinct_hosts)

zk_mark="$BATON_PID_DIR/baton-zookeeper.started-by-cluster"
if [[ -f "$zk_mark" ]]; then
  if "$BATON_BIN/zookeeper.sh" stop; then
    rm -f "$zk_mark"
  else
    status=1
  fi
elif baton_uses_embedded_zookeeper && baton_zk_is_ok "$(baton_zk_port)"; then
  echo "ZooKeeper on 127.0.0.1:$(baton_zk_port) was not started by bin/start-cluster.sh and keeps running; bin/zookeeper.sh stop stops it."
fi

exit "$status"
