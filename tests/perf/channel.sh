#!/usr/bin/env bash
# What the client-to-relay channel (issue 13) costs, in one run: two Entice servers on 127.0.0.1, one with
# the channel (the default) and one with entice.server.channel.enabled = off, driven alternately by the
# same load tool (channel on / --plain). Workloads: connects/s (TCP connect + Noise XX handshake, or none,
# until the server's first message; then close) and C=100 S=10 B=256 full speed deliveries/s. Median of
# REPEATS. Last line: "ratio channel/plaintext deliveries X connects Y". See tests/perf/README.md.
# Usage: tests/perf/channel.sh   (env: REPEATS=3 CONNECTS=2000 MESSAGES=5000 ENTICE_LOG_LEVEL=Warning NO_BUILD=1)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPEATS=${REPEATS:-3}
CONNECTS=${CONNECTS:-2000}
MESSAGES=${MESSAGES:-5000}
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

run() { # $1 on|off, rest: load tool options; prints one JSON line
  local mode=$1; shift
  local server=("--server" "127.0.0.1:$ON_PORT${ON_FP:+@$ON_FP}" "--server-pid" "$ON_PID")
  [ "$mode" = off ] && server=("--server" "127.0.0.1:$OFF_PORT" "--server-pid" "$OFF_PID" "--plain")
  timeout 300 "${LOADTEST[@]}" "${server[@]}" --json "$@" 2>>"$WORK/loadtest.err" \
    || { echo '{"ok":false}'; return 0; }
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "null"; else print a[int((NR+1)/2)]}'; }

for i in $(seq "$REPEATS"); do
  for mode in on off; do
    log "repeat $i: connects, channel $mode"
    run "$mode" --connect-only -c "$CONNECTS" --handshake-parallelism 32 --label "connect-$mode" >>"$WORK/connect-$mode.jsonl"
    log "repeat $i: C=100 S=10, channel $mode"
    run "$mode" -c 100 -s 10 -m "$MESSAGES" -b 256 --window 64 --label "c100-$mode" >>"$WORK/c100-$mode.jsonl"
  done
done

field() { jq -r "select(.ok == true) | .$2 // empty" "$WORK/$1.jsonl" | median; }
printf '%-44s %14s %14s\n' "workload (median of $REPEATS)" "channel on" "plaintext"
printf '%-44s %14s %14s\n' "connects/s (connect + handshake, par. 32)" "$(field connect-on connects_per_s)" "$(field connect-off connects_per_s)"
printf '%-44s %14s %14s\n' "C=100 S=10 B=256 deliveries/s" "$(field c100-on deliveries_per_s)" "$(field c100-off deliveries_per_s)"
printf '%-44s %14s %14s\n' "  server CPU % of a core" "$(field c100-on server_cpu_percent)" "$(field c100-off server_cpu_percent)"
printf '%-44s %14s %14s\n' "  server CPU us per delivery" "$(field c100-on server_cpu_us_per_delivery)" "$(field c100-off server_cpu_us_per_delivery)"
printf '%-44s %14s %14s\n' "  wire bytes per delivery (channel)" "$(field c100-on channel_wire_bytes_per_delivery)" "-"
printf '%-44s %14s %14s\n' "  load tool CPU %" "$(field c100-on loadtool_cpu_percent)" "$(field c100-off loadtool_cpu_percent)"
printf '%-44s %14s %14s\n' "  other CPU % (neighbours)" "$(field c100-on other_cpu_percent)" "$(field c100-off other_cpu_percent)"
printf '%-44s %14s %14s\n' "  p50 / p99 latency ms" "$(field c100-on latency_p50_ms) / $(field c100-on latency_p99_ms)" "$(field c100-off latency_p50_ms) / $(field c100-off latency_p99_ms)"
printf '%-44s %14s %14s\n' "  lost" "$(jq -s 'map(.lost // 0) | add' "$WORK/c100-on.jsonl")" "$(jq -s 'map(.lost // 0) | add' "$WORK/c100-off.jsonl")"
failed=$(cat "$WORK"/*.jsonl | jq -s 'map(select(.ok != true)) | length')
[ "$failed" = 0 ] || { log "$failed run(s) not ok:"; cat "$WORK"/*.jsonl | jq -c 'select(.ok != true)' >&2; }
if [ -n "${KEEP_RUNS:-}" ]; then cat "$WORK"/*.jsonl >"$KEEP_RUNS"; fi
d_on=$(field c100-on deliveries_per_s); d_off=$(field c100-off deliveries_per_s)
c_on=$(field connect-on connects_per_s); c_off=$(field connect-off connects_per_s)
u_on=$(field c100-on server_cpu_us_per_delivery); u_off=$(field c100-off server_cpu_us_per_delivery)
echo "server CPU per delivery, channel/plaintext: $(awk -v a="$u_on" -v b="$u_off" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
echo "ratio channel/plaintext deliveries $(awk -v a="$d_on" -v b="$d_off" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') connects $(awk -v a="$c_on" -v b="$c_off" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
