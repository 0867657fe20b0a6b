#!/usr/bin/env bash
# What the client-to-relay channel (issue 13) costs, in one run: two Entice servers on 127.0.0.1, one with
# the channel (the default, both suites accepted) and one with entice.server.channel.enabled = off, driven
# alternately by the same load tool: one column per channel suite in SUITES (--suite aesgcm, --suite
# chachapoly) and one plaintext (--plain). Workloads: connects/s (TCP connect + Noise XX handshake, or none,
# until the server's first message; then close) and C=100 S=10 B=256 full speed deliveries/s. Median of
# REPEATS. Last lines: "ratio SUITE/plaintext deliveries X connects Y" per suite. See tests/perf/README.md.
# Usage: tests/perf/channel.sh   (env: SUITES="aesgcm chachapoly" REPEATS=3 CONNECTS=2000 MESSAGES=5000
#        ENTICE_LOG_LEVEL=Warning NO_BUILD=1; SUITE=aesgcm is SUITES with one suite)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPEATS=${REPEATS:-3}
CONNECTS=${CONNECTS:-2000}
MESSAGES=${MESSAGES:-5000}
SUITES=${SUITE:-${SUITES:-aesgcm chachapoly}}
read -r -a SUITE_LIST <<<"$SUITES"
MODES=("${SUITE_LIST[@]}" off)
ENTICE_LOG_LEVEL=${ENTICE_LOG_LEVEL:-Warning}
# shellcheck source=lib.sh
source "$ROOT/tests/perf/lib.sh"
perf_begin channel
command -v jq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null

if [ -z "${NO_BUILD:-}" ]; then
  log "building (Release)"
  dotnet build "$ROOT/Entice.ServerNode" -c Release -nologo -v q >/dev/null
  dotnet build "$ROOT/tests/Entice.LoadTest" -c Release -nologo -v q >/dev/null
fi
SERVER_DLL=${SERVER_DLL:-"$ROOT/Entice.ServerNode/bin/Release/net10.0/Entice.ServerNode.dll"}
LOADTEST=(dotnet "$ROOT/tests/Entice.LoadTest/bin/Release/net10.0/Entice.LoadTest.dll")

start_entice() { # $1 on|off; sets LAST_PID LAST_PORT LAST_FP
  local out="$WORK/entice-$1.log" conf="$WORK/entice-$1.conf"
  # Flood protection off (the benchmark is the flood), as in compare.sh; only the channel differs.
  cat >"$conf" <<CONF
entice.server {
  rate-limit.envelopes-per-second = 0
  max-connections = 20000
  handshake-timeout = 60s
  channel.enabled = $1
}
CONF
  dotnet "$SERVER_DLL" --host 127.0.0.1 --port 0 --no-discovery --data-dir "$WORK/data-$1" --log-level "$ENTICE_LOG_LEVEL" --config "$conf" >"$out" 2>&1 &
  local pid=$!; STARTED+=("$pid")
  for _ in $(seq 300); do grep -q '^Listening on 127.0.0.1:' "$out" && break; sleep 0.1; done
  local port; port=$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)
  [ -n "$port" ] || { log "server (channel $1) did not start:"; cat "$out" >&2; exit 1; }
  LAST_PID=$pid; LAST_PORT=$port
  LAST_FP=$(grep -o '^Server key fingerprint: .*' "$out" | head -1 | cut -d: -f2 | tr -d ' ' || true)
}

start_entice on; ON_PID=$LAST_PID; ON_PORT=$LAST_PORT; ON_FP=$LAST_FP
start_entice off; OFF_PID=$LAST_PID; OFF_PORT=$LAST_PORT
log "channel on: pid $ON_PID port $ON_PORT key $ON_FP; channel off: pid $OFF_PID port $OFF_PORT; log level $ENTICE_LOG_LEVEL"

run() { # $1 a suite (aesgcm, chachapoly, auto) or off, rest: load tool options; prints one JSON line
  local mode=$1; shift
  local server=("--server" "127.0.0.1:$ON_PORT${ON_FP:+@$ON_FP}" "--server-pid" "$ON_PID" "--suite" "$mode")
  [ "$mode" = off ] && server=("--server" "127.0.0.1:$OFF_PORT" "--server-pid" "$OFF_PID" "--plain")
  timeout 300 "${LOADTEST[@]}" "${server[@]}" --json "$@" 2>>"$WORK/loadtest.err" \
    || { echo '{"ok":false}'; return 0; }
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "null"; else print a[int((NR+1)/2)]}'; }

log "load average: $(cut -d' ' -f1-3 /proc/loadavg); columns: ${MODES[*]}"
for i in $(seq "$REPEATS"); do
  for mode in "${MODES[@]}"; do
    log "repeat $i: connects, channel $mode"
    run "$mode" --connect-only -c "$CONNECTS" --handshake-parallelism 32 --label "connect-$mode" >>"$WORK/connect-$mode.jsonl"
    log "repeat $i: C=100 S=10, channel $mode"
    run "$mode" -c 100 -s 10 -m "$MESSAGES" -b 256 --window 64 --label "c100-$mode" >>"$WORK/c100-$mode.jsonl"
  done
done

field() { jq -r "select(.ok == true) | .$2 // empty" "$WORK/$1.jsonl" | median; }
row() { # $1 label, $2 workload, $3 field
  local line; line=$(printf '%-44s' "$1")
  for mode in "${MODES[@]}"; do line+=$(printf ' %14s' "$(field "$2-$mode" "$3")"); done
  echo "$line"
}
header=$(printf '%-44s' "workload (median of $REPEATS)")
for mode in "${MODES[@]}"; do header+=$(printf ' %14s' "$([ "$mode" = off ] && echo plaintext || echo "$mode")"); done
echo "$header"
row "connects/s (connect + handshake, par. 32)" connect connects_per_s
row "C=100 S=10 B=256 deliveries/s" c100 deliveries_per_s
row "  server CPU % of a core" c100 server_cpu_percent
row "  server CPU us per delivery" c100 server_cpu_us_per_delivery
row "  wire bytes per delivery (channel)" c100 channel_wire_bytes_per_delivery
row "  load tool CPU %" c100 loadtool_cpu_percent
row "  other CPU % (neighbours)" c100 other_cpu_percent
row "  p50 latency ms" c100 latency_p50_ms
row "  p99 latency ms" c100 latency_p99_ms
lost=$(printf '%-44s' "  lost"); for mode in "${MODES[@]}"; do lost+=$(printf ' %14s' "$(jq -s 'map(.lost // 0) | add' "$WORK/c100-$mode.jsonl")"); done; echo "$lost"
failed=$(cat "$WORK"/*.jsonl | jq -s 'map(select(.ok != true)) | length')
[ "$failed" = 0 ] || { log "$failed run(s) not ok:"; cat "$WORK"/*.jsonl | jq -c 'select(.ok != true)' >&2; }
if [ -n "${KEEP_RUNS:-}" ]; then cat "$WORK"/*.jsonl >"$KEEP_RUNS"; fi
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
d_off=$(field c100-off deliveries_per_s); c_off=$(field connect-off connects_per_s); u_off=$(field c100-off server_cpu_us_per_delivery)
for suite in "${SUITE_LIST[@]}"; do
  d_on=$(field "c100-$suite" deliveries_per_s); c_on=$(field "connect-$suite" connects_per_s); u_on=$(field "c100-$suite" server_cpu_us_per_delivery)
  echo "server CPU per delivery, $suite/plaintext: $(awk -v a="$u_on" -v b="$u_off" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
  echo "ratio $suite/plaintext deliveries $(awk -v a="$d_on" -v b="$d_off" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') connects $(awk -v a="$c_on" -v b="$c_off" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
done
