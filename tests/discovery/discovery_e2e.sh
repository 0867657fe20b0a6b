#!/usr/bin/env bash
# Acceptance check of discovery (issue 14), where it cannot leave the machine: two network namespaces
# made here, joined by two veth pairs (10.203.0.1/24 - 10.203.0.2/24 and 10.204.0.1/24 - 10.204.0.2/24,
# inside the namespaces only), torn down on exit. A server starts in one, so it is heard on two
# interfaces; two --json clients with NO --server start at once in the other, find it by multicast DNS
# (listed once: one key, fp= in its TXT record) and hold a conversation. They require the key it
# announced and pin it; a client that pinned another key for it is stopped (issue 13). Prints the time from the server's start to the first
# client being in the room, ready to type (target: under 3 s). Then: --list-servers; two servers and a
# --plain client asked to pick one; a server with --no-discovery is not found (--list-servers exit 1,
# a client exits 2 with one line saying how to give --server).
# Needs root (ip netns); without it the check cannot run and counts as failed (CI runs as root).
# Ends with "N passed, M failed"; exit 0 only if all passed.
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/entice-discovery-e2e.XXXXXX)"
NS_S="entice-ds-$$"
NS_C="entice-dc-$$"
VETH_S="eds$$"
VETH_C="edc$$"
VETH_S2="efs$$"
VETH_C2="efc$$"
PASSED=0
FAILED=0
PIDS=(); SERVER_PIDS=()

# stop_group PID...: SIGTERM, then up to 15 s to end; one still there is a failure (a node must end on
# SIGTERM) and gets SIGKILL, so the run never hangs on it.
stop_group() {
    local p i alive
    for p in "$@"; do kill "$p" 2>/dev/null; done
    for i in $(seq 150); do
        alive=0
        for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" -eq 0 ] && break
        sleep 0.1
    done
    for p in "$@"; do
        if kill -0 "$p" 2>/dev/null; then
            fail "process $p ($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-120)) still running 15 s after SIGTERM"
            kill -9 "$p" 2>/dev/null
        fi
    done
}
# stop_all: the clients first, while their server still answers their goodbye (with the server gone
# a client waits for it up to drain-timeout, 30 s, by design), then the servers.
stop_all() {
    local p clients=()
    for p in "${PIDS[@]}"; do [[ " ${SERVER_PIDS[*]} " == *" $p "* ]] || clients+=("$p"); done
    stop_group "${clients[@]}"
    stop_group "${SERVER_PIDS[@]}"
    wait 2>/dev/null
    PIDS=(); SERVER_PIDS=()
}
cleanup() {
    exec 6>&- 7>&- 8>&- 9>&- 2>/dev/null
    stop_all
    ip netns del "$NS_S" 2>/dev/null  # takes both veth pairs with it
    ip netns del "$NS_C" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "discovery_e2e: interrupted" >&2; exit 1' INT TERM

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }
finish() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; exit $?; }
now_ms() { date +%s%3N; }

# wait_for SECONDS COMMAND...: retry the command every 0.05 s until it succeeds or time runs out.
wait_for() {
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do
        [ "$(date +%s)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}
has() { grep -qF -- "$2" "$WORK/$1" 2>/dev/null; }

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    echo "SKIP: discovery runs only in network namespaces made here, which needs root and iproute2 (ip netns); not run"
    echo "0 passed, 1 failed"; exit 1
fi
if ! ip netns add "$NS_S" 2>"$WORK/netns.err" || ! ip netns add "$NS_C" 2>>"$WORK/netns.err"; then
    echo "SKIP: cannot create network namespaces here ($(head -1 "$WORK/netns.err")); not run"
    echo "0 passed, 1 failed"; exit 1
fi
ip link add "$VETH_S" type veth peer name "$VETH_C" \
  && ip link set "$VETH_S" netns "$NS_S" && ip link set "$VETH_C" netns "$NS_C" \
  && ip -n "$NS_S" addr add 10.203.0.1/24 dev "$VETH_S" && ip -n "$NS_C" addr add 10.203.0.2/24 dev "$VETH_C" \
  && ip -n "$NS_S" link set lo up && ip -n "$NS_C" link set lo up \
  && ip -n "$NS_S" link set "$VETH_S" up && ip -n "$NS_C" link set "$VETH_C" up \
  || { echo "cannot set up the veth pair"; echo "0 passed, 1 failed"; exit 1; }
ip link add "$VETH_S2" type veth peer name "$VETH_C2" \
  && ip link set "$VETH_S2" netns "$NS_S" && ip link set "$VETH_C2" netns "$NS_C" \
  && ip -n "$NS_S" addr add 10.204.0.1/24 dev "$VETH_S2" && ip -n "$NS_C" addr add 10.204.0.2/24 dev "$VETH_C2" \
  && ip -n "$NS_S" link set "$VETH_S2" up && ip -n "$NS_C" link set "$VETH_C2" up \
  || { echo "cannot set up the second veth pair"; echo "0 passed, 1 failed"; exit 1; }
pass "namespaces $NS_S and $NS_C joined by two veth pairs (10.203.0.0/24 and 10.204.0.0/24, nothing else)"

if [ "${1:-}" != "--no-build" ]; then
    echo "building (Release)..."
    if ! dotnet build "$ROOT/Entice.sln" -c Release -v q -nologo >"$WORK/build.log" 2>&1; then
        tail -20 "$WORK/build.log"; fail "build"; finish
    fi
fi
SERVER="$ROOT/Entice.ServerNode/bin/Release/net10.0/Entice.ServerNode"
CLIENT="$ROOT/Entice.ClientNode/bin/Release/net10.0/Entice.ClientNode"
in_c() { ip netns exec "$NS_C" "$@"; }

# 1. A server and, at the same moment, two --json clients with no --server.
mkfifo "$WORK/alice.in" "$WORK/bob.in" "$WORK/carol.in"
T0=$(now_ms)
ip netns exec "$NS_S" "$SERVER" --port 42000 --data-dir "$WORK/server1" >"$WORK/server1.out" 2>&1 &
PIDS+=($!); SERVER_PIDS+=($!)
ip netns exec "$NS_C" "$CLIENT" --name alice --json --key-dir "$WORK/alice" <"$WORK/alice.in" >"$WORK/alice.out" 2>"$WORK/alice.err" &
PIDS+=($!)
ip netns exec "$NS_C" "$CLIENT" --name bob --json --key-dir "$WORK/bob" <"$WORK/bob.in" >"$WORK/bob.out" 2>"$WORK/bob.err" &
PIDS+=($!)
exec 7>"$WORK/alice.in" 8>"$WORK/bob.in"
first_ready=""
listening=""
deadline=$(( $(date +%s) + 30 ))
while [ -z "$first_ready" ] && [ "$(date +%s)" -lt "$deadline" ]; do
    [ -z "$listening" ] && has server1.out "Discovery: announcing" && listening=$(now_ms)
    if has alice.out '"event":"ready"' || has bob.out '"event":"ready"'; then first_ready=$(now_ms); else sleep 0.02; fi
done
if [ -n "$first_ready" ]; then
    ms=$((first_ready - T0))
    echo "TIME server start -> first client in the room, ready to type: ${ms} ms (target: under 3000 ms);" \
         "the server was listening and announcing after $(( ${listening:-$first_ready} - T0 )) ms; load average $(cut -d' ' -f1 /proc/loadavg)"
    pass "a client with no --server found the server and is in the room (${ms} ms after the server started)"
    # Measured, not asserted: on a shared, loaded CI machine the server's own start-up dominates.
    [ "$ms" -lt 3000 ] && echo "NOTE target met" || echo "NOTE target missed (the server's start-up is most of it on a loaded machine; see server1.out)"
else
    fail "no client became ready within 30 s"; cat "$WORK/server1.out" "$WORK/alice.err" "$WORK/bob.err" | tail -20
fi
if wait_for 20 has alice.out '"event":"ready"' && wait_for 20 has bob.out '"event":"ready"'; then
    grep -q '"event":"servers"' "$WORK/alice.out" "$WORK/bob.out" \
        && fail "one server: connected without asking" || pass "one server: both clients connected to it without asking"
else
    fail "both clients in the room"; tail -n 5 "$WORK/alice.err" "$WORK/bob.err"
fi
wait_for 20 has alice.out '"event":"joined","room":"lobby","name":"bob"' || wait_for 5 has alice.out '"name":"bob"'
SECRET="over the hotspot $RANDOM$RANDOM"
echo "$SECRET" >&7
if wait_for 20 has bob.out "\"from\":\"alice\",\"text\":\"$SECRET\""; then
    pass "alice's message shows at bob"
else
    fail "alice's message shows at bob"; tail -n 5 "$WORK/bob.out"
fi
REPLY="heard you $RANDOM"
echo "$REPLY" >&8
wait_for 20 has alice.out "\"text\":\"$REPLY\"" && pass "bob's reply shows at alice" || fail "bob's reply shows at alice"

# 2. --list-servers from the other namespace: the server, heard on both links, once, with its key.
FP=$(grep -o '^Server key fingerprint: .*' "$WORK/server1.out" | head -1 | cut -d: -f2 | tr -d ' ')
[ ${#FP} -eq 40 ] && pass "the server prints its key fingerprint ($FP)" || fail "no key fingerprint in the server's output: $(head -5 "$WORK/server1.out")"
grep -qE "^Clients on other machines: --server 10\.20[34]\.0\.1:42000@$FP\$" "$WORK/server1.out" \
    && pass "its --server lines carry HOST:PORT@FINGERPRINT" || fail "--server lines: $(grep 'Clients' "$WORK/server1.out")"
in_c "$CLIENT" --list-servers >"$WORK/list1.out" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -qE "^10\.20[34]\.0\.1:42000	$FP	Entice on " "$WORK/list1.out"; then
    pass "--list-servers prints the server (address:port, key fingerprint, name) and exits 0"
else
    fail "--list-servers (exit $rc): $(head -3 "$WORK/list1.out")"
fi
n=$(grep -c ':42000	' "$WORK/list1.out")
[ "$n" -eq 1 ] && pass "heard on two interfaces, listed once (by its key)" || fail "listed $n times: $(cat "$WORK/list1.out")"
# The clients that found it required the announced key and pinned it.
grep -qE "^10\.20[34]\.0\.1:42000 $FP\$" "$WORK/alice/servers.pins" 2>/dev/null \
    && pass "the client pinned the key the server announced" || fail "alice's server pins: $(cat "$WORK/alice/servers.pins" 2>&1)"
# A client that pinned another key for that server is not talked round by an announcement.
mkdir -m 700 "$WORK/frank"
printf '10.203.0.1:42000 %s\n10.204.0.1:42000 %s\n' "$(printf '%040d' 7)" "$(printf '%040d' 7)" >"$WORK/frank/servers.pins"
in_c "$CLIENT" --name frank --plain --key-dir "$WORK/frank" </dev/null >"$WORK/frank.out" 2>"$WORK/frank.err"; rc=$?
if [ "$rc" -ne 0 ] && grep -q "you pinned 0000 0000 0000 0000 0000 0000 0000 0000 0000 0007" "$WORK/frank.err" \
    && grep -q "announces the key $(echo "$FP" | sed -E 's/(.{4})/\1 /g; s/ $//')" "$WORK/frank.err" && ! grep -q "You are frank" "$WORK/frank.out"; then
    pass "a client that pinned another key for the server stops and says so (exit $rc): $(tail -1 "$WORK/frank.err" | cut -c1-200)"
else
    fail "pinned another key: exit $rc, $(cat "$WORK/frank.err" | head -3)"
fi

# 3. A second server (its own name): a --plain client lists both and connects to the one picked.
printf 'entice.server.discovery.instance-name = "second relay"\n' >"$WORK/second.conf"
ip netns exec "$NS_S" "$SERVER" --port 42002 --data-dir "$WORK/server2" --config "$WORK/second.conf" >"$WORK/server2.out" 2>&1 &
PIDS+=($!); SERVER_PIDS+=($!)
wait_for 20 has server2.out "Discovery: announcing" || fail "second server announces"
ip netns exec "$NS_C" "$CLIENT" --name carol --plain --key-dir "$WORK/carol" <"$WORK/carol.in" >"$WORK/carol.out" 2>"$WORK/carol.err" &
PIDS+=($!)
exec 9>"$WORK/carol.in"
if wait_for 15 has carol.out "Which server (1-2)?"; then
    pick=$(grep -E '^[0-9]+\) 10\.20[34]\.0\.1:42002 ' "$WORK/carol.out" | head -1 | cut -d')' -f1)
    grep -qE '^[0-9]+\) 10\.20[34]\.0\.1:42000 ' "$WORK/carol.out" && [ -n "$pick" ] \
        && pass "two servers: --plain lists both, numbered, and asks" || fail "two servers listed: $(cat "$WORK/carol.out")"
    echo "${pick:-1}" >&9
    if wait_for 20 has carol.out "* You are carol in [lobby]"; then
        # The picked server is the second one: alice (on the first) never sees carol.
        echo "/who" >&9
        sleep 1
        grep -q '"name":"carol"' "$WORK/alice.out" && fail "carol connected to the server picked" || pass "carol connected to the server she picked (not the other)"
    else
        fail "carol in the room after picking"; tail -n 3 "$WORK/carol.err"
    fi
else
    fail "two servers: --plain asks which"; cat "$WORK/carol.out" "$WORK/carol.err" | tail -5
fi
# The same choice in --json: a "servers" event, answered with a 0-based index line.
mkfifo "$WORK/erin.in"
ip netns exec "$NS_C" "$CLIENT" --name erin --json --key-dir "$WORK/erin" <"$WORK/erin.in" >"$WORK/erin.out" 2>"$WORK/erin.err" &
PIDS+=($!)
exec 6>"$WORK/erin.in"
if wait_for 15 has erin.out '"event":"servers"'; then
    index=$(python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).readline()); print(next(s["index"] for s in e["servers"] if s["port"]==42002))' "$WORK/erin.out" 2>/dev/null)
    [ -n "$index" ] && pass "two servers: --json emits a servers event listing both" || fail "servers event: $(head -1 "$WORK/erin.out")"
    echo "${index:-0}" >&6
    wait_for 20 has erin.out '"event":"ready"' && wait_for 10 has erin.out 'carol' \
        && pass "--json: the index picked connects to that server (carol is there)" || fail "--json pick: $(tail -n 3 "$WORK/erin.out" "$WORK/erin.err")"
else
    fail "two servers: --json emits a servers event"; tail -n 3 "$WORK/erin.out" "$WORK/erin.err"
fi
exec 6>&- 7>&- 8>&- 9>&-

# 4. Discovery off: nothing is found; the client says how to give --server and exits 2.
stop_all
ip netns exec "$NS_S" "$SERVER" --port 42000 --data-dir "$WORK/server1" --no-discovery >"$WORK/server3.out" 2>&1 &
PIDS+=($!); SERVER_PIDS+=($!)
wait_for 20 has server3.out "Discovery: off" && pass "--no-discovery: the server says discovery is off" || fail "--no-discovery line"
start=$(date +%s)
in_c "$CLIENT" --list-servers >"$WORK/list2.out" 2>&1; rc=$?
[ "$rc" -eq 1 ] && pass "--list-servers finds nothing and exits 1" || fail "--list-servers with discovery off exited $rc: $(cat "$WORK/list2.out")"
in_c "$CLIENT" --name dave --plain --key-dir "$WORK/dave" </dev/null >"$WORK/dave.out" 2>"$WORK/dave.err"; rc=$?
took=$(( $(date +%s) - start ))
if [ "$rc" -eq 2 ] && grep -q "give its address with --server HOST:PORT" "$WORK/dave.err"; then
    pass "none found: one line saying how to give --server, exit 2 (both lookups took ${took} s)"
else
    fail "none found: exit $rc, $(cat "$WORK/dave.err")"
fi

finish
