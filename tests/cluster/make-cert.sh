#!/usr/bin/env bash
# Makes a cluster certificate: a self-signed ECDSA P-256 certificate with its private key in a
# PKCS#12 file, DIR/cluster.pfx, protected by a random password kept in DIR/cluster.pass (both mode
# 0600; the private key never touches the disk unencrypted outside DIR). Prints the .pfx path. Every node
# of one cluster gets the same two files (README "Cluster TLS"):
#
#   tests/cluster/make-cert.sh DIR [DAYS]      # DAYS of validity, default 825
#   ENTICE_CLUSTER_CERT=DIR/cluster.pfx ENTICE_CLUSTER_CERT_PASSWORD="$(cat DIR/cluster.pass)" entice-server ...
set -euo pipefail
dir=${1:?usage: make-cert.sh DIR [DAYS]}
days=${2:-825}
umask 077
mkdir -p "$dir"
[ ! -e "$dir/cluster.pfx" ] || { echo "make-cert.sh: $dir/cluster.pfx exists; not overwriting the cluster's certificate" >&2; exit 2; }
tmp=$(mktemp -d "$dir/.make-cert.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
openssl rand -hex 24 >"$dir/cluster.pass"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 -days "$days" -nodes \
  -subj "/CN=entice-cluster" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$tmp/key.pem" -in "$tmp/cert.pem" -name entice-cluster \
  -passout "file:$dir/cluster.pass" -out "$dir/cluster.pfx"
chmod 600 "$dir/cluster.pfx" "$dir/cluster.pass"
echo "$dir/cluster.pfx"
