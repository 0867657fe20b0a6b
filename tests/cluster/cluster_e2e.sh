#!/usr/bin/env bash
# End-to-end test of a cluster as people start it: tests/cluster/start-local.sh (three server nodes on
# 127.0.0.1 sharing a throwaway PostgreSQL), "alice" (--json) on node 1 with node 2 as her fallback and
# "bob" (--json) on node 3. Checks a message crosses nodes, that stopping node 1 (SIGTERM) moves alice to
# node 2 by herself, that what she types after reaches bob exactly once, and that the cluster stops
# cleanly. Ends with "N passed, M failed"; exit 0 only if all passed. Loopback only; bounded in time.
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/entice-cluster-e2e.XXXXXX)"
# A database of this run's own, dropped at the end: nothing remembered from an earlier run.
DB="entice_e2e_$$"
PASSED=0
FAILED=0
CLUSTER_PID=""
ALICE_PID=""
BOB_PID=""

cleanup() {
    exec 7>&- 8>&- 2>/dev/null
    [ -n "$ALICE_PID" ] && kill "$ALICE_PID" 2>/dev/null
    [ -n "$BOB_PID" ] && kill "$BOB_PID" 2>/dev/null
    [ -n "$CLUSTER_PID" ] && kill -TERM "$CLUSTER_PID" 2>/dev/null
    wait 2>/dev/null
    local runas=(); [ "$(id -u)" -ne 0 ] || runas=(runuser -u postgres --)
    "${runas[@]}" psql -h 127.0.0.1 -p "${ENTICE_PG_PORT:-54329}" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
    if [ "$FAILED" -eq 0 ]; then rm -rf "$WORK"; else echo "cluster_e2e: kept $WORK for a look"; fi
}
trap cleanup EXIT
trap 'echo "cluster_e2e: interrupted" >&2; exit 1' INT TERM

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
finish() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; exit $?; }

# wait_for SECONDS COMMAND...: retry the command every 0.2 s until it succeeds or time runs out.
wait_for() {
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do
        [ "$(date +%s)" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}
has() { grep -qF -- "$2" "$WORK/$1"; }
count() { grep -cF -- "$2" "$WORK/$1"; }

ENTICE_LOCAL_DB="$DB" ENTICE_CLUSTER_LOGS="$WORK/logs" "$ROOT/tests/cluster/start-local.sh" >"$WORK/cluster.out" 2>"$WORK/cluster.err" &
CLUSTER_PID=$!
if ! wait_for 240 has cluster.out "Ctrl+C stops the cluster"; then
    fail "start-local.sh starts three nodes"; tail -20 "$WORK/cluster.err"; finish
fi
pass "start-local.sh starts three nodes"
read -r NODE1 _ _ < <(sed -n 's/.*kill -TERM <pid>: \([0-9 ]*\)).*/\1/p' "$WORK/cluster.out")

CLIENT="$ROOT/Entice.ClientNode/bin/Release/net10.0/Entice.ClientNode"
mkfifo "$WORK/alice.in" "$WORK/bob.in"
"$CLIENT" --name alice --server 127.0.0.1:42001,127.0.0.1:42002 --key-dir "$WORK/alice" --json <"$WORK/alice.in" >"$WORK/alice.out" 2>&1 &
ALICE_PID=$!
exec 7>"$WORK/alice.in"
"$CLIENT" --name bob --server 127.0.0.1:42003 --key-dir "$WORK/bob" --json <"$WORK/bob.in" >"$WORK/bob.out" 2>&1 &
BOB_PID=$!
exec 8>"$WORK/bob.in"

check "alice (node 1) and bob (node 3) see each other" \
    wait_for 30 bash -c "grep -q '\"joined\".*\"bob\"' '$WORK/alice.out' && grep -q '\"joined\".*\"alice\"' '$WORK/bob.out'"
echo "hello across the cluster" >&7
check "bob on node 3 receives alice's message from node 1" wait_for 20 has bob.out '"text":"hello across the cluster"'

kill -TERM "$NODE1"
check "node 1 stops gracefully (exit 0)" wait_for 30 bash -c "! kill -0 $NODE1 2>/dev/null && grep -q 'Server stopped' '$WORK/logs/node1.log'"
check "alice is told, then moves to node 2 by herself" \
    wait_for 30 bash -c "grep -q '\"event\":\"disconnected\"' '$WORK/alice.out' && grep -q '\"event\":\"reconnected\"' '$WORK/alice.out'"
echo "still here after the move" >&7
check "bob receives what alice typed after moving" wait_for 20 has bob.out '"text":"still here after the move"'
echo "/msg alice welcome to node 2" >&8
check "alice on node 2 receives bob's direct message" wait_for 20 has alice.out '"text":"welcome to node 2"'
sleep 2
check "every message arrived exactly once" bash -c \
    "[ $(count bob.out '"text":"hello across the cluster"') -eq 1 ] && [ $(count bob.out '"text":"still here after the move"') -eq 1 ] && [ $(count alice.out '"text":"welcome to node 2"') -eq 1 ]"
check "no message text in any node's log" bash -c "! grep -qE 'hello across|still here after|welcome to node' '$WORK'/logs/node*.log"

exec 7>&- 8>&-
wait "$ALICE_PID"; alice_rc=$?
wait "$BOB_PID"; bob_rc=$?
check "both clients exit 0 at end of input (alice $alice_rc, bob $bob_rc)" test "$alice_rc" -eq 0 -a "$bob_rc" -eq 0
ALICE_PID=""; BOB_PID=""
kill -TERM "$CLUSTER_PID"
check "the cluster stops on SIGTERM" wait_for 60 bash -c "! kill -0 $CLUSTER_PID 2>/dev/null"
wait "$CLUSTER_PID" 2>/dev/null
CLUSTER_PID=""
check "nodes 2 and 3 stopped cleanly" bash -c "grep -q 'Server stopped' '$WORK/logs/node2.log' && grep -q 'Server stopped' '$WORK/logs/node3.log'"
finish
