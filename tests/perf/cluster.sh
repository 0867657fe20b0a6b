#!/usr/bin/env bash
# What clustering costs: the same workloads against one lone server node and against a two-node
# cluster (shared PostgreSQL from tests/cluster/postgres.sh), with the load tool's connections spread
# over both nodes, so half of every room's members sit on the other node. Loopback only. Prints a table;
# the last line is the key ratio, e.g. "ratio deliveries/s cluster(2 nodes)/lone (100 clients): 0.62".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/entice-perf-cluster.XXXXXX)"
PIDS=()
DB="entice_perf_$$"
runas=(); [ "$(id -u)" -ne 0 ] || runas=(runuser -u postgres --)
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "${runas[@]}" psql -h 127.0.0.1 -p "${PGPORT_:-54329}" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "cluster.sh: $*" >&2; }
command -v jq >/dev/null || { apt-get install -y -qq jq >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq jq; } >/dev/null 2>&1; }

dotnet build "$ROOT/Entice.ServerNode" -c Release -nologo -v q >/dev/null
dotnet build "$ROOT/tests/Entice.LoadTest" -c Release -nologo -v q >/dev/null
SERVER_DLL="$ROOT/Entice.ServerNode/bin/Release/net10.0/Entice.ServerNode.dll"
LOADTEST=(dotnet "$ROOT/tests/Entice.LoadTest/bin/Release/net10.0/Entice.LoadTest.dll")
server=$("$ROOT/tests/cluster/postgres.sh" start)
PGPORT_=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$server")
"${runas[@]}" psql -h 127.0.0.1 -p "$PGPORT_" -U postgres -d postgres -qc "CREATE DATABASE $DB" >&2
export ENTICE_POSTGRES="${server/Database=postgres/Database=$DB}"

# Flood protection off and per-envelope logging off: the benchmark is the flood.
cat >"$WORK/bench.conf" <<'CONF'
entice.server {
  rate-limit.envelopes-per-second = 0
  max-connections = 20000
  handshake-timeout = 60s
}
CONF

start() { # $1 name, rest: extra options; prints "PID PORT"
  local name=$1; shift
  dotnet "$SERVER_DLL" --host 127.0.0.1 --port 0 --log-level Warning --config "$WORK/bench.conf" "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!; PIDS+=("$pid")
  for _ in $(seq 300); do grep -q '^Listening on 127.0.0.1:' "$WORK/$name.log" && break; sleep 0.1; done
  local port; port=$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$WORK/$name.log" | head -1 | cut -d: -f2)
  [ -n "$port" ] || { log "$name did not start"; cat "$WORK/$name.log" >&2; exit 1; }
  echo "$pid $port"
}

# The nodes speak TLS to each other, as a real cluster does, on a throwaway cluster certificate.
export ENTICE_CLUSTER_CERT; ENTICE_CLUSTER_CERT=$("$ROOT/tests/cluster/make-cert.sh" "$WORK/cert")
export ENTICE_CLUSTER_CERT_PASSWORD; ENTICE_CLUSTER_CERT_PASSWORD=$(cat "$WORK/cert/cluster.pass")

read -r LONE_PID LONE_PORT < <(ENTICE_POSTGRES= start lone)
read -r A_PID A_PORT < <(start node-a --cluster-port 25701)
read -r B_PID B_PORT < <(start node-b --cluster-port 25702 --seed-nodes 127.0.0.1:25701)
sleep 5 # node b is up in the cluster

run() { # $1 servers, rest: load tool options; prints one JSON line
  local servers=$1; shift
  local out
  out=$(timeout 300 "${LOADTEST[@]}" --server "$servers" --json "$@" 2>>"$WORK/loadtest.err" | tail -1 || true)
  echo "${out:-{\"ok\":false\}}"
}
W_FULL=(-c 100 -s 10 -b 256 -m 5000 --window 64)
W_PACED=(-c 10 -s 10 -b 256 -m 300 --rate 1000)

log "full speed, lone node"; lone_full=$(run "127.0.0.1:$LONE_PORT" "${W_FULL[@]}")
log "full speed, two nodes"; clu_full=$(run "127.0.0.1:$A_PORT,127.0.0.1:$B_PORT" "${W_FULL[@]}")
log "paced, lone node"; lone_paced=$(run "127.0.0.1:$LONE_PORT" "${W_PACED[@]}")
log "paced, two nodes"; clu_paced=$(run "127.0.0.1:$A_PORT,127.0.0.1:$B_PORT" "${W_PACED[@]}")

row() { jq -r --arg w "$1" --arg s "$2" '"| \($w) | \($s) | \(.deliveries_per_s // "-") | \(.latency_p50_ms // "-") / \(.latency_p99_ms // "-") ms | \(.lost // "-") |"' <<<"$3"; }
echo "| workload | server | deliveries/s | p50 / p99 | lost |"
echo "| --- | --- | ---: | ---: | ---: |"
row "C=100, S=10, full speed" "lone node" "$lone_full"
row "C=100, S=10, full speed" "2-node cluster" "$clu_full"
row "C=10 paced 1,000/s" "lone node" "$lone_paced"
row "C=10 paced 1,000/s" "2-node cluster" "$clu_paced"
echo "ratio deliveries/s cluster(2 nodes)/lone (100 clients): $(jq -rn --argjson a "$clu_full" --argjson b "$lone_full" '(($a.deliveries_per_s // 0) / ($b.deliveries_per_s // 1) * 100 | round) / 100')"
