#!/usr/bin/env bash
# A Baton session on YARN: `-d` uploads lib/ and conf/ to the cluster's default file system,
# submits an application whose ApplicationMaster runs the JobManager, and prints its application id
# and REST URL; `--stop <appId>` ends the session for good (DELETE /cluster: its jobs cancelled,
# its containers, staging files and HA data gone; killed through YARN if it does not end in time).
# The cluster is the one $HADOOP_CONF_DIR (core-site.xml, yarn-site.xml) names. Exits 0 on
# success, 1 on failure.
set -euo pipefail

target="${BASH_SOURCE[0]}"
while [[ -L "$target" ]]; do
  link=$(readlink "$target")
  if [[ "$link" == /* ]]; then target="$link"; else target="$(dirname "$target")/$link"; fi
done
BATON_BIN=$(cd -P "$(dirname "$target")" && pwd)
# shellcheck source=config.sh
. "$BATON_BIN/config.sh"

baton_find_java
baton_check_lib

BATON_CLI_JVM_OPTS="${BATON_CLI_JVM_OPTS:--Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
# shellcheck disable=SC2206 # the variables hold several options separated by spaces
cli_opts=(${BATON_JVM_OPTS:-} $BATON_CLI_JVM_OPTS)
classpath="$(baton_classpath)"
if [[ -n "${HADOOP_CONF_DIR:-}" ]]; then
  classpath="$HADOOP_CONF_DIR:$classpath"
fi

exec "$JAVA_RUN" "${cli_opts[@]}" \
  -Dlog4j2.configurationFile="$BATON_CONF_DIR/log4j2-console.properties" \
  -cp "$classpath" "$YARN_SESSION_CLASS" --lib "$BATON_LIB_DIR" "$@"
