#!/usr/bin/env bash
# What an idle connection costs the server (issue 17: at most 16 KiB of RSS each at 10,000): a fresh
# server per build in SERVERS (dir[:label], a Release bin directory each, alternating for REPEATS), the
# load tool's idle mode (N connections that handshake, join rooms of 10 and stay silent), the server's
# RSS per connection after the settle, and with GCDUMP=1 the live managed heap per connection by type
# (dotnet-gcdump, which forces a full GC; run after the RSS is read). See tests/perf/README.md,
# "Channel cost and idle memory".
# Usage: SERVERS="/tmp/base:old Entice.ServerNode/bin/Release/net10.0:new" N=3000 tests/perf/idle_memory.sh
#        (env: N=3000 ROOMS=N/10 SETTLE=3 REPEATS=1 GCDUMP=0 CONF_EXTRA='entice.server.x = y' ENV_EXTRA='DOTNET_X=1')
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-3000}
ROOMS=${ROOMS:-$(( (N + 9) / 10 ))}
SETTLE=${SETTLE:-3}
REPEATS=${REPEATS:-1}
SERVERS=${SERVERS:-$ROOT/Entice.ServerNode/bin/Release/net10.0:this}
LOADTEST=${LOADTEST:-$ROOT/tests/Entice.LoadTest/bin/Release/net10.0}
# shellcheck source=lib.sh
source "$ROOT/tests/perf/lib.sh"
perf_begin idle
log "load average: $(cut -d' ' -f1-3 /proc/loadavg); N=$N rooms=$ROOMS settle=$SETTLE"
for i in $(seq "$REPEATS"); do
  for entry in $SERVERS; do
    dir=${entry%%:*}; label=${entry##*:}; [ "$label" = "$entry" ] && label=$(basename "$dir")
    out="$WORK/$label-$i.log"; conf="$WORK/$label.conf"
    printf 'entice.server {\n  max-connections = 20000\n  handshake-timeout = 60s\n  idle-timeout = 600s\n}\n%s\n' "${CONF_EXTRA:-}" >"$conf"
    env ${ENV_EXTRA:-} dotnet "$dir/Entice.ServerNode.dll" --host 127.0.0.1 --port 0 --no-discovery --data-dir "$WORK/data-$label-$i" --log-level Warning --config "$conf" >"$out" 2>&1 &
    pid=$!; STARTED+=("$pid")
    for _ in $(seq 300); do grep -q '^Listening on 127.0.0.1:' "$out" && break; sleep 0.1; done
    port=$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)
    [ -n "$port" ] || { log "server $label did not start:"; tail -5 "$out" >&2; exit 1; }
    fp=$(grep -o '^Server key fingerprint: .*' "$out" | head -1 | cut -d: -f2 | tr -d ' ' || true)
    settle=$SETTLE; [ -n "${GCDUMP:-}" ] && settle=$((SETTLE + 60))
    timeout 900 dotnet "$LOADTEST/Entice.LoadTest.dll" --server "127.0.0.1:$port${fp:+@$fp}" --server-pid "$pid" --json \
      --idle "$N" --rooms "$ROOMS" --idle-settle "$settle" --handshake-parallelism 32 >"$WORK/lt.json" 2>>"$WORK/loadtest.err" &
    lt=$!
    if [ -n "${GCDUMP:-}" ]; then
      for _ in $(seq 1800); do
        [ "$(ss -Htn state established "( sport = :$port )" | wc -l)" -ge "$N" ] && break; sleep 0.5
      done
      sleep "$SETTLE"
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
      ~/.dotnet/tools/dotnet-gcdump collect -p "$pid" -o "$WORK/$label.gcdump" >/dev/null 2>&1 || log "gcdump failed"
      ~/.dotnet/tools/dotnet-gcdump report "$WORK/$label.gcdump" >"$WORK/$label.report" 2>&1 || true
      total=$(grep -m1 -o '^ *[0-9,]* *GC Heap bytes' "$WORK/$label.report" | tr -dc 0-9 || true)
      rss2=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
      echo "$label: RSS before the dump $rss KiB, after its full GC $rss2 KiB; live heap $(awk -v t="$total" -v n="$N" 'BEGIN {printf "%.2f", t / n / 1024}') KiB per connection"
      # The report's first column is bytes per object: order by bytes per connection (size x count / N).
      awk -v n="$N" 'NR > 4 && $1 ~ /^[0-9,]+$/ && $2 ~ /^[0-9,]+$/ { s = $1; c = $2; gsub(",", "", s); gsub(",", "", c);
          t = $0; sub(/^ *[0-9,]+ +[0-9,]+ +/, "", t); printf "%8.0f B/conn %8.2f per conn  %s\n", s * c / n, c / n, t }' \
        "$WORK/$label.report" | sort -rn | head -"${TOP:-45}" | sed "s/^/  $label | /" || true
      if [ -n "${KEEP:-}" ]; then cp "$WORK/$label.report" "$KEEP-$label.report"; fi
      kill "$lt" 2>/dev/null || true
    fi
    wait "$lt" || true
    echo "$label run $i: $(jq -c '{established, server_rss_per_connection_kib, server_rss_after_kib, handshakes_per_s}' "$WORK/lt.json")"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
