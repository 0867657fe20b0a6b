#!/usr/bin/env bash
# Light load, A/B in one run: several Entice servers (variants: environment variables, an extra HOCON
# file, server options) and the C epoll relay, all started at once and driven alternately, round by round,
# with the paced workload (C=10, rooms of 10, RATE envelopes/s). Per server and run: process CPU time
# (utime+stime, /proc/PID/stat) per envelope sent, voluntary context switches (a thread going to sleep:
# wake-ups) per envelope over all threads (/proc/PID/task/*/status), p50/p99 latency. Medians over the rounds. See tests/perf/README.md.
#
# Usage: tests/perf/paced_cpu.sh [VARIANT...]      (no build: build Release first)
#   VARIANT = label[:ITEM,ITEM...], ITEM = VAR=value (environment) | conf=FILE (layered HOCON) | arg=--opt=value
#             | dll=PATH (another build of Entice.ServerNode.dll, e.g. a copy of the bin before a change)
#             | plain (the channel off: entice.server.channel.enabled = off, and the load tool with --plain)
#   default: the shipped server alone. Example:
#   tests/perf/paced_cpu.sh shipped spin0:DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 warn:arg=--log-level=Warning
# env: ROUNDS=5 MESSAGES=1000 (per sender) RATE=1000 C=10 CRELAY=1 (0: no C relay) NGIRCD=0 (1: add ngIRCd)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-5}; MESSAGES=${MESSAGES:-1000}; RATE=${RATE:-1000}; C=${C:-10}
CRELAY=${CRELAY:-1}; NGIRCD=${NGIRCD:-0}
# shellcheck source=lib.sh
source "$ROOT/tests/perf/lib.sh"
perf_begin paced
[ $# -gt 0 ] || set -- shipped
SERVER_DLL="$ROOT/Entice.ServerNode/bin/Release/net10.0/Entice.ServerNode.dll"
LOADTEST=(dotnet "$ROOT/tests/Entice.LoadTest/bin/Release/net10.0/Entice.LoadTest.dll")
[ -f "$SERVER_DLL" ] && [ -f "${LOADTEST[1]}" ] || { log "build Release first (Entice.ServerNode, tests/Entice.LoadTest)"; exit 2; }

cat >"$WORK/bench.conf" <<'CONF'
entice.server { rate-limit.envelopes-per-second = 0, max-connections = 20000, handshake-timeout = 60s }
CONF

NAMES=(); PIDS=(); PORTS=(); TARGETS=(); PLAINS=()
start_variant() { # $1 = label[:items]
  local label=${1%%:*} items="" envs=() args=() conf="$WORK/bench.conf" out dll=$SERVER_DLL plain=0
  [[ $1 == *:* ]] && items=${1#*:}
  local IFS=,
  for it in $items; do
    case $it in
      conf=*) conf="$WORK/$label.conf"; cat "$WORK/bench.conf" "${it#conf=}" >"$conf";;
      dll=*) dll=${it#dll=};;
      plain) plain=1;;
      arg=*) local a=${it#arg=}; args+=("${a%%=*}" "${a#*=}");;
      *=*) envs+=("$it");;
      *) log "bad item '$it' in variant $1"; exit 2;;
    esac
  done
  unset IFS
  if [ "$plain" = 1 ]; then
    [ "$conf" = "$WORK/bench.conf" ] && { cp "$WORK/bench.conf" "$WORK/$label.conf"; conf="$WORK/$label.conf"; }
    echo 'entice.server.channel.enabled = off' >>"$conf"
  fi
  out="$WORK/$label.log"
  env ${envs[@]+"${envs[@]}"} dotnet "$dll" --host 127.0.0.1 --port 0 --no-discovery --data-dir "$WORK/$label.data" \
    --config "$conf" ${args[@]+"${args[@]}"} >"$out" 2>&1 &
  local pid=$!; STARTED+=("$pid")
  for _ in $(seq 300); do grep -q "^Listening on 127.0.0.1:" "$out" 2>/dev/null && break; sleep 0.1; done
  local port; port=$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)
  [ -n "$port" ] || { log "server $label did not start:"; cat "$out" >&2; exit 1; }
  NAMES+=("$label"); PIDS+=("$pid"); PORTS+=("$port"); TARGETS+=(entice); PLAINS+=("$plain")
  log "$label: pid $pid port $port ${envs[*]+env ${envs[*]}} ${args[*]+args ${args[*]}} conf $(basename "$conf")${dll/#$SERVER_DLL/} "
}
for v in "$@"; do start_variant "$v"; done

free_port() { local p; for _ in $(seq 100); do p=$(( 20000 + RANDOM % 10000 )); ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }; done; return 1; }
if [ "$CRELAY" = 1 ]; then
  src=${C_RELAY_SRC:-}
  for c in "$ROOT/../shared/perf/ircish_relay.c" "$ROOT/../../shared/perf/ircish_relay.c" /work/shared/perf/ircish_relay.c; do
    [ -z "$src" ] && [ -f "$c" ] && src=$c
  done
  if [ -n "$src" ] && cc -O2 -o "$WORK/ircish_relay" "$src"; then
    port=$(free_port); "$WORK/ircish_relay" "$port" 3600 >"$WORK/crelay.log" 2>&1 & pid=$!; STARTED+=("$pid")
    for _ in $(seq 100); do ss -Htln "sport = :$port" | grep -q . && break; sleep 0.1; done
    NAMES+=(c-relay); PIDS+=("$pid"); PORTS+=("$port"); TARGETS+=(irc); PLAINS+=(0)
  else log "no C relay (source or cc missing)"; fi
fi
if [ "$NGIRCD" = 1 ]; then
  NG=$(command -v ngircd || echo /usr/sbin/ngircd); port=$(free_port); mkdir -p "$WORK/ng"; chmod 755 "$WORK" "$WORK/ng"
  printf '[Global]\n Name = bench.localhost\n Listen = 127.0.0.1\n Ports = %s\n PidFile = %s/ng/pid\n[Limits]\n MaxConnections = 0\n MaxConnectionsIP = 0\n MaxJoins = 0\n MaxNickLength = 30\n MaxPenaltyTime = 0\n PingTimeout = 600\n[Options]\n DNS = no\n Ident = no\n PAM = no\n' "$port" "$WORK" >"$WORK/ng/ngircd.conf"
  "$NG" -n -f "$WORK/ng/ngircd.conf" >"$WORK/ng/out.log" 2>&1 & pid=$!; STARTED+=("$pid")
  for _ in $(seq 100); do ss -Htln "sport = :$port" | grep -q . && break; sleep 0.1; done
  NAMES+=(ngircd); PIDS+=("$pid"); PORTS+=("$port"); TARGETS+=(irc); PLAINS+=(0)
fi

ctxt() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }'; }  # voluntary: wake-ups, not preemption by neighbours
run() { # $1 index, rest: load tool options; prints one JSON line with ctx switches added
  local i=$1 par=64 c0 c1 line plain=(); shift
  [ "${TARGETS[$i]}" = irc ] && par=8
  [ "${PLAINS[$i]}" = 1 ] && plain=(--plain)
  c0=$(ctxt "${PIDS[$i]}")
  line=$(timeout 300 "${LOADTEST[@]}" --target "${TARGETS[$i]}" --server "127.0.0.1:${PORTS[$i]}" --server-pid "${PIDS[$i]}" --json \
    --handshake-parallelism "$par" ${plain[@]+"${plain[@]}"} "$@" 2>>"$WORK/loadtest.err" | tail -1) || line='{"ok":false}'
  c1=$(ctxt "${PIDS[$i]}")
  echo "$line" | jq -c --arg n "${NAMES[$i]}" --argjson cs $((c1 - c0)) --arg la "$(cut -d' ' -f1 /proc/loadavg)" '. + {server:$n, ctxt_switches:$cs, loadavg:$la}'
}

log "load average $(cut -d' ' -f1-3 /proc/loadavg); warm-up (not recorded)"
for i in "${!NAMES[@]}"; do run "$i" -c "$C" -s "$C" -b 256 -m 2000 --window 64 >/dev/null; done
RES="$WORK/results.jsonl"; : >"$RES"
for r in $(seq "$ROUNDS"); do
  for i in "${!NAMES[@]}"; do
    log "round $r/$ROUNDS: ${NAMES[$i]}"
    run "$i" -c "$C" -s "$C" -b 256 -m "$MESSAGES" --rate "$RATE" >>"$RES"
  done
done

echo "Paced: C=$C (one room), $RATE envelopes/s, $MESSAGES per sender; median of $ROUNDS rounds, servers alternating."
echo "CPU: server process CPU time (utime+stime) over the run; per envelope = per envelope sent (each reaches $((C - 1)) members)."
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
printf '%-12s | %8s | %10s | %10s | %8s | %8s | %8s | %s\n' server "CPU %" "µs/env" "wakes/env" "p50 ms" "p99 ms" "other %" "lost"
jq -s -r --argjson c "$C" '
  group_by(.server)[] as $g
  | def med(f): ($g | map(f) | map(select(. != null)) | sort | if length == 0 then null else .[(length-1)/2|floor] end);
  [ $g[0].server,
    med(.server_cpu_percent),
    med(if .server_cpu_us_per_delivery then .server_cpu_us_per_delivery * ($c - 1) else null end),
    med(if .sent and .sent > 0 then .ctxt_switches / .sent else null end),
    med(.latency_p50_ms), med(.latency_p99_ms), med(.other_cpu_percent),
    ($g | map(.lost // "fail") | join("/")) ] | @tsv' "$RES" \
  | while IFS=$'\t' read -r n cpu us cs p50 p99 oth lost; do
      printf '%-12s | %8s | %10.1f | %10.2f | %8s | %8s | %8s | %s\n' "$n" "$cpu" "$us" "$cs" "$p50" "$p99" "$oth" "$lost"
    done
echo
echo "raw (JSON lines):"; cat "$RES"
