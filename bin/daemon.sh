#!/usr/bin/env bash
# Starting, finding and stopping Baton processes (JobManagers, TaskManagers, the embedded
# ZooKeeper server) on this host. Sourced by bin/jobmanager.sh, bin/taskmanager.sh and
# bin/zookeeper.sh after bin/config.sh.
#
# Every instance has a number n (the lowest free one when it starts) and, in BATON_PID_DIR,
#   baton-<kind>-<n>.pid    its process id
#   baton-<kind>-<n>.addr   where it can be reached (what `status` prints)
# and, in BATON_LOG_DIR, baton-<kind>-<n>-<host>.log (Log4j) and .out (stdout and stderr).

# The pid file of instance $2 of process kind $1 (jobmanager | taskmanager | zookeeper).
baton_pid_file() {
  printf '%s' "$BATON_PID_DIR/baton-$1-$2.pid"
}

# Instance numbers of kind $1 that have a pid file, ascending.
baton_instances() {
  local kind="$1" f n
  local files=("$BATON_PID_DIR/baton-$kind-"*.pid)
  [[ -e "${files[0]}" ]] || return 0
  for f in "${files[@]}"; do
    n="${f##*/baton-"$kind"-}"
    n="${n%.pid}"
    if [[ "$n" =~ ^[0-9]+$ ]]; then
      printf '%s\n' "$n"
    fi
  done | sort -n
}

# Whether pid $1 is alive and runs main class $2 (a recycled pid is not ours).
baton_pid_runs() {
  local pid="$1" class="$2"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2> /dev/null || return 1
  ps -ww -p "$pid" -o args= 2> /dev/null | grep -qF -- "$class"
}

# Whether process $1, just started by baton_daemon_launch, is still alive. Not baton_pid_runs:
# until the forked shell has exec'd java its command line does not name the main class yet, which
# a busy machine makes long enough to see. A child that exited and is not reaped yet is a zombie.
baton_launched_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2> /dev/null || true)
  [[ -n "$state" && "$state" != Z* ]]
}

# The pid recorded for instance $2 of kind $1 (empty when there is none).
baton_recorded_pid() {
  local pid_file
  pid_file=$(baton_pid_file "$1" "$2")
  if [[ -f "$pid_file" ]]; then
    head -n 1 "$pid_file"
  fi
}

# The lowest instance number of kind $1 (main class $2) not in use by a live process.
baton_free_instance() {
  local kind="$1" class="$2" n=0
  while [[ -f "$(baton_pid_file "$kind" "$n")" ]]; do
    baton_pid_runs "$(baton_recorded_pid "$kind" "$n")" "$class" || break
    n=$((n + 1))
  done
  printf '%s' "$n"
}

# Removes the pid and address files of instance $2 of kind $1.
baton_forget_instance() {
  local pid_file
  pid_file=$(baton_pid_file "$1" "$2")
  rm -f "$pid_file" "${pid_file%.pid}.addr"
}

baton_log_file() {
  printf '%s' "$BATON_LOG_DIR/baton-$1-$2-$BATON_HOSTNAME.log"
}

# Starts instance of kind $1 (main class $2, heap $3, kind JVM options $4, address for `status`
# $5) in the background with the remaining arguments (-Dkey=value overrides). Sets DAEMON_PID,
# DAEMON_INSTANCE, DAEMON_LOG and DAEMON_OUT.
baton_daemon_launch() {
  local kind="$1" class="$2" heap="$3" kind_opts="$4" addr="$5"
  shift 5
  mkdir -p "$BATON_LOG_DIR" "$BATON_PID_DIR"
  DAEMON_INSTANCE=$(baton_free_instance "$kind" "$class")
  DAEMON_LOG=$(baton_log_file "$kind" "$DAEMON_INSTANCE")
  DAEMON_OUT="${DAEMON_LOG%.log}.out"
  # Keep the previous run's stdout, which holds what a crashed JVM printed.
  if [[ -f "$DAEMON_OUT" ]]; then
    mv -f "$DAEMON_OUT" "$DAEMON_OUT.1"
  fi
  baton_jvm_opts "$heap" "$kind_opts"
  nohup "$JAVA_RUN" "${JVM_OPTS[@]}" \
    -Dbaton.log.file="$DAEMON_LOG" \
    -Dlog4j2.configurationFile="$BATON_CONF_DIR/log4j2.properties" \
    -cp "$(baton_classpath)" "$class" --configDir "$BATON_CONF_DIR" "$@" \
    > "$DAEMON_OUT" 2>&1 < /dev/null &
  DAEMON_PID=$!
  echo "$DAEMON_PID" > "$(baton_pid_file "$kind" "$DAEMON_INSTANCE")"
  echo "$addr" > "$BATON_PID_DIR/baton-$kind-$DAEMON_INSTANCE.addr"
}

# Runs instance of kind $1 in this terminal (for containers and supervisors): the shell becomes
# the JVM, so signals reach it. Logs go to the log file as with `start`.
baton_daemon_exec() {
  local kind="$1" class="$2" heap="$3" kind_opts="$4" addr="$5" n log
  shift 5
  mkdir -p "$BATON_LOG_DIR" "$BATON_PID_DIR"
  n=$(baton_free_instance "$kind" "$class")
  log=$(baton_log_file "$kind" "$n")
  echo "$$" > "$(baton_pid_file "$kind" "$n")"
  echo "$addr" > "$BATON_PID_DIR/baton-$kind-$n.addr"
  echo "Running $kind $n (pid $$) in the foreground; log: $log"
  baton_jvm_opts "$heap" "$kind_opts"
  exec "$JAVA_RUN" "${JVM_OPTS[@]}" \
    -Dbaton.log.file="$log" \
    -Dlog4j2.configurationFile="$BATON_CONF_DIR/log4j2.properties" \
    -cp "$(baton_classpath)" "$class" --configDir "$BATON_CONF_DIR" "$@"
}

# Stops instance $3 of kind $1 (main class $2): SIGTERM, then SIGKILL after BATON_STOP_TIMEOUT s.
baton_daemon_stop() {
  local kind="$1" class="$2" n="$3" pid_file pid ticks
  pid_file=$(baton_pid_file "$kind" "$n")
  if [[ ! -f "$pid_file" ]]; then
    echo "No $kind $n on $BATON_HOSTNAME (no $pid_file)."
    return 0
  fi
  pid=$(baton_recorded_pid "$kind" "$n")
  if ! baton_pid_runs "$pid" "$class"; then
    echo "No $kind $n running on $BATON_HOSTNAME (pid ${pid:-?} is gone); removed its pid file."
    baton_forget_instance "$kind" "$n"
    return 0
  fi
  echo "Stopping $kind $n (pid $pid) on $BATON_HOSTNAME."
  kill -TERM "$pid" 2> /dev/null || true
  ticks=0 # of 0.2 s
  while baton_pid_runs "$pid" "$class"; do
    if ((ticks >= BATON_STOP_TIMEOUT * 5)); then
      echo "baton: $kind $n (pid $pid) still running ${BATON_STOP_TIMEOUT} s after SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2> /dev/null || true
      break
    fi
    sleep 0.2
    ticks=$((ticks + 1))
  done
  baton_forget_instance "$kind" "$n"
}

# Stops instance $3 of kind $1, or the newest one when $3 is empty.
baton_daemon_stop_one() {
  local kind="$1" class="$2" n="${3:-}"
  if [[ -z "$n" ]]; then
    n=$(baton_instances "$kind" | tail -n 1)
    if [[ -z "$n" ]]; then
      echo "No $kind to stop on $BATON_HOSTNAME."
      return 0
    fi
  elif [[ ! "$n" =~ ^[0-9]+$ ]]; then
    baton_die "stop takes an instance number, got '$n'"
  fi
  baton_daemon_stop "$kind" "$class" "$n"
}

# Stops every instance of kind $1 on this host; they shut down in parallel.
baton_daemon_stop_all() {
  local kind="$1" class="$2" n stopped=0
  local pids=()
  for n in $(baton_instances "$kind"); do
    baton_daemon_stop "$kind" "$class" "$n" &
    pids+=("$!")
    stopped=1
  done
  for n in "${pids[@]+"${pids[@]}"}"; do
    wait "$n" || true
  done
  if ((stopped == 0)); then
    echo "No $kind to stop on $BATON_HOSTNAME."
  fi
}

# One line per instance of kind $1: "<pid> <address> running|down". Exit status 0 when at least
# one runs, 3 otherwise (as LSB init scripts do).
baton_daemon_status() {
  local kind="$1" class="$2" n pid addr state any=3
  for n in $(baton_instances "$kind"); do
    pid=$(baton_recorded_pid "$kind" "$n")
    addr=$(head -n 1 "$BATON_PID_DIR/baton-$kind-$n.addr" 2> /dev/null || echo "?")
    if baton_pid_runs "$pid" "$class"; then
      state=running
      any=0
    else
      state=down
    fi
    echo "${pid:-?} $addr $state"
  done
  return "$any"
}

# Prints the last lines of a process's log and .out files, after a failed start.
baton_print_log_tail() {
  local f
  for f in "$@"; do
    if [[ -s "$f" ]]; then
      echo "--- last lines of $f:" >&2
      tail -n 25 "$f" >&2
    fi
  done
}
