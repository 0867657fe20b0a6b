# Shared by the perf scripts (sourced after setting ROOT): perf_begin TAG makes a work directory ($WORK),
# an array of the processes the script starts ($STARTED, each stopped on exit, SIGKILL after 5 s), and
# log(), whose lines on stderr start with [TAG]. On exit the load tool's stderr tail is shown if any.
perf_begin() {
  PERF_TAG=$1
  WORK=$(mktemp -d "/tmp/entice-$1-perf.XXXXXX")
  STARTED=()
  trap perf_cleanup EXIT
  trap 'exit 130' INT TERM
}

perf_cleanup() {
  local p
  for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${STARTED[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [ -s "$WORK/loadtest.err" ]; then echo "[$PERF_TAG] load tool stderr (tail):" >&2; tail -20 "$WORK/loadtest.err" >&2; fi
  rm -rf "$WORK"
}

log() { echo "[$PERF_TAG] $*" >&2; }
