#!/usr/bin/env bash
# Idle CPU of the server (no connection, then N silent connections) and of one idle client node, as
# process CPU time (utime+stime from /proc/PID/stat) over a window of W seconds. Meaningful on a busy
# machine too: it counts this process's own CPU time, not the wall clock. See tests/perf/README.md.
# Usage: tests/perf/idle_cpu.sh [server|client|all]   (env: W=60 N=100 CONF=extra.conf for both nodes; no build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=${W:-60}; N=${N:-100}; WHAT=${1:-all}
WORK=$(mktemp -d /tmp/entice-idle.XXXXXX)
PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$WORK"; }
trap cleanup EXIT
SERVER_DLL="$ROOT/Entice.ServerNode/bin/Release/net10.0/Entice.ServerNode.dll"
CLIENT_DLL="$ROOT/Entice.ClientNode/bin/Release/net10.0/Entice.ClientNode.dll"
LOADTEST_DLL="$ROOT/tests/Entice.LoadTest/bin/Release/net10.0/Entice.LoadTest.dll"
TCK=$(getconf CLK_TCK)

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime, after the "(comm)" field (no spaces in "dotnet")
cpu_over() { # $1 pid, $2 label: CPU % of one core over W seconds
  local a b; a=$(ticks "$1"); sleep "$W"; b=$(ticks "$1")
  awk -v a="$a" -v b="$b" -v t="$TCK" -v w="$W" -v l="$2" 'BEGIN { printf "%-40s %6.2f %% of a core (%d ticks in %d s)\n", l, (b-a)/t/w*100, b-a, w }'
}

# Long idle timeout: the load tool does not answer pings, and the silent connections must outlive the window.
{ echo 'entice.server { idle-timeout = 1h, rate-limit.envelopes-per-second = 0 }'; [ -n "${CONF:-}" ] && cat "$CONF"; } >"$WORK/server.conf"
dotnet "$SERVER_DLL" --host 127.0.0.1 --port 0 --no-discovery --data-dir "$WORK/data" --config "$WORK/server.conf" >"$WORK/server.log" 2>&1 &
SP=$!; PIDS+=("$SP")
for _ in $(seq 300); do grep -q '^Listening on 127.0.0.1:' "$WORK/server.log" && break; sleep 0.1; done
PORT=$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$WORK/server.log" | head -1 | cut -d: -f2)
[ -n "$PORT" ] || { cat "$WORK/server.log" >&2; exit 1; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, window ${W}s${CONF:+, extra config $CONF}"
sleep 10 # start-up (JIT, store) done
if [ "$WHAT" != client ]; then
  cpu_over "$SP" "server, no connection"
  dotnet "$LOADTEST_DLL" --server "127.0.0.1:$PORT" --idle "$N" --idle-settle $((W + 40)) --json >"$WORK/lt.out" 2>&1 &
  LP=$!; PIDS+=("$LP")
  for _ in $(seq 600); do [ "$(ss -Htn state established "dport = :$PORT" | wc -l)" -ge "$N" ] && break; sleep 0.1; done
  sleep 10
  cpu_over "$SP" "server, $N silent connections ($(ss -Htn state established "dport = :$PORT" | wc -l) open)"
  kill "$LP" 2>/dev/null || true
fi
if [ "$WHAT" != server ]; then
  [ -n "${CONF:-}" ] && CC=(--config "$CONF") || CC=()
  mkfifo "$WORK/stdin"
  dotnet "$CLIENT_DLL" --name idler --server "127.0.0.1:$PORT" --key-dir "$WORK/keys" --json "${CC[@]}" <"$WORK/stdin" >"$WORK/client.out" 2>&1 &
  CP=$!; PIDS+=("$CP")
  exec 3>"$WORK/stdin" # stdin stays open (an idle user), closed when this script ends
  sleep "${CLIENT_SETTLE:-15}" # start-up done (JIT tiering, key files, join)
  cpu_over "$CP" "idle client (joined, nobody else in the room)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
