#!/usr/bin/env bash
# Shared by the scripts in bin/: where Baton lives, which java runs it, how a process is started,
# found and stopped. Sourced, never run; the sourcing script sets BATON_BIN (its own directory,
# symlinks resolved) first.
#
# Environment a user may set:
#   JAVA_HOME           the Java 17+ installation to use (else java on the PATH)
#   BATON_CONF_DIR      configuration directory (default: $BATON_HOME/conf)
#   BATON_LOG_DIR       log files (default: $BATON_HOME/log)
#   BATON_PID_DIR       pid files (default: $BATON_LOG_DIR)
#   BATON_JM_HEAP       JobManager heap (default: 1024m)
#   BATON_TM_HEAP       TaskManager heap (default: 1024m)
#   BATON_ZK_HEAP       heap of the embedded ZooKeeper server (default: 256m)
#   BATON_DATA_DIR      data of the embedded ZooKeeper server, in <dir>/zookeeper
#                       (default: $BATON_HOME/data)
#   BATON_JVM_OPTS      extra JVM options of every process; BATON_JM_JVM_OPTS, BATON_TM_JVM_OPTS,
#                       BATON_ZK_JVM_OPTS and BATON_CLI_JVM_OPTS of one kind only (split on spaces)
#   BATON_START_TIMEOUT seconds bin/jobmanager.sh waits for the REST API and bin/zookeeper.sh for
#                       ZooKeeper to answer (default: 30)
#   BATON_STOP_TIMEOUT  seconds a stop waits after SIGTERM before SIGKILL (default: 30)
#   BATON_TM_START_CHECK seconds a new TaskManager must stay up to count as started (default: 3)
#   BATON_SSH_OPTS      options of ssh to hosts in conf/masters and conf/workers

# shellcheck disable=SC2034 # the variables set here are read by the scripts that source this file

if [[ -z "${BATON_BIN:-}" ]]; then
  echo "baton: bin/config.sh is sourced by the scripts in bin/, not run on its own" >&2
  exit 1
fi

BATON_HOME=$(cd -P "$BATON_BIN/.." && pwd)
BATON_LIB_DIR="$BATON_HOME/lib"
BATON_CONF_DIR="${BATON_CONF_DIR:-$BATON_HOME/conf}"
BATON_CONF_FILE="$BATON_CONF_DIR/baton-conf.yaml"
BATON_LOG_DIR="${BATON_LOG_DIR:-$BATON_HOME/log}"
BATON_PID_DIR="${BATON_PID_DIR:-$BATON_LOG_DIR}"
BATON_JM_HEAP="${BATON_JM_HEAP:-1024m}"
BATON_TM_HEAP="${BATON_TM_HEAP:-1024m}"
BATON_ZK_HEAP="${BATON_ZK_HEAP:-256m}"
BATON_DATA_DIR="${BATON_DATA_DIR:-$BATON_HOME/data}"
BATON_START_TIMEOUT="${BATON_START_TIMEOUT:-30}"
BATON_STOP_TIMEOUT="${BATON_STOP_TIMEOUT:-30}"
BATON_HOSTNAME="$(uname -n)"
export BATON_HOME BATON_CONF_DIR

JOBMANAGER_CLASS=io.baton.coordinator.JobManagerEntrypoint
TASKMANAGER_CLASS=io.baton.taskmanager.TaskManagerEntrypoint
CLI_CLASS=io.baton.cli.BatonCli
YARN_SESSION_CLASS=io.baton.cli.yarn.YarnSessionCli
ZOOKEEPER_CLASS=io.baton.ha.embedded.EmbeddedZooKeeperServer

# Prints "baton: <message>" on stderr and exits 1.
baton_die() {
  echo "baton: $*" >&2
  exit 1
}

# Sets JAVA_RUN to the java executable: $JAVA_HOME/bin/java, else java on the PATH.
baton_find_java() {
  if [[ -n "${JAVA_HOME:-}" ]]; then
    if [[ -x "$JAVA_HOME/bin/java" ]]; then
      JAVA_RUN="$JAVA_HOME/bin/java"
      return
    fi
    baton_die "Java not found: JAVA_HOME ($JAVA_HOME) has no bin/java; set JAVA_HOME or put java on the PATH"
  fi
  if JAVA_RUN=$(command -v java); then
    return
  fi
  baton_die "Java not found: set JAVA_HOME or put java on the PATH"
}

# Fails unless lib/ holds the jars of a build.
baton_check_lib() {
  local jars=("$BATON_LIB_DIR"/*.jar)
  if [[ ! -e "${jars[0]}" ]]; then
    baton_die "no jars in $BATON_LIB_DIR: build first with 'mvn -B package -DskipTests'"
  fi
}

# The class path of every Baton process: all jars in lib/ (expanded by java, not the shell).
baton_classpath() {
  printf '%s' "$BATON_LIB_DIR/*"
}

# Prints the value of a flat key in conf/baton-conf.yaml ("key: value"), or $2 when it is not set.
# Comments, surrounding quotes and blanks are dropped. Nested YAML maps are not read here.
baton_conf_get() {
  local key="$1" default="${2:-}" line value
  if [[ -f "$BATON_CONF_FILE" ]]; then
    line=$(grep -E "^[[:space:]]*${key//./\\.}[[:space:]]*:" "$BATON_CONF_FILE" | tail -n 1 || true)
    if [[ -n "$line" ]]; then
      value="${line#*:}"
      value="${value%%#*}"
      value="$(baton_trim "$value")"
      value="${value#\"}"
      value="${value%\"}"
      value="${value#\'}"
      value="${value%\'}"
      if [[ -n "$value" ]]; then
        printf '%s' "$value"
        return
      fi
    fi
  fi
  printf '%s' "$default"
}

# The value of KEY for a process started with ARGS: a -DKEY=value among ARGS wins over
# baton-conf.yaml, which wins over DEFAULT. Usage: baton_setting KEY DEFAULT ARGS...
baton_setting() {
  local key="$1" default="$2" arg value=""
  shift 2
  for arg in "$@"; do
    if [[ "$arg" == "-D$key="* ]]; then
      value="${arg#-D"$key"=}"
    fi
  done
  if [[ -n "$value" ]]; then
    printf '%s' "$value"
  else
    baton_conf_get "$key" "$default"
  fi
}

baton_trim() {
  local s="$1"
  s="${s#"${s%%[![:space:]]*}"}"
  s="${s%"${s##*[![:space:]]}"}"
  printf '%s' "$s"
}

# Fails with one line when something listens on local TCP port $1 (named by config key $2).
# Port 0 (pick a free one) always passes.
baton_check_port_free() {
  local port="$1" key="$2"
  if [[ ! "$port" =~ ^[0-9]+$ ]]; then
    baton_die "invalid value '$port' for configuration key '$key': expected a port number"
  fi
  if [[ "$port" == 0 ]]; then
    return
  fi
  if baton_port_in_use "$port"; then
    baton_die "port $port ($key) is already in use"
  fi
}

baton_port_in_use() {
  local port="$1"
  if command -v ss > /dev/null 2>&1; then
    [[ -n "$(ss -Htln "sport = :$port" 2> /dev/null)" ]]
  else
    # Connecting succeeds only when something listens.
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null
  fi
}

# Whether $1 names this machine (processes there are started directly, elsewhere through ssh).
baton_is_local_host() {
  case "$1" in
    localhost | 127.0.0.1 | ::1 | "$BATON_HOSTNAME" | "${HOSTNAME:-$BATON_HOSTNAME}") return 0 ;;
    *) return 1 ;;
  esac
}

# Prints the non-blank, non-comment lines of file $1, trimmed.
baton_read_hosts_file() {
  local file="$1" line
  [[ -f "$file" ]] || baton_die "$file does not exist"
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%%#*}"
    line="$(baton_trim "$line")"
    [[ -n "$line" ]] && printf '%s\n' "$line"
  done < "$file"
  return 0
}

# Runs a bin/ script with arguments on host $1: directly when local, else through ssh, the
# installation and configuration directory expected at the same paths there (as with Flink).
baton_run_on_host() {
  local host="$1" script="$2"
  shift 2
  if baton_is_local_host "$host"; then
    "$BATON_BIN/$script" "$@"
  else
    local quoted
    quoted=$(printf ' %q' "$@")
    # shellcheck disable=SC2086 # BATON_SSH_OPTS holds several options
    ssh -n ${BATON_SSH_OPTS:-} "$host" -- \
      "BATON_CONF_DIR=$(printf '%q' "$BATON_CONF_DIR") $(printf '%q' "$BATON_BIN/$script")$quoted"
  fi
}

# JVM options: heap $1, then BATON_JVM_OPTS, then the kind's own options $2 (word-split).
baton_jvm_opts() {
  local heap="$1" extra="$2"
  JVM_OPTS=("-Xmx$heap")
  # shellcheck disable=SC2206 # the variables hold several options separated by spaces
  JVM_OPTS+=(${BATON_JVM_OPTS:-} $extra)
}

# http, or https with security.ssl.rest.enabled: true.
baton_rest_scheme() {
  if [[ "$(baton_conf_get security.ssl.rest.enabled false)" == true ]]; then
    printf https
  else
    printf http
  fi
}

# Prints the body of GET $1 (timeout 5 s); fails when nothing answers with a 2xx. Over https it
# trusts security.ssl.rest.truststore (and presents security.ssl.rest.keystore when
# security.ssl.rest.authentication-enabled); with rest.auth.type: token it sends the token, from a
# file so that it never shows in the process list.
baton_http_get() {
  local url="$1" opts=() token_file tmp rc=0
  tmp=$(mktemp -d) || return 1
  if [[ "$url" == https://* ]]; then
    local truststore keystore
    truststore=$(baton_conf_get security.ssl.rest.truststore)
    [[ -n "$truststore" ]] || baton_die "security.ssl.rest.enabled is true but security.ssl.rest.truststore is not set"
    # the JDK's keytool prints the truststore's certificates as PEM, which curl and wget read
    keytool -list -rfc -keystore "$truststore" \
      -storepass "$(baton_conf_get security.ssl.rest.truststore-password)" > "$tmp/ca.pem" 2> /dev/null ||
      baton_die "cannot read security.ssl.rest.truststore $truststore (is keytool on the PATH?)"
    opts+=(--cacert "$tmp/ca.pem")
    if [[ "$(baton_conf_get security.ssl.rest.authentication-enabled false)" == true ]]; then
      keystore=$(baton_conf_get security.ssl.rest.keystore)
      opts+=(--cert-type P12 --cert "$keystore:$(baton_conf_get security.ssl.rest.keystore-password)")
    fi
  fi
  if [[ "$(baton_conf_get rest.auth.type none)" == token ]]; then
    token_file=$(baton_conf_get rest.auth.token-file)
    [[ -r "$token_file" ]] || baton_die "rest.auth.token-file $token_file cannot be read"
    printf 'Authorization: Bearer %s\n' "$(tr -d '[:space:]' < "$token_file")" > "$tmp/auth"
  fi
  if command -v curl > /dev/null 2>&1; then
    if [[ -f "$tmp/auth" ]]; then opts+=(-H "@$tmp/auth"); fi
    curl -fsS --max-time 5 "${opts[@]}" "$url" 2> /dev/null || rc=$?
  elif command -v wget > /dev/null 2>&1; then
    local wopts=()
    if [[ "$url" == https://* ]]; then wopts+=(--ca-certificate "$tmp/ca.pem"); fi
    if [[ -f "$tmp/auth" ]]; then wopts+=(--header "$(cat "$tmp/auth")"); fi
    wget -q -T 5 "${wopts[@]}" -O - "$url" 2> /dev/null || rc=$?
  else
    rm -rf "$tmp"
    baton_die "neither curl nor wget found: install one to reach the REST API at $url"
  fi
  rm -rf "$tmp"
  return "$rc"
}

# --- High availability -----------------------------------------------------------------------

ZK_PORT_KEY=high-availability.zookeeper.embedded.port

# The value of high-availability.type for a process started with ARGS (-Dkey=value), lower case:
# none | zookeeper.
baton_ha_type() {
  local type
  type=$(baton_setting high-availability.type none "$@")
  printf '%s' "${type,,}"
}

# Whether a process started with ARGS runs in HA mode on the embedded ZooKeeper server
# (high-availability.type: zookeeper with high-availability.zookeeper.quorum: embedded).
baton_uses_embedded_zookeeper() {
  [[ "$(baton_ha_type "$@")" == zookeeper ]] &&
    [[ "$(baton_setting high-availability.zookeeper.quorum embedded "$@")" == embedded ]]
}

# The client port of the embedded ZooKeeper server for ARGS; fails with one line unless it is a
# port number (1-65535: JobManagers and TaskManagers must know it, so 0 is not allowed).
baton_zk_port() {
  local port
  port=$(baton_setting "$ZK_PORT_KEY" 2181 "$@")
  if [[ ! "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    baton_die "invalid value '$port' for configuration key '$ZK_PORT_KEY': expected a port number (1-65535)"
  fi
  printf '%s' "$port"
}

# Prints what ZooKeeper on 127.0.0.1:$1 answers to the four-letter command $2 (ruok, srvr, stat,
# mntr); fails when nothing answers within 3 s.
baton_zk_four_letter() {
  local port="$1" word="$2" answer limit=()
  # coreutils' timeout bounds a server that accepts but never answers; without it, read's own
  # timeout does
  if command -v timeout > /dev/null 2>&1; then limit=(timeout 3); fi
  # shellcheck disable=SC2016 # $1 and $2 are the inner shell's arguments
  answer=$("${limit[@]}" bash -c 'exec 3<> "/dev/tcp/127.0.0.1/$1" && printf "%s" "$2" >&3 &&
    while IFS= read -r -t 3 line <&3 || [[ -n "$line" ]]; do printf "%s\n" "$line"; line=""; done' \
    _ "$port" "$word" 2> /dev/null) || true
  [[ -n "$answer" ]] || return 1
  printf '%s\n' "$answer"
}

# Whether ZooKeeper on 127.0.0.1:$1 serves: it answers "ruok" with "imok" and "srvr" with its
# mode. (Right after start-up "ruok" says "imok" while the server still loads its data and
# answers "srvr" with "not currently serving requests".)
baton_zk_is_ok() {
  [[ "$(baton_zk_four_letter "$1" ruok 2> /dev/null)" == imok ]] &&
    [[ "$(baton_zk_four_letter "$1" srvr 2> /dev/null)" == *"Mode: "* ]]
}

# Fails with one line when a process started with ARGS would use the embedded ZooKeeper server
# and that does not answer: it runs on this machine only and never comes up on its own.
baton_require_embedded_zookeeper() {
  local port
  baton_uses_embedded_zookeeper "$@" || return 0
  port=$(baton_zk_port "$@")
  if ! baton_zk_is_ok "$port"; then
    baton_die "ZooKeeper does not answer on 127.0.0.1:$port (high-availability.zookeeper.quorum: embedded): start it with bin/zookeeper.sh start (bin/start-cluster.sh does so itself)"
  fi
}

# The role of the JobManager whose REST API is at $1:$2: "leader" or "standby" from GET /ha
# (field "leader"), "down" when it does not answer. A JobManager without /ha answering
# GET /overview in non-HA mode leads by definition.
baton_jobmanager_role() {
  local host="$1" port="$2" body
  if body=$(baton_http_get "$(baton_rest_scheme)://$host:$port/ha"); then
    if [[ "$body" =~ \"leader\"[[:space:]]*:[[:space:]]*true ]]; then
      echo leader
      return
    elif [[ "$body" =~ \"leader\"[[:space:]]*:[[:space:]]*false ]]; then
      echo standby
      return
    fi
  fi
  if [[ "$(baton_ha_type)" != zookeeper ]] && baton_http_get "$(baton_rest_scheme)://$host:$port/overview" > /dev/null; then
    echo leader
    return
  fi
  echo down
}

# Prints the REST URL (http(s)://host:port) of the leading JobManager of conf/masters: the one whose
# GET /ha says "leader": true, else the "leaderRestUrl" a standby names. Fails when none is known.
baton_leader_rest_url() {
  local master host port body url
  while IFS= read -r master; do
    host="${master%:*}"
    port="${master##*:}"
    body=$(baton_http_get "$(baton_rest_scheme)://$host:$port/ha") || continue
    if [[ "$body" =~ \"leader\"[[:space:]]*:[[:space:]]*true ]]; then
      printf '%s' "$(baton_rest_scheme)://$host:$port"
      return 0
    fi
    if [[ "$body" =~ \"leaderRestUrl\"[[:space:]]*:[[:space:]]*\"([^\"]+)\" ]]; then
      url="${BASH_REMATCH[1]}"
    fi
  done < <(baton_read_hosts_file "$BATON_CONF_DIR/masters")
  [[ -n "${url:-}" ]] || return 1
  printf '%s' "$url"
}
