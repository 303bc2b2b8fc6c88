#!/usr/bin/env bash
# Starts a Baton cluster: with high-availability.type: zookeeper and
# high-availability.zookeeper.quorum: embedded, first the embedded ZooKeeper server
# (bin/zookeeper.sh, unless it runs already); then a JobManager for every host:rest-port line of
# conf/masters (in HA mode they elect a leader, the others stand by); then a TaskManager for every
# line of conf/workers. This machine's processes start directly, others through ssh (Baton
# installed at the same path there, BATON_SSH_OPTS for ssh's options).
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
  echo "Usage: start-cluster.sh   (reads $BATON_CONF_DIR/masters and $BATON_CONF_DIR/workers)" >&2
  exit 1
fi

masters_text=$(baton_read_hosts_file "$BATON_CONF_DIR/masters")
workers_text=$(baton_read_hosts_file "$BATON_CONF_DIR/workers")
masters=()
workers=()
if [[ -n "$masters_text" ]]; then mapfile -t masters <<< "$masters_text"; fi
if [[ -n "$workers_text" ]]; then mapfile -t workers <<< "$workers_text"; fi
if [[ ${#masters[@]} -eq 0 ]]; then
  baton_die "$BATON_CONF_DIR/masters lists no JobManager (expected lines like localhost:8081)"
fi
for master in "${masters[@]}"; do
  host="${master%:*}"
  port="${master##*:}"
  if [[ "$master" != *:* || -z "$host" || ! "$port" =~ ^[0-9]+$ ]]; then
    baton_die "bad line '$master' in $BATON_CONF_DIR/masters: expected host:rest-port"
  fi
done

ha_type=$(baton_ha_type)
case "$ha_type" in
  none)
    if [[ ${#masters[@]} -gt 1 ]]; then
      baton_die "$BATON_CONF_DIR/masters lists ${#masters[@]} JobManagers, but with high-availability.type: none only one runs: set high-availability.type: zookeeper in $BATON_CONF_FILE or keep one line"
    fi
    ;;
  zookeeper) ;;
  *) baton_die "invalid value '$ha_type' for configuration key 'high-availability.type' in $BATON_CONF_FILE: expected none or zookeeper" ;;
esac

# 1. The embedded ZooKeeper server, when the configuration asks for it. It listens on 127.0.0.1,
# so every process of the cluster must run on this machine.
zk_note=""
if baton_uses_embedded_zookeeper; then
  zk_port=$(baton_zk_port)
  for host in "${masters[@]%:*}" "${workers[@]+"${workers[@]}"}"; do
    if ! baton_is_local_host "$host"; then
      baton_die "high-availability.zookeeper.quorum: embedded serves this machine only, but conf/masters or conf/workers names $host: set the quorum to a ZooKeeper ensemble (host:port,...)"
    fi
  done
  zk_mark="$BATON_PID_DIR/baton-zookeeper.started-by-cluster"
  if baton_zk_is_ok "$zk_port"; then
    if [[ -f "$zk_mark" ]]; then
      echo "ZooKeeper already answers on 127.0.0.1:$zk_port (started by an earlier start-cluster.sh): using it."
    else
      echo "ZooKeeper already answers on 127.0.0.1:$zk_port: using it (not started here, so bin/stop-cluster.sh leaves it running)."
    fi
  else
    "$BATON_BIN/zookeeper.sh" start || baton_die "ZooKeeper did not start; no JobManagers started"
    # stop-cluster.sh stops only the ZooKeeper server it finds this mark for.
    mkdir -p "$BATON_PID_DIR"
    echo "127.0.0.1:$zk_port" > "$zk_mark"
  fi
  zk_note=", ZooKeeper on 127.0.0.1:$zk_port"
fi

# 2. The JobManagers. In HA mode each advertises its conf/masters line as its REST address (its
# contender id, as `jobmanager.sh status` and GET /ha show it) and picks a free RPC port
# (TaskManagers learn the leader's through ZooKeeper), so several run on one host.
for master in "${masters[@]}"; do
  host="${master%:*}"
  port="${master##*:}"
  args=("-Drest.port=$port")
  if [[ "$ha_type" == zookeeper ]]; then
    args+=("-Drest.address=$host" "-Djobmanager.rpc.port=0")
    if ! baton_is_local_host "$host"; then
      args+=("-Djobmanager.rpc.address=$host")
    fi
  fi
  if ! baton_run_on_host "$host" jobmanager.sh start "${args[@]}"; then
    baton_die "the JobManager $master did not start; no TaskManagers started (bin/stop-cluster.sh stops what did)"
  fi
done

# 3. The TaskManagers.
for worker in "${workers[@]+"${workers[@]}"}"; do
  if ! baton_run_on_host "$worker" taskmanager.sh start; then
    baton_die "a TaskManager on $worker did not start; bin/stop-cluster.sh stops what did"
  fi
done

if [[ "$ha_type" == zookeeper ]]; then
  urls=""
  for master in "${masters[@]}"; do urls="$urls $(baton_rest_scheme)://$master"; done
  echo "Cluster started: ${#masters[@]} JobManager(s) electing a leader, ${#workers[@]} TaskManager(s)$zk_note; REST APIs at${urls}"
  echo "bin/jobmanager.sh status shows which JobManager leads; GET /ha on any of them says so too."
else
  first="${masters[0]}"
  rest_host="${first%:*}"
  if baton_is_local_host "$rest_host"; then
    rest_host=$(baton_conf_get rest.address localhost)
  fi
  echo "Cluster started: ${#masters[@]} JobManager(s), ${#workers[@]} TaskManager(s); REST API at $(baton_rest_scheme)://$rest_host:${first##*:}"
fi
