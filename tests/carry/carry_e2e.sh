#!/usr/bin/env bash
# The program you can carry: builds the linux-x64 pair with tools/dist.sh (self-contained, single
# file), then runs them as a friend without .NET would: an environment with no `dotnet` reachable (a
# PATH holding no dotnet, DOTNET_ROOT unset, HOME a fresh folder). A relay on 127.0.0.1 (port 0) and
# two --json clients: a message arrives, the relay's log holds no plaintext, the binaries load no
# runtime from the machine's .NET install. Then the relay restarts and `entice` with no arguments starts
# where it left off (name, relay, rooms), timed from the relay's start; with nothing remembered and no
# terminal it exits 2.
# Ends with "N passed, M failed"; exit 0 only if all passed. Loopback only; bounded in time.
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/entice-carry-e2e.XXXXXX)"
PASSED=0; FAILED=0; PIDS=()
pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }
finish() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; exit $?; }
cleanup() {
    local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    exec 7>&- 8>&- 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"
}
trap cleanup EXIT
wait_for() { # SECONDS COMMAND...
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 0.1; done
}
has() { grep -qF -- "$2" "$1" 2>/dev/null; }

echo "== tools/dist.sh linux-x64"
start=$(date +%s)
if timeout 600 bash "$ROOT/tools/dist.sh" linux-x64 >"$WORK/dist.log" 2>&1; then
    pass "tools/dist.sh linux-x64 builds in $(( $(date +%s) - start )) s"
else
    cat "$WORK/dist.log"; fail "tools/dist.sh linux-x64"; finish
fi
DIST="$ROOT/dist/linux-x64"
for f in entice entice-server; do
    if [ -x "$DIST/$f" ] && [ "$(ls "$DIST" | wc -l)" -eq 2 ]; then
        pass "dist/linux-x64/$f is one file ($(du -m "$DIST/$f" | cut -f1) MB), nothing beside it"
    else fail "dist/linux-x64/$f missing or not alone: $(ls "$DIST")"; fi
done

# The environment a friend's machine gives: PATH with only a folder of ours (no dotnet in it).
mkdir -p "$WORK/bin" "$WORK/home"
for t in sh cat sleep; do ln -s "$(command -v $t)" "$WORK/bin/$t"; done
BARE=(env -i "PATH=$WORK/bin" "HOME=$WORK/home" "LANG=C.UTF-8")
if "${BARE[@]}" sh -c 'command -v dotnet' >/dev/null 2>&1; then fail "dotnet is reachable in the bare environment"; finish
else pass "no dotnet on the bare environment's PATH, DOTNET_ROOT unset"; fi

"${BARE[@]}" "$DIST/entice-server" --host 127.0.0.1 --port 0 --data-dir "$WORK/server-data" --log-level Debug \
    >"$WORK/server.log" 2>&1 &
SERVER=$!; PIDS+=("$SERVER")
if wait_for 30 has "$WORK/server.log" "Listening on"; then pass "entice-server starts with no .NET installed"
else cat "$WORK/server.log"; fail "entice-server did not start"; finish; fi
PORT=$(grep -Eo 'Listening on [^ ]+' "$WORK/server.log" | head -1 | grep -Eo '[0-9]+$')
if grep -q /usr/share/dotnet "/proc/$SERVER/maps" 2>/dev/null; then fail "entice-server loaded the machine's .NET runtime"
else pass "entice-server loads nothing from the machine's .NET install"; fi

client() { # NAME FD: each friend on a machine (a HOME) of their own, so "used last" is theirs alone
    mkfifo "$WORK/$1.in"
    mkdir -p "$WORK/home-$1"
    env -i "PATH=$WORK/bin" "HOME=$WORK/home-$1" "LANG=C.UTF-8" "$DIST/entice" --json --name "$1" --server "127.0.0.1:$PORT" --key-dir "$WORK/keys-$1" \
        <"$WORK/$1.in" >"$WORK/$1.out" 2>"$WORK/$1.err" &
    PIDS+=("$!")
    eval "exec $2>\"$WORK/$1.in\""
}
client bob 7
client alice 8
if wait_for 60 has "$WORK/bob.out" '"event":"ready"' && wait_for 60 has "$WORK/alice.out" '"event":"ready"'; then
    pass "two entice clients start and join the room"
else cat "$WORK/alice.err" "$WORK/bob.err"; fail "clients not ready"; fi
wait_for 30 has "$WORK/alice.out" '"name":"bob"'
SECRET="carried secret $$-$RANDOM-$RANDOM"
echo "$SECRET" >&8
if wait_for 30 has "$WORK/bob.out" "$SECRET"; then pass "alice's message reaches bob"
else cat "$WORK/bob.out" "$WORK/bob.err"; fail "bob did not receive alice's message"; fi
REPLY="carried reply $$-$RANDOM"
echo "$REPLY" >&7
if wait_for 30 has "$WORK/alice.out" "$REPLY"; then pass "bob's reply reaches alice"
else fail "alice did not receive bob's reply"; fi
# Remembered settings: alice joins a second room, then both end; the relay restarts on the same port and
# `entice` with no arguments (what alice remembered: name, server, rooms) is back in both rooms.
echo "/join games" >&8
wait_for 30 has "$WORK/alice.out" '"room":"games"' || fail "alice did not enter games"
exec 7>&- 8>&-
wait_for 30 has "$WORK/alice.out" '"event":"stopped"' && wait_for 30 has "$WORK/bob.out" '"event":"stopped"' \
    || fail "the clients did not stop at the end of input"
sleep 0.5
if grep -qF -e "$SECRET" -e "$REPLY" -e "carried" "$WORK/server.log"; then fail "plaintext in the relay's log"
elif [ "$(wc -l <"$WORK/server.log")" -lt 3 ]; then fail "the relay's log is nearly empty: nothing was checked"
else pass "no plaintext in the relay's log ($(wc -l <"$WORK/server.log") lines at Debug)"; fi
if grep -qF -e "$SECRET" -e "$REPLY" -r "$WORK/home-alice" "$WORK/home-bob" "$WORK/keys-alice" "$WORK/keys-bob"; then fail "plaintext in the remembered settings or key directories"
else pass "no plaintext in what the clients remember"; fi
kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null

# Not at a terminal, nothing remembered for this HOME: a clear error, exit 2.
mkdir -p "$WORK/home2"
env -i "PATH=$WORK/bin" "HOME=$WORK/home2" "$DIST/entice" </dev/null >"$WORK/noname.out" 2>"$WORK/noname.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q -- "--name" "$WORK/noname.err"; then pass "first start with no name and no terminal: exit 2, says to give --name"
else fail "no name, no terminal: exit $rc, $(cat "$WORK/noname.err")"; fi

# The relay and `entice` (no arguments) started together: time until alice is in both rooms again.
mkfifo "$WORK/again.in"
t0=$(date +%s%N)
"${BARE[@]}" "$DIST/entice-server" --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/server-data" >"$WORK/server2.log" 2>&1 &
PIDS+=("$!")
env -i "PATH=$WORK/bin" "HOME=$WORK/home-alice" "LANG=C.UTF-8" "$DIST/entice" <"$WORK/again.in" >"$WORK/again.out" 2>"$WORK/again.err" &
PIDS+=("$!")
exec 7>"$WORK/again.in"
if wait_for 30 has "$WORK/again.out" "You are alice in [lobby]" && wait_for 30 has "$WORK/again.out" "You are in [games]"; then
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    pass "entice with no arguments starts where it left off (alice, the relay used, lobby and games): ready ${ms} ms after the relay started"
else cat "$WORK/again.out" "$WORK/again.err"; fail "entice with no arguments did not start where it left off"; fi
exec 7>&-
finish
