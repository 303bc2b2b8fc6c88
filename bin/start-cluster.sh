#!/usr/bin/env bash
# Starts a Baton cluster: a JobManager for every host:rest-port line of conf/masters, then a
# TaskManager for every line of conf/workers. This machine's processes start directly, others
# through ssh (Baton installed at the same path there, BATON_SSH_OPTS for ssh's options).
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
  if ! baton_run_on_host "$host" jobmanager.sh start "-Drest.port=$port"; then
    baton_die "the JobManager $master did not start; no TaskManagers started"
  fi
done

for worker in "${workers[@]+"${workers[@]}"}"; do
  if ! baton_run_on_host "$worker" taskmanager.sh start; then
    baton_die "a TaskManager on $worker did not start; bin/stop-cluster.sh stops what did"
  fi
done

first="${masters[0]}"
rest_host="${first%:*}"
if baton_is_local_host "$rest_host"; then
  rest_host=$(baton_conf_get rest.address localhost)
fi
echo "Cluster started: ${#masters[@]} JobManager(s), ${#workers[@]} TaskManager(s); REST API at http://$rest_host:${first##*:}"
