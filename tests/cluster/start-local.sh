#!/usr/bin/env bash
# Starts a three-node Entice cluster on this machine, for people to try: clients connect to
# 127.0.0.1:42001, :42002 or :42003 (give all three to --server and a client moves by itself when its
# node stops); the nodes talk to each other on 127.0.0.1:25521-25523 and share one PostgreSQL
# (started by tests/cluster/postgres.sh on 127.0.0.1). Node-to-node traffic is TLS with mutual
# authentication on a throwaway cluster certificate made here (tests/cluster/make-cert.sh, in a
# temporary directory removed at exit), unless ENTICE_CLUSTER_CERT (and ENTICE_CLUSTER_CERT_PASSWORD)
# name one already. Ctrl+C stops every node gracefully.
#
#   tests/cluster/start-local.sh            # build, start, wait until Ctrl+C
#   ENTICE_CLUSTER_LOGS=/tmp/x tests/cluster/start-local.sh   # where the node logs go
#   ENTICE_LOCAL_DB=mine tests/cluster/start-local.sh         # another database (created if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."

logs=${ENTICE_CLUSTER_LOGS:-${TMPDIR:-/tmp}/entice-cluster}
mkdir -p "$logs"
echo "building the server node (Release)..." >&2
dotnet build Entice.ServerNode -c Release -v quiet -nologo >/dev/null
server=$(tests/cluster/postgres.sh start)
# A database of its own (ENTICE_LOCAL_DB, default entice_local), so what this cluster remembers
# survives restarts and stays apart from tests.
db=${ENTICE_LOCAL_DB:-entice_local}
port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$server")
runas=(); [ "$(id -u)" -ne 0 ] || runas=(runuser -u postgres --)
"${runas[@]}" psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
  || "${runas[@]}" psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE $db" >&2
export ENTICE_POSTGRES="${server/Database=postgres/Database=$db}"

certdir=""
if [ -z "${ENTICE_CLUSTER_CERT:-}" ]; then
  certdir=$(mktemp -d "${TMPDIR:-/tmp}/entice-cluster-cert.XXXXXX")
  export ENTICE_CLUSTER_CERT; ENTICE_CLUSTER_CERT=$(tests/cluster/make-cert.sh "$certdir")
  export ENTICE_CLUSTER_CERT_PASSWORD; ENTICE_CLUSTER_CERT_PASSWORD=$(cat "$certdir/cluster.pass")
fi

dll=Entice.ServerNode/bin/Release/net10.0/Entice.ServerNode.dll
pids=()
stop_all() {
  trap - INT TERM EXIT
  echo "stopping the nodes..." >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  [ -z "$certdir" ] || rm -rf "$certdir"
}
trap stop_all INT TERM EXIT

# Every node lists the same two seeds. Node 1, the first seed, starts alone and forms the cluster once
# no other seed answers (Akka's seed-node-timeout, 5 s); nodes 2 and 3 then join it. Each node prints
# "Cluster member up" once it is a member (and "Listening on" once clients can connect); node 1 is
# waited for before the others start.
start_node() { # $1: 1, 2 or 3
  dotnet "$dll" --host 127.0.0.1 --port "4200$1" --cluster-port "2552$1" \
    --seed-nodes 127.0.0.1:25521,127.0.0.1:25522 >"$logs/node$1.log" 2>&1 &
  pids+=($!)
}
wait_up() { # $1: node number
  for _ in $(seq 1 120); do
    grep -q "Cluster member up" "$logs/node$1.log" && grep -q "Listening on" "$logs/node$1.log" && return 0
    kill -0 "${pids[$(($1 - 1))]}" 2>/dev/null || { echo "node $1 exited; see $logs/node$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "node $1 did not join the cluster in 60 s; see $logs/node$1.log" >&2
  exit 1
}
start_node 1
wait_up 1
start_node 2
start_node 3
wait_up 2
wait_up 3

cat <<MSG
Three Entice server nodes are running as one cluster (logs in $logs):
  node 1: clients 127.0.0.1:42001, cluster 127.0.0.1:25521
  node 2: clients 127.0.0.1:42002, cluster 127.0.0.1:25522
  node 3: clients 127.0.0.1:42003, cluster 127.0.0.1:25523
  node-to-node: TLS, mutual authentication on the cluster certificate $ENTICE_CLUSTER_CERT
Try, in two more terminals:
  dotnet run --project Entice.ClientNode -- --name alice --server 127.0.0.1:42001,127.0.0.1:42002,127.0.0.1:42003
  dotnet run --project Entice.ClientNode -- --name bob   --server 127.0.0.1:42003,127.0.0.1:42002,127.0.0.1:42001
Stop one node (kill -TERM <pid>: ${pids[*]}) and its clients move to the next address.
Ctrl+C stops the cluster.
MSG
wait "${pids[@]}"
