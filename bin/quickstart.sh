#!/usr/bin/env bash
# From a fresh checkout to a running job: builds Baton if needed, starts a local cluster
# (bin/start-cluster.sh: with the shipped conf/ an HA cluster of an embedded ZooKeeper server, two
# JobManagers electing a leader and two TaskManagers), runs WordCount on the bundled text and
# prints the ten most frequent words. The cluster keeps running afterwards; bin/stop-cluster.sh
# stops it.
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

EXAMPLES_JAR="examples/target/baton-examples.jar"
INPUT="examples/data/sample.txt"
# Seconds to wait for a leader and for the TaskManagers to register.
BATON_QUICKSTART_TIMEOUT="${BATON_QUICKSTART_TIMEOUT:-60}"

cd "$BATON_HOME"
baton_find_java

step() {
  echo
  echo "==> $*"
}

# 1. Build, unless a build is there already.
jars=(lib/*.jar)
if [[ ! -e "${jars[0]}" || ! -f "$EXAMPLES_JAR" ]]; then
  step "Building Baton (mvn -B -q package -DskipTests); the first build downloads dependencies"
  command -v mvn > /dev/null 2>&1 ||
    baton_die "Maven not found: install Maven 3.8+ (and put mvn on the PATH) to build Baton"
  mvn -B -q package -DskipTests || baton_die "the build failed (see Maven's output above)"
  baton_check_lib
  [[ -f "$EXAMPLES_JAR" ]] || baton_die "the build made no $EXAMPLES_JAR"
fi

ha_type=$(baton_ha_type)
workers_text=$(baton_read_hosts_file "$BATON_CONF_DIR/workers")
expected_taskmanagers=$(grep -c . <<< "$workers_text" || true)

# The REST URL of the JobManager to ask: the leader in HA mode (it may change while this runs),
# else rest.address:rest.port. Fails when none is known.
find_rest_url() {
  if [[ "$ha_type" == zookeeper ]]; then
    baton_leader_rest_url
  else
    printf '%s' "$(baton_rest_scheme)://$(baton_conf_get rest.address localhost):$(baton_conf_get rest.port 8081)"
  fi
}

# A number field of the leader's GET /overview ("taskmanagers", "jobs-running", ...); fails when
# no Baton answers.
overview_field() {
  local url body value
  url=$(find_rest_url) || return 1
  body=$(baton_http_get "$url/overview") || return 1
  value=$(sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p" <<< "$body")
  [[ -n "$value" ]] || return 1
  printf '%s' "$value"
}

registered_taskmanagers() {
  overview_field taskmanagers
}

# 2. Start the cluster, unless one answers already.
if [[ -n "$(registered_taskmanagers || true)" ]]; then
  step "A Baton cluster already answers at $(find_rest_url): using it"
else
  step "Starting a local cluster (bin/start-cluster.sh)"
  "$BATON_BIN/start-cluster.sh" || baton_die "the cluster did not start (see above)"
fi

if [[ "$ha_type" == zookeeper ]]; then
  step "Waiting for the JobManagers to elect a leader"
  deadline=$((SECONDS + BATON_QUICKSTART_TIMEOUT))
  until rest_url=$(find_rest_url); do
    if ((SECONDS >= deadline)); then
      "$BATON_BIN/jobmanager.sh" status || true
      baton_die "no JobManager of $BATON_CONF_DIR/masters leads after $BATON_QUICKSTART_TIMEOUT s; see the logs in $BATON_LOG_DIR"
    fi
    sleep 1
  done
  echo "The leader is $rest_url."
fi
rest_url=$(find_rest_url || true)

# 3. Wait until the TaskManagers have registered.
step "Waiting for $expected_taskmanagers TaskManagers to register"
deadline=$((SECONDS + BATON_QUICKSTART_TIMEOUT))
while true; do
  registered=$(registered_taskmanagers || true)
  if [[ -n "$registered" ]] && ((registered >= expected_taskmanagers)); then
    echo "$registered TaskManagers registered."
    break
  fi
  if ((SECONDS >= deadline)); then
    baton_die "only ${registered:-0} of $expected_taskmanagers TaskManagers registered with ${rest_url:-the JobManager} within $BATON_QUICKSTART_TIMEOUT s; see the logs in $BATON_LOG_DIR"
  fi
  sleep 1
done

# 4. Run WordCount and wait until it ended (`run` waits itself; the check covers a detached run).
output_dir="$(mktemp -d "${TMPDIR:-/tmp}/baton-wordcount.XXXXXX")/out"
running_before=$(overview_field jobs-running || echo 0)
failed_before=$(overview_field jobs-failed || echo 0)
step "Running WordCount on $INPUT, output to $output_dir"
"$BATON_BIN/baton" run "$EXAMPLES_JAR" wordcount --input "$BATON_HOME/$INPUT" --output "$output_dir" ||
  baton_die "WordCount failed (see above; logs in $BATON_LOG_DIR)"
deadline=$((SECONDS + BATON_QUICKSTART_TIMEOUT))
until (($(overview_field jobs-running || echo 0) <= running_before)); do
  if ((SECONDS >= deadline)); then
    baton_die "WordCount still runs after $BATON_QUICKSTART_TIMEOUT s; see bin/baton list and the logs in $BATON_LOG_DIR"
  fi
  sleep 1
done
if (($(overview_field jobs-failed || echo 0) > failed_before)); then
  baton_die "WordCount failed; bin/baton list and bin/baton info <job-id> say why"
fi

# 5. The ten most frequent words ("word<TAB>count" lines in the part files).
parts=()
if [[ -d "$output_dir" ]]; then
  mapfile -t parts < <(find "$output_dir" -type f -name 'part-*' ! -name '.*' | sort)
fi
if [[ ${#parts[@]} -eq 0 ]]; then
  baton_die "WordCount finished but wrote no part files under $output_dir"
fi
sorted="$output_dir.sorted"
cat "${parts[@]}" | sort -t$'\t' -k2,2nr -k1,1 > "$sorted"
step "The ten most frequent words in $INPUT"
head -n 10 "$sorted" | awk -F'\t' '{ printf "  %-16s %s\n", $1, $2 }'
rm -f "$sorted"

echo
if [[ "$ha_type" == zookeeper ]]; then
  rest_url=$(find_rest_url || printf '%s' "${rest_url:-}")
  echo "Baton is running in HA mode: the leading JobManager is $rest_url, the others stand by."
  printf '  %-42s %s\n' \
    "bin/jobmanager.sh status" "who leads: <pid> <host:rest-port> leader|standby|down" \
    "curl -s $rest_url/ha" "the leader's id, address, fencing token digest, since when; the contenders" \
    "bin/jobmanager.sh stop ${rest_url#http://}" "stops the leader gracefully: a standby takes over at once"
  echo "bin/stop-cluster.sh stops the cluster and its ZooKeeper server."
else
  echo "Baton is running: REST API at $rest_url (bin/stop-cluster.sh stops it)"
fi
