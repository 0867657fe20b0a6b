#!/usr/bin/env bash
# Entice vs ngIRCd vs a minimal C epoll relay on loopback: same load tool, same workloads, one run.
# See tests/perf/README.md.
# Usage: tests/perf/compare.sh   (env: REPEATS=3 IDLE=10000 ENTICE_LOG_LEVEL=Information
#                                 C_RELAY_SRC=path/to/ircish_relay.c, default ../shared/perf/ircish_relay.c)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPEATS=${REPEATS:-3}
IDLE=${IDLE:-10000}
ENTICE_LOG_LEVEL=${ENTICE_LOG_LEVEL:-Information}
# shellcheck source=lib.sh
source "$ROOT/tests/perf/lib.sh"
perf_begin compare

free_port() {
  local p
  for _ in $(seq 100); do
    p=$(( 20000 + RANDOM % 10000 ))
    if ! ss -Htln "sport = :$p" | grep -q .; then echo "$p"; return; fi
  done
  echo "no free port" >&2; return 1
}

# ---- tools ---------------------------------------------------------------------------------------
if ! command -v ngircd >/dev/null 2>&1 && [ ! -x /usr/sbin/ngircd ]; then
  log "installing ngircd"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ngircd >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ngircd >/dev/null; }
fi
NGIRCD=$(command -v ngircd || echo /usr/sbin/ngircd)
command -v jq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null

log "building (Release)"
dotnet build "$ROOT/Entice.ServerNode" -c Release -nologo -v q >/dev/null
dotnet build "$ROOT/tests/Entice.LoadTest" -c Release -nologo -v q >/dev/null
SERVER_DLL="$ROOT/Entice.ServerNode/bin/Release/net10.0/Entice.ServerNode.dll"
LOADTEST=(dotnet "$ROOT/tests/Entice.LoadTest/bin/Release/net10.0/Entice.LoadTest.dll")

# The C relay (the practical ceiling: single-threaded epoll, forwards lines, no parsing beyond the handshake;
# the load tool's IRC mode speaks to it). Its source lives next to the shared design notes.
C_RELAY_SRC=${C_RELAY_SRC:-}
if [ -z "$C_RELAY_SRC" ]; then
  for c in "$ROOT/../shared/perf/ircish_relay.c" "$ROOT/../../shared/perf/ircish_relay.c" /work/shared/perf/ircish_relay.c; do
    [ -f "$c" ] && { C_RELAY_SRC=$c; break; }
  done
fi
[ -f "$C_RELAY_SRC" ] || { log "C relay source not found (set C_RELAY_SRC=path/to/ircish_relay.c)"; exit 2; }
CC_BIN=$(command -v cc || command -v gcc || true)
[ -n "$CC_BIN" ] || { log "no C compiler (cc/gcc) for the C relay"; exit 2; }
"$CC_BIN" -O2 -o "$WORK/ircish_relay" "$C_RELAY_SRC"

# Optional: ngIRCd does not set TCP_NODELAY; a tiny LD_PRELOAD shim turns it on for a second,
# no-delay ngIRCd instance used in the latency workload (the fair comparison per PERF-NOTES).
NODELAY_SO=""
if command -v gcc >/dev/null 2>&1; then
  cat > "$WORK/nodelay.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
static void on(int fd) { int one = 1; if (fd >= 0) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); }
int accept(int s, struct sockaddr *a, socklen_t *l) {
  static int (*real)(int, struct sockaddr *, socklen_t *); if (!real) real = dlsym(RTLD_NEXT, "accept");
  int fd = real(s, a, l); on(fd); return fd; }
int accept4(int s, struct sockaddr *a, socklen_t *l, int f) {
  static int (*real)(int, struct sockaddr *, socklen_t *, int); if (!real) real = dlsym(RTLD_NEXT, "accept4");
  int fd = real(s, a, l, f); on(fd); return fd; }
C
  gcc -shared -fPIC -O2 -o "$WORK/nodelay.so" "$WORK/nodelay.c" -ldl && chmod 755 "$WORK" "$WORK/nodelay.so" && NODELAY_SO="$WORK/nodelay.so"
fi

# ---- servers -------------------------------------------------------------------------------------
start_ngircd() { # $1 = name, $2 = preload (optional); sets LAST_PID LAST_PORT
  local dir="$WORK/$1" port; port=$(free_port); mkdir -p "$dir"; chmod 755 "$dir"
  cat > "$dir/ngircd.conf" <<CONF
[Global]
	Name = bench.localhost
	Info = Entice comparison bench
	Listen = 127.0.0.1
	Ports = $port
	MotdPhrase = "bench"
	PidFile = $dir/ngircd.pid
[Limits]
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxPenaltyTime = 0
	PingTimeout = 600
	PongTimeout = 120
[Options]
	DNS = no
	Ident = no
	PAM = no
CONF
  if [ -n "${2:-}" ]; then LD_PRELOAD="$2" "$NGIRCD" -n -f "$dir/ngircd.conf" >"$dir/out.log" 2>&1 &
  else "$NGIRCD" -n -f "$dir/ngircd.conf" >"$dir/out.log" 2>&1 & fi
  local pid=$!; STARTED+=("$pid")
  for _ in $(seq 100); do ss -Htln "sport = :$port" | grep -q . && break; sleep 0.1; done
  ss -Htln "sport = :$port" | grep -q . || { log "ngircd did not start:"; cat "$dir/out.log" >&2; exit 1; }
  LAST_PID=$pid; LAST_PORT=$port
}

start_entice() { # $1 channel on (default) | off; sets LAST_PID LAST_PORT
  local channel=${1:-on} out="$WORK/entice.$RANDOM.log"
  # Flood protection off, as for ngIRCd (MaxPenaltyTime = 0): the benchmark is the flood.
  cat >"$WORK/entice-bench-$channel.conf" <<CONF
entice.server {
  rate-limit.envelopes-per-second = 0
  max-connections = 20000
  handshake-timeout = 60s
  # The load tool's idle connections do not answer pings: without this, those connected first are
  # closed after 45 s while the rest still connect (10,000 take over a minute), and the idle RSS
  # per connection is measured over fewer connections than it divides by.
  idle-timeout = 600s
  channel.enabled = $channel
}
CONF
  dotnet "$SERVER_DLL" --host 127.0.0.1 --port 0 --no-discovery --data-dir "$WORK/entice-data-$channel.$RANDOM" --log-level "$ENTICE_LOG_LEVEL" \
    --config "$WORK/entice-bench-$channel.conf" >"$out" 2>&1 &
  local pid=$!; STARTED+=("$pid")
  for _ in $(seq 300); do grep -q '^Listening on 127.0.0.1:' "$out" && break; sleep 0.1; done
  local port; port=$(grep -o '^Listening on 127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)
  [ -n "$port" ] || { log "entice server did not start:"; cat "$out" >&2; exit 1; }
  LAST_PID=$pid; LAST_PORT=$port
}

start_crelay() { # sets LAST_PID LAST_PORT; the relay exits by itself after 3600 s at the latest
  local port; port=$(free_port)
  "$WORK/ircish_relay" "$port" 3600 >"$WORK/crelay.$port.log" 2>&1 &
  local pid=$!; STARTED+=("$pid")
  for _ in $(seq 100); do ss -Htln "sport = :$port" | grep -q . && break; sleep 0.1; done
  ss -Htln "sport = :$port" | grep -q . || { log "C relay did not start:"; cat "$WORK/crelay.$port.log" >&2; exit 1; }
  LAST_PID=$pid; LAST_PORT=$port
}

start_ngircd ngircd; NG_PID=$LAST_PID; NG_PORT=$LAST_PORT
start_crelay; CR_PID=$LAST_PID; CR_PORT=$LAST_PORT
start_entice; EN_PID=$LAST_PID; EN_PORT=$LAST_PORT
# The same Entice with the channel off (issue 13's layer): ngIRCd and the C relay speak plaintext, so this
# column is the like-for-like one; the first Entice column pays the channel (AES-GCM or ChaCha20-Poly1305).
start_entice off; EP_PID=$LAST_PID; EP_PORT=$LAST_PORT
NGND_PID=""; NGND_PORT=""
if [ -n "$NODELAY_SO" ]; then start_ngircd ngircd-nodelay "$NODELAY_SO"; NGND_PID=$LAST_PID; NGND_PORT=$LAST_PORT; fi
log "ngircd pid $NG_PID port $NG_PORT; c-relay pid $CR_PID port $CR_PORT; entice pid $EN_PID port $EN_PORT, plaintext pid $EP_PID port $EP_PORT (log level $ENTICE_LOG_LEVEL)${NGND_PID:+; ngircd+nodelay pid $NGND_PID port $NGND_PORT}"

# ---- workloads -----------------------------------------------------------------------------------
run() { # $1 target, $2 pid, $3 port, rest: load tool options; prints one JSON line
  local target=$1 pid=$2 port=$3 par=64; shift 3
  # ngIRCd listens with a backlog of 10: more connects at once overflow it (SYN retries cost seconds).
  [ "$target" = irc ] && par=8
  timeout 300 "${LOADTEST[@]}" --target "$target" --server "127.0.0.1:$port" --server-pid "$pid" --json \
    --handshake-parallelism "$par" "$@" 2>>"$WORK/loadtest.err" \
    | tail -1 || echo '{"ok":false}'
}

RESULTS="$WORK/results.jsonl"; : >"$RESULTS"
record() { jq -c --arg w "$1" --arg s "$2" '. + {workload:$w, server:$s}' >>"$RESULTS"; }

W1=(-c 10 -s 10 -b 256 -m 10000 --window 64)
W2=(-c 100 -s 10 -b 256 -m 5000 --window 64)
W3=(-c 10 -s 10 -b 256 -m 300 --rate 1000)

# Median of REPEATS runs per side; the two sides alternate run by run, so a noisy neighbour on the
# machine (see "other CPU") hits both rather than one. Key: deliveries/s, or p99 for the paced workload.
pick() { jq -s -c --arg k "$1" 'map(select(.[$k] != null)) | sort_by(.[$k]) | .[(length-1)/2|floor] // {"ok":false}' "$2"; }
alternate() { # $1 workload id, $2 median key, rest: load tool options
  local w=$1 key=$2; shift 2
  local fe="$WORK/$w.entice" fp="$WORK/$w.plain" fn="$WORK/$w.ngircd" fc="$WORK/$w.crelay"; : >"$fe"; : >"$fp"; : >"$fn"; : >"$fc"
  for i in $(seq "$REPEATS"); do
    log "$w run $i/$REPEATS: entice, entice plaintext, ngircd, c-relay"
    run entice "$EN_PID" "$EN_PORT" "$@" >>"$fe"; echo >>"$fe"
    run entice "$EP_PID" "$EP_PORT" --plain "$@" >>"$fp"; echo >>"$fp"
    run irc "$NG_PID" "$NG_PORT" "$@" >>"$fn"; echo >>"$fn"
    run irc "$CR_PID" "$CR_PORT" "$@" >>"$fc"; echo >>"$fc"
  done
  pick "$key" "$fe" | record "$w" entice
  pick "$key" "$fp" | record "$w" entice-plain
  pick "$key" "$fn" | record "$w" ngircd
  pick "$key" "$fc" | record "$w" c-relay
}

log "warm-up runs (JIT, pools; not recorded)"
run entice "$EN_PID" "$EN_PORT" -c 10 -s 10 -m 2000 >/dev/null
run entice "$EP_PID" "$EP_PORT" --plain -c 10 -s 10 -m 2000 >/dev/null
run irc "$NG_PID" "$NG_PORT" -c 10 -s 10 -m 2000 >/dev/null
run irc "$CR_PID" "$CR_PORT" -c 10 -s 10 -m 2000 >/dev/null
# Paced first: before the throughput runs grow the server's heap.
alternate w3 latency_p99_ms "${W3[@]}"
alternate w1 deliveries_per_s "${W1[@]}"
alternate w2 deliveries_per_s "${W2[@]}"
if [ -n "$NGND_PID" ]; then
  f="$WORK/w3.ngnd"; : >"$f"
  for i in $(seq "$REPEATS"); do log "w3 run $i/$REPEATS: ngircd+nodelay"; run irc "$NGND_PID" "$NGND_PORT" "${W3[@]}" >>"$f"; echo >>"$f"; done
  pick latency_p99_ms "$f" | record w3 ngircd-nodelay
fi

# Idle connections: each process needs one descriptor per connection (plus a few).
FD=$(ulimit -n); N=$IDLE
if [ "$N" -gt $(( FD - 200 )) ]; then N=$(( FD - 200 )); log "ulimit -n is $FD: idle count lowered to $N"; fi
# Fresh servers, so RSS growth is not hidden by heap the throughput runs already grew.
# (The C relay holds at most 4096 connections and no state per connection worth measuring: not in this row.)
kill "$EN_PID" "$EP_PID" "$NG_PID" "$CR_PID" ${NGND_PID:+"$NGND_PID"} 2>/dev/null || true
start_ngircd ngircd-idle; NG_PID=$LAST_PID; NG_PORT=$LAST_PORT
start_entice; EN_PID=$LAST_PID; EN_PORT=$LAST_PORT
sleep 2
for side in entice ngircd; do
  if [ $side = entice ]; then t=entice; p=$EN_PID; port=$EN_PORT; else t=irc; p=$NG_PID; port=$NG_PORT; fi
  log "$side: $N idle connections (rooms of 10)"
  run $t $p $port --idle "$N" --idle-settle 3 | record idle $side
done

# ---- table ---------------------------------------------------------------------------------------
get() { jq -r --arg w "$1" --arg s "$2" "select(.workload==\$w and .server==\$s) | $3 // \"-\"" "$RESULTS" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2f", a/b; else print "-" }'; }

echo
echo "Entice (TCP_NODELAY on, log level $ENTICE_LOG_LEVEL) vs ngIRCd $("$NGIRCD" --version 2>/dev/null | head -1 | awk '{print $2}') (no TCP_NODELAY unless marked) vs the C epoll relay (TCP_NODELAY on); load tool sets TCP_NODELAY on its own sockets."
echo "Throughput rows: median of $REPEATS runs. Latency: send to receive, in ms. CPU: % of one core."
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; 'other CPU' = busy CPU of everything except server and load tool during the run."
echo "Entice = channel on (as shipped); Entice plain = the same server with the channel off, as the other two speak; ratios E/.. for the first, P/.. for the second."
printf '%-34s | %14s | %14s | %14s | %14s | %8s | %8s | %8s | %8s\n' "workload / metric" "Entice" "Entice plain" "ngIRCd" "C relay" "E/ngIRCd" "E/C" "P/ngIRCd" "P/C"
printf '%s\n' "-----------------------------------+----------------+----------------+----------------+----------------+----------+----------+----------+---------"
row() { # $1 name, $2 Entice, $3 ngIRCd, $4 C relay (optional), $5 Entice plaintext (optional)
  printf '%-34s | %14s | %14s | %14s | %14s | %8s | %8s | %8s | %8s\n' "$1" "$2" "${5:--}" "$3" "${4:--}" \
    "$(ratio "$2" "$3")" "$(ratio "$2" "${4:--}")" "$(ratio "${5:--}" "$3")" "$(ratio "${5:--}" "${4:--}")"; }
for w in w1 w2; do
  case $w in w1) name="C=10 S=10 B=256 full";; w2) name="C=100 S=10 B=256 full";; esac
  row "$name deliveries/s" "$(get $w entice .deliveries_per_s)" "$(get $w ngircd .deliveries_per_s)" "$(get $w c-relay .deliveries_per_s)" "$(get $w entice-plain .deliveries_per_s)"
  row "$name p50 ms" "$(get $w entice .latency_p50_ms)" "$(get $w ngircd .latency_p50_ms)" "$(get $w c-relay .latency_p50_ms)" "$(get $w entice-plain .latency_p50_ms)"
  row "$name p99 ms" "$(get $w entice .latency_p99_ms)" "$(get $w ngircd .latency_p99_ms)" "$(get $w c-relay .latency_p99_ms)" "$(get $w entice-plain .latency_p99_ms)"
  row "$name server CPU %" "$(get $w entice .server_cpu_percent)" "$(get $w ngircd .server_cpu_percent)" "$(get $w c-relay .server_cpu_percent)" "$(get $w entice-plain .server_cpu_percent)"
  row "$name load tool CPU %" "$(get $w entice .loadtool_cpu_percent)" "$(get $w ngircd .loadtool_cpu_percent)" "$(get $w c-relay .loadtool_cpu_percent)" "$(get $w entice-plain .loadtool_cpu_percent)"
  row "$name lost" "$(get $w entice .lost)" "$(get $w ngircd .lost)" "$(get $w c-relay .lost)" "$(get $w entice-plain .lost)"
  row "$name other CPU % (noise)" "$(get $w entice .other_cpu_percent)" "$(get $w ngircd .other_cpu_percent)" "$(get $w c-relay .other_cpu_percent)" "$(get $w entice-plain .other_cpu_percent)"
done
row "C=10 paced 1000/s p50 ms" "$(get w3 entice .latency_p50_ms)" "$(get w3 ngircd .latency_p50_ms)" "$(get w3 c-relay .latency_p50_ms)" "$(get w3 entice-plain .latency_p50_ms)"
row "C=10 paced 1000/s p99 ms" "$(get w3 entice .latency_p99_ms)" "$(get w3 ngircd .latency_p99_ms)" "$(get w3 c-relay .latency_p99_ms)" "$(get w3 entice-plain .latency_p99_ms)"
row "C=10 paced 1000/s max ms" "$(get w3 entice .latency_max_ms)" "$(get w3 ngircd .latency_max_ms)" "$(get w3 c-relay .latency_max_ms)" "$(get w3 entice-plain .latency_max_ms)"
row "C=10 paced 1000/s server CPU %" "$(get w3 entice .server_cpu_percent)" "$(get w3 ngircd .server_cpu_percent)" "$(get w3 c-relay .server_cpu_percent)" "$(get w3 entice-plain .server_cpu_percent)"
row "C=10 paced other CPU % (noise)" "$(get w3 entice .other_cpu_percent)" "$(get w3 ngircd .other_cpu_percent)" "$(get w3 c-relay .other_cpu_percent)" "$(get w3 entice-plain .other_cpu_percent)"
if [ -n "$NGND_PID" ]; then
  row "paced p50 ms vs ngIRCd+nodelay" "$(get w3 entice .latency_p50_ms)" "$(get w3 ngircd-nodelay .latency_p50_ms)"
  row "paced p99 ms vs ngIRCd+nodelay" "$(get w3 entice .latency_p99_ms)" "$(get w3 ngircd-nodelay .latency_p99_ms)"
fi
row "idle: connections established" "$(get idle entice .established)/$N" "$(get idle ngircd .established)/$N"
row "idle: RSS per connection KiB" "$(get idle entice .server_rss_per_connection_kib)" "$(get idle ngircd .server_rss_per_connection_kib)"
row "idle: server RSS after, KiB" "$(get idle entice .server_rss_after_kib)" "$(get idle ngircd .server_rss_after_kib)"
echo
echo "raw results (JSON lines):"
cat "$RESULTS"
echo
# Last lines, for scripts: C=100 S=10 deliveries/s over each of the other two, Entice plaintext then Entice as shipped (channel on).
echo "ratio entice-plaintext/ngircd $(ratio "$(get w2 entice-plain .deliveries_per_s)" "$(get w2 ngircd .deliveries_per_s)") entice-plaintext/c-relay $(ratio "$(get w2 entice-plain .deliveries_per_s)" "$(get w2 c-relay .deliveries_per_s)") (channel off, like for like)"
echo "ratio entice/ngircd $(ratio "$(get w2 entice .deliveries_per_s)" "$(get w2 ngircd .deliveries_per_s)") entice/c-relay $(ratio "$(get w2 entice .deliveries_per_s)" "$(get w2 c-relay .deliveries_per_s)")"
