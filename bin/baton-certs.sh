#!/usr/bin/env bash
# Makes what a Baton cluster needs to let in only its own, with the JDK's keytool (no openssl):
#   <dir>/ca.p12          a certificate authority (its private key: keep this file off the cluster)
#   <dir>/ca.pem          the CA's certificate (for curl --cacert and other non-Java clients)
#   <dir>/keystore.p12    the cluster's key and certificate, signed by the CA, valid for
#                         localhost, 127.0.0.1, this host's name and every host given
#   <dir>/truststore.p12  the CA's certificate: what every Baton process and client trusts
#   <dir>/rest.token      a random REST token (mode 600)
# and prints the keys to add to conf/baton-conf.yaml.
#
# Usage: bin/baton-certs.sh <dir> [host ...]
#
# Every file is created with mode 600 in a directory of mode 700; an existing keystore in <dir> is
# never overwritten.
set -euo pipefail

usage() {
  echo "usage: bin/baton-certs.sh <dir> [host ...]   (hosts: names or IP addresses the certificate is valid for)" >&2
  exit 1
}

die() {
  echo "baton: $*" >&2
  exit 1
}

[[ $# -ge 1 && "$1" != -* ]] || usage
dir="$1"
shift

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/keytool" ]]; then
  keytool="$JAVA_HOME/bin/keytool"
elif command -v keytool > /dev/null 2>&1; then
  keytool=keytool
else
  die "keytool not found: set JAVA_HOME or put the JDK's bin directory on the PATH"
fi

umask 077
mkdir -p "$dir" || die "cannot create $dir"
dir=$(cd -P "$dir" && pwd)
for f in ca.p12 keystore.p12 truststore.p12 rest.token; do
  [[ ! -e "$dir/$f" ]] || die "$dir/$f exists; choose an empty directory (nothing was changed)"
done

random_hex() {
  head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'
}

# the subject alternative names: localhost, loopback, this host and every host given
san="dns:localhost,ip:127.0.0.1"
hosts=("$(uname -n)" "$@")
for host in "${hosts[@]}"; do
  [[ -n "$host" ]] || continue
  if [[ "$host" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ || "$host" == *:* ]]; then
    san="$san,ip:$host"
  elif [[ "$host" =~ ^[A-Za-z0-9.-]+$ ]]; then
    san="$san,dns:$host"
  else
    die "'$host' is neither a host name nor an IP address"
  fi
done

password=$(random_hex 16)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {
  # a short-lived JVM each: skip the optimizing compiler
  "$keytool" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "$@" > "$tmp/keytool.out" 2>&1 || {
    cat "$tmp/keytool.out" >&2
    die "keytool $1 failed (above)"
  }
}

run -genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 3650 \
  -dname "CN=Baton cluster CA $(random_hex 4)" -ext bc:c \
  -keystore "$dir/ca.p12" -storetype PKCS12 -storepass "$password"
run -exportcert -alias ca -rfc -file "$dir/ca.pem" \
  -keystore "$dir/ca.p12" -storepass "$password"

run -genkeypair -alias baton -keyalg RSA -keysize 2048 -validity 825 -dname "CN=baton" \
  -keystore "$dir/keystore.p12" -storetype PKCS12 -storepass "$password"
run -certreq -alias baton -file "$tmp/baton.csr" \
  -keystore "$dir/keystore.p12" -storepass "$password"
run -gencert -alias ca -infile "$tmp/baton.csr" -outfile "$tmp/baton.pem" -rfc -validity 825 \
  -ext "SAN=$san" -ext "KU=digitalSignature,keyEncipherment" -ext "EKU=serverAuth,clientAuth" \
  -keystore "$dir/ca.p12" -storepass "$password"
run -importcert -alias ca -file "$dir/ca.pem" -noprompt \
  -keystore "$dir/keystore.p12" -storepass "$password"
run -importcert -alias baton -file "$tmp/baton.pem" \
  -keystore "$dir/keystore.p12" -storepass "$password"

run -importcert -alias ca -file "$dir/ca.pem" -noprompt \
  -keystore "$dir/truststore.p12" -storetype PKCS12 -storepass "$password"

random_hex 32 > "$dir/rest.token"
chmod 600 "$dir"/*
chmod 700 "$dir"

cat << CONF
# Made by bin/baton-certs.sh in $dir (certificate valid for $(echo "$san" | sed 's/dns://g; s/ip://g')).
# Add to conf/baton-conf.yaml on every host (and copy $dir there, without ca.p12):

# mutual TLS between JobManagers and TaskManagers
security.ssl.internal.enabled: true
security.ssl.internal.keystore: $dir/keystore.p12
security.ssl.internal.keystore-password: $password
security.ssl.internal.truststore: $dir/truststore.p12
security.ssl.internal.truststore-password: $password

# https for the REST API (bin/baton and the scripts use the truststore)
security.ssl.rest.enabled: true
security.ssl.rest.keystore: $dir/keystore.p12
security.ssl.rest.keystore-password: $password
security.ssl.rest.truststore: $dir/truststore.p12
security.ssl.rest.truststore-password: $password

# every REST request but GET /ha needs 'Authorization: Bearer <the token in rest.token>'
rest.auth.type: token
rest.auth.token-file: $dir/rest.token
CONF
