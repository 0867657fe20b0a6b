#!/usr/bin/env bash
# Where the channel's cost goes (issue 13): perf record -a for PERF_SECONDS in the middle of a C=100 S=10 B=256 run
# against a fresh server, channel on (aesgcm) or off ($1 = on|off), JIT symbols of both .NET processes
# (DOTNET_PerfMapEnabled=1), then the samples split by process (server, load tool, everything else) and
# each process's functions above 0.8 % of its samples, next to the run's CPU per delivery. Needs perf.
# Usage: tests/perf/channel_profile.sh on; tests/perf/channel_profile.sh off   (env: MESSAGES=40000 PERF_SECONDS=8)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODE=${1:?on or off}
MESSAGES=${MESSAGES:-40000}
PERF_SECONDS=${PERF_SECONDS:-8}
# shellcheck source=lib.sh
source "$ROOT/tests/perf/lib.sh"
perf_begin profile
SRV=$ROOT/Entice.ServerNode/bin/Release/net10.0; LT=$ROOT/tests/Entice.LoadTest/bin/Release/net10.0
printf 'entice.server {\n  rate-limit.envelopes-per-second = 0\n  channel.enabled = %s\n}\n' "$MODE" >"$WORK/c.conf"
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet "$SRV/Entice.ServerNode.dll" --host 127.0.0.1 --port 0 --no-discovery --data-dir "$WORK/d" --log-level Warning --config "$WORK/c.conf" >"$WORK/s.log" 2>&1 &
SP=$!; STARTED+=("$SP")
for _ in $(seq 300); do grep -q '^Listening on 127.0.0.1:' "$WORK/s.log" && break; sleep 0.1; done
PORT=$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$WORK/s.log" | head -1 | cut -d: -f2)
FP=$(grep -o '^Server key fingerprint: .*' "$WORK/s.log" | head -1 | cut -d: -f2 | tr -d ' ' || true)
ARGS=(--server "127.0.0.1:$PORT${FP:+@$FP}" --server-pid "$SP" --suite aesgcm)
[ "$MODE" = off ] && ARGS=(--server "127.0.0.1:$PORT" --server-pid "$SP" --plain)
log "load average: $(cut -d' ' -f1-3 /proc/loadavg); warm-up run"
dotnet "$LT/Entice.LoadTest.dll" "${ARGS[@]}" --json -c 100 -s 10 -m 5000 -b 256 --window 64 >/dev/null 2>&1
dotnet "$LT/Entice.LoadTest.dll" "${ARGS[@]}" --json -c 100 -s 10 -m "$MESSAGES" -b 256 --window 64 >"$WORK/run.json" 2>/dev/null &
LP=$!; STARTED+=("$LP")
sleep 4
perf record -a -F 999 -o "$WORK/perf.data" -- sleep "$PERF_SECONDS" 2>/dev/null
wait "$LP" || true
jq -c '{deliveries_per_s, server_cpu_us_per_delivery, loadtool_us_per_delivery: (.loadtool_cpu_percent * 10000 / .deliveries_per_s), other_cpu_percent, channel_wire_bytes_per_delivery}' "$WORK/run.json"
perf script -i "$WORK/perf.data" -F pid,ip,sym,dso 2>/dev/null | python3 -c '
import sys, collections
sp, lp = int(sys.argv[1]), int(sys.argv[2])
total = collections.Counter(); syms = collections.Counter()
for line in sys.stdin:
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].isdigit():
        continue
    who = {sp: "server", lp: "loadtool"}.get(int(parts[0]), "other")
    total[who] += 1
    if who != "other":
        rest = parts[2] if len(parts) > 2 else ""
        name, _, dso = rest.rpartition(" (")
        if "kernel" in dso:
            name = "[kernel] " + name
        syms[(who, name.strip()[:110])] += 1
print("samples by process:", dict(total))
for who in ("server", "loadtool"):
    for (w, name), c in syms.most_common():
        if w == who and c >= 0.008 * total[who]:
            print(f"{who:8} {c:6d} {100 * c / total[who]:5.1f} %  {name}")
' "$SP" "$LP"
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
