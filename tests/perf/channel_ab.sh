#!/usr/bin/env bash
# A/B of the channel's cost in one run: an old build (A, a copied-aside server and load tool) and the new
# one (B), both with the channel on (SUITE, default aesgcm), and B in plaintext, driven alternately at
# C=100 S=10 B=256. Prints per mode the median deliveries/s, server and load tool CPU µs per delivery and
# the ratio of each channel column to plaintext. See tests/perf/README.md ("Channel cost and idle memory").
# Usage: A_SERVER=/tmp/base/server A_LOADTEST=/tmp/base/loadtest tests/perf/channel_ab.sh
#        (env: REPEATS=5 MESSAGES=5000 SUITE=aesgcm; B_SERVER/B_LOADTEST default to this tree's Release bins;
#        KEEP_RUNS=DIR keeps each run's JSON line; A_CONF / B_CONF: HOCON lines added to A's / B's server config, B's also to the plaintext server)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPEATS=${REPEATS:-5}
MESSAGES=${MESSAGES:-5000}
SUITE=${SUITE:-aesgcm}
A_SERVER=${A_SERVER:?copy a server bin dir aside}
A_LOADTEST=${A_LOADTEST:?copy a load tool bin dir aside}
B_SERVER=${B_SERVER:-$ROOT/Entice.ServerNode/bin/Release/net10.0}
B_LOADTEST=${B_LOADTEST:-$ROOT/tests/Entice.LoadTest/bin/Release/net10.0}
# shellcheck source=lib.sh
source "$ROOT/tests/perf/lib.sh"
perf_begin channel-ab

start() { # $1 tag $2 server dir $3 on|off $4 extra HOCON; sets PORT_$1 PID_$1 FP_$1
  local out="$WORK/$1.log" conf="$WORK/$1.conf"
  printf 'entice.server {\n  rate-limit.envelopes-per-second = 0\n  max-connections = 20000\n  channel.enabled = %s\n}\n%s\n' "$3" "$4" >"$conf"
  dotnet "$2/Entice.ServerNode.dll" --host 127.0.0.1 --port 0 --no-discovery --data-dir "$WORK/data-$1" --log-level Warning --config "$conf" >"$out" 2>&1 &
  local pid=$!; STARTED+=("$pid")
  for _ in $(seq 300); do grep -q '^Listening on 127.0.0.1:' "$out" && break; sleep 0.1; done
  printf -v "PORT_$1" '%s' "$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)"
  printf -v "PID_$1" '%s' "$pid"
  printf -v "FP_$1" '%s' "$(grep -o '^Server key fingerprint: .*' "$out" | head -1 | cut -d: -f2 | tr -d ' ' || true)"
}
start a "$A_SERVER" on "${A_CONF:-}"; start b "$B_SERVER" on "${B_CONF:-}"; start p "$B_SERVER" off "${B_CONF:-}"
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # $1 tag
  local tag=$1 port pid fp lt args
  port=$(eval echo "\$PORT_$tag"); pid=$(eval echo "\$PID_$tag"); fp=$(eval echo "\$FP_$tag")
  lt=$B_LOADTEST; [ "$tag" = a ] && lt=$A_LOADTEST
  args=(--server "127.0.0.1:$port${fp:+@$fp}" --server-pid "$pid" --suite "$SUITE")
  [ "$tag" = p ] && args=(--server "127.0.0.1:$port" --server-pid "$pid" --plain)
  timeout 300 dotnet "$lt/Entice.LoadTest.dll" "${args[@]}" --json -c 100 -s 10 -m "$MESSAGES" -b 256 --window 64 2>>"$WORK/loadtest.err" \
    >>"$WORK/$tag.jsonl" || echo '{"ok":false}' >>"$WORK/$tag.jsonl"
}
for i in $(seq "$REPEATS"); do for tag in a b p; do log "repeat $i: $tag"; run "$tag"; done; done
med() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "null"; else print a[int((NR+1)/2)]}'; }
f() { jq -r "select(.ok == true) | $2" "$WORK/$1.jsonl" | med; }
printf '%-40s %12s %12s %12s\n' "median of $REPEATS" "A $SUITE" "B $SUITE" "B plaintext"
for row in "deliveries/s|.deliveries_per_s" "server CPU us/delivery|.server_cpu_us_per_delivery" \
           "load tool CPU us/delivery|(.loadtool_cpu_percent * 10000 / .deliveries_per_s * 1000 | round / 1000)" \
           "other CPU %|.other_cpu_percent" "wire bytes per delivery|.channel_wire_bytes_per_delivery"; do
  printf '%-40s %12s %12s %12s\n' "${row%%|*}" "$(f a "${row#*|}")" "$(f b "${row#*|}")" "$(f p "${row#*|}")"
done
for tag in a b; do
  echo "ratio $tag/plaintext deliveries $(awk -v x="$(f $tag .deliveries_per_s)" -v y="$(f p .deliveries_per_s)" 'BEGIN {printf "%.2f", x / y}')"
done
if [ -n "${KEEP_RUNS:-}" ]; then mkdir -p "$KEEP_RUNS"; cp "$WORK"/*.jsonl "$KEEP_RUNS"/; fi
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
