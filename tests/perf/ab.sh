#!/usr/bin/env bash
# A/B of two Entice server builds in one run (no build): both started once, then the same load-tool
# workloads alternately, A then B, REPEATS times; medians of server CPU us per delivery (the robust number
# on a shared machine), deliveries/s and other CPU. A and B are directories holding Entice.ServerNode.dll
# (e.g. a copy of Entice.ServerNode/bin/Release/net10.0 taken before a change).
#   A=/tmp/base B=Entice.ServerNode/bin/Release/net10.0 REPEATS=5 tests/perf/ab.sh
# CONF_A / CONF_B: a HOCON file layered over that server's configuration (e.g. an executor knob).
# ENV_A / ENV_B: environment settings for that server, space-separated VAR=value.
# PLAIN=1: both servers with channel.enabled = off and the load tool with --plain.
# WORKLOADS: which of c100 (C=100 S=10) and c10 (C=10 all sending) to run; default both.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPEATS=${REPEATS:-3}
MESSAGES=${MESSAGES:-5000}
WORKLOADS=${WORKLOADS:-"c100 c10"}
CHANNEL=on; [ -n "${PLAIN:-}" ] && CHANNEL=off
A=${A:?A=dir of the first Entice.ServerNode.dll}; B=${B:?B=dir of the second}
source "$ROOT/tests/perf/lib.sh"
perf_begin ab
LOADTEST=(dotnet "$ROOT/tests/Entice.LoadTest/bin/Release/net10.0/Entice.LoadTest.dll")

start() { # $1 tag, $2 dir; sets PID_<tag> PORT_<tag> FP_<tag>
  local out="$WORK/$1.log" conf="$WORK/$1.conf"
  printf 'entice.server {\n  rate-limit.envelopes-per-second = 0\n  max-connections = 20000\n  handshake-timeout = 60s\n  channel.enabled = %s\n}\n' "$CHANNEL" >"$conf"
  local extra; eval "extra=\${CONF_${1^^}:-}"; [ -n "$extra" ] && cat "$extra" >>"$conf"
  local envs; eval "envs=\${ENV_${1^^}:-}"
  env $envs dotnet "$2/Entice.ServerNode.dll" --host 127.0.0.1 --port 0 --no-discovery --data-dir "$WORK/data-$1" \
    --log-level "${ENTICE_LOG_LEVEL:-Information}" --config "$conf" >"$out" 2>&1 &
  local pid=$!; STARTED+=("$pid")
  for _ in $(seq 300); do grep -q '^Listening on 127.0.0.1:' "$out" && break; sleep 0.1; done
  local port; port=$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)
  [ -n "$port" ] || { log "server $1 did not start"; cat "$out" >&2; exit 1; }
  local fp; fp=$(grep -o '^Server key fingerprint: .*' "$out" | head -1 | cut -d: -f2 | tr -d ' ' || true)
  eval "PID_$1=$pid PORT_$1=$port FP_$1='$fp'"
}
start a "$A"; start b "$B"
log "A $A (pid $PID_a), B $B (pid $PID_b), channel $CHANNEL, load $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # $1 a|b, $2 workload
  local pid port fp; eval "pid=\$PID_$1 port=\$PORT_$1 fp=\$FP_$1"
  local server=(--server "127.0.0.1:$port${fp:+@$fp}" --server-pid "$pid"); [ "$CHANNEL" = off ] && server+=(--plain)
  local work=(-c 100 -s 10); [ "$2" = c10 ] && work=(-c 10 -s 10)
  timeout 300 "${LOADTEST[@]}" "${server[@]}" --json "${work[@]}" -m "$MESSAGES" -b 256 --window 64 --label "$2-$1" \
    2>>"$WORK/loadtest.err" >>"$WORK/$2-$1.jsonl" || echo '{"ok":false}' >>"$WORK/$2-$1.jsonl"
}
for i in $(seq "$REPEATS"); do
  for w in $WORKLOADS; do run a "$w"; run b "$w"; done
done
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else print a[int((NR+1)/2)]}'; }
field() { jq -r "select(.ok == true) | .$2 // empty" "$WORK/$1.jsonl" | median; }
printf '%-8s %-4s %12s %12s %10s %10s %6s\n' workload side "us/deliv" "deliv/s" "srv CPU%" "other%" lost
for w in $WORKLOADS; do for s in a b; do
  printf '%-8s %-4s %12s %12s %10s %10s %6s\n' "$w" "$s" "$(field "$w-$s" server_cpu_us_per_delivery)" "$(field "$w-$s" deliveries_per_s)" \
    "$(field "$w-$s" server_cpu_percent)" "$(field "$w-$s" other_cpu_percent)" "$(jq -s 'map(.lost // 0) | add' "$WORK/$w-$s.jsonl")"
done; done
log "load at end $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${KEEP_RUNS:-}" ] && cat "$WORK"/*.jsonl >"$KEEP_RUNS"
exit 0
