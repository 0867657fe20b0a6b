#!/usr/bin/env bash
# End-to-end test of --json-rpc (docs/JSON-RPC.md): a relay on 127.0.0.1 (port 0), the example echo bot
# (examples/echo-bot/echo_bot.py, its own `entice --json-rpc`) and a second `--json-rpc` client "alice"
# driven from Python. Alice sends a multi-line text that starts with '/', gets a message id back, sees
# the bot's echo (with id, sender, room, time) and the delivery of her message by that id, and gets the
# documented errors for a bad method, bad params and a line that is no JSON; history returns the kept messages. Ends with
# "N passed, M failed"; exit 0 only if all passed. Loopback only; at most 90 s.
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/entice-jsonrpc-e2e.XXXXXX)"
SERVER_PID=""
BOT_PID=""
cleanup() {
    [ -n "$BOT_PID" ] && kill "$BOT_PID" 2>/dev/null
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

SERVER="$ROOT/Entice.ServerNode/bin/Release/net10.0/Entice.ServerNode"
CLIENT="$ROOT/Entice.ClientNode/bin/Release/net10.0/Entice.ClientNode"
if [ ! -x "$SERVER" ] || [ ! -x "$CLIENT" ]; then
    echo "building (Release)..."
    dotnet build "$ROOT/Entice.sln" -c Release -v q -nologo >"$WORK/build.log" 2>&1 \
        || { tail -20 "$WORK/build.log"; echo "0 passed, 1 failed"; exit 1; }
fi

"$SERVER" --host 127.0.0.1 --port 0 >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
    PORT="$(grep -o 'Listening on 127.0.0.1:[0-9]*' "$WORK/server.out" 2>/dev/null | head -1 | cut -d: -f2)"
    [ -n "$PORT" ] && break
    sleep 0.2
done
if [ -z "$PORT" ]; then
    cat "$WORK/server.out"; echo "FAIL server did not start"; echo "0 passed, 1 failed"; exit 1
fi
echo "PASS server listens on 127.0.0.1:$PORT"

python3 "$ROOT/examples/echo-bot/echo_bot.py" --entice "$CLIENT" --name echo --server "127.0.0.1:$PORT" \
    --room lobby --key-dir "$WORK/echo" 2>"$WORK/bot.err" &
BOT_PID=$!

timeout 90 python3 - "$CLIENT" "$PORT" "$WORK" <<'PY'
import json, queue, re, subprocess, sys, threading, time

client, port, work = sys.argv[1], sys.argv[2], sys.argv[3]
passed = 1  # the server (above)
failed = 0

def check(ok, what):
    global passed, failed
    if ok:
        passed += 1; print("PASS", what)
    else:
        failed += 1; print("FAIL", what)

alice = subprocess.Popen([client, "--json-rpc", "--name", "alice", "--server", f"127.0.0.1:{port}", "--room", "lobby",
                          "--key-dir", f"{work}/alice"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=open(f"{work}/alice.err", "w"), text=True, encoding="utf-8", bufsize=1)
lines = queue.Queue()
raw = []
def read():
    for line in alice.stdout:
        raw.append(line)
        lines.put(line)
    lines.put(None)
threading.Thread(target=read, daemon=True).start()

seen = []          # every parsed object, in order
def next_matching(pred, seconds=20):
    """The first object (already seen or still to come) matching pred."""
    for m in seen:
        if pred(m):
            return m
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            line = lines.get(timeout=max(0.05, deadline - time.time()))
        except queue.Empty:
            break
        if line is None:
            break
        try:
            m = json.loads(line)
        except ValueError:
            m = {"unparseable": line}
        seen.append(m)
        if pred(m):
            return m
    return None

def send_raw(text):
    alice.stdin.write(text + "\n"); alice.stdin.flush()

def call(id_, method, params=None):
    req = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        req["params"] = params
    send_raw(json.dumps(req))
    return next_matching(lambda m: m.get("id") == id_ and ("result" in m or "error" in m))

check(next_matching(lambda m: m.get("method") == "ready") is not None, "alice is ready (a 'ready' notification)")

# Wait until the bot is in the lobby with her.
bot_there = False
for i in range(40):
    r = call(f"who-{i}", "members", {"room": "lobby"})
    if r and "echo" in r.get("result", {}).get("members", []):
        bot_there = True; break
    time.sleep(0.5)
check(bot_there, "members: the echo bot is in the lobby")

text = "/quit is just text here\nsecond line, for @echo"
r = call("s1", "send", {"room": "lobby", "text": text})
msg_id = (r or {}).get("result", {}).get("id", "")
check(re.fullmatch(r"m[0-9]+", msg_id or "") is not None, f"send returns a message id ({msg_id!r}) for a multi-line text starting with '/'")

echo = next_matching(lambda m: m.get("method") == "message" and m["params"].get("from") == "echo", 25)
p = (echo or {}).get("params", {})
check(p.get("text") == "echo: " + text, "the bot's echo arrives with the text intact (newline, leading '/')")
check(all(k in p for k in ("id", "room", "from", "time")) and p.get("room") == "lobby",
      "a message notification has id, sender, room and time")
check(next_matching(lambda m: m.get("method") == "delivered" and m["params"].get("id") == msg_id, 20) is not None,
      "a 'delivered' notification carries the returned message id")

r = call(7, "no_such_method", {})
check(r is not None and r.get("error", {}).get("code") == -32601, "an unknown method is -32601 with the request id")
r = call("p", "send", {"room": "lobby"})
check(r is not None and r.get("error", {}).get("code") == -32602, "send without text is -32602 with the request id")
r = call("j", "join", {"room": "not a room!"})
check(r is not None and r.get("error", {}).get("code") == -32602, "join with an invalid room is -32602")
send_raw("{this is not json")
r = next_matching(lambda m: "error" in m and m.get("id") is None)
check(r is not None and r["error"]["code"] == -32700, "a line that is no JSON is -32700 with id null")
r = call("h", "history", {"room": "lobby", "limit": 10})
kept = (r or {}).get("result", {}).get("messages", [])
check(any(m.get("id") == msg_id and m.get("text") == text and m.get("own") for m in kept)
      and any(m.get("from") == "echo" and m.get("text") == "echo: " + text for m in kept),
      "history returns the message sent earlier (by its id) and the echo, from the kept history")
r = call("v", "verify", {"name": "echo"})
digits = re.sub(r"\D", "", (r or {}).get("result", {}).get("safety_number", ""))
check(len(digits) == 60, "verify returns a 60-digit safety number")

alice.stdin.close()
try:
    code = alice.wait(timeout=20)
except subprocess.TimeoutExpired:
    alice.kill(); code = None
check(code == 0, f"alice exits 0 at the end of her input (exit {code})")
next_matching(lambda m: False, 2)
check(bool(seen) and seen[-1].get("method") == "stopped", "'stopped' is the last line")
check(all("unparseable" not in m for m in seen), "every line alice wrote is one JSON object")
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
PY
rc=$?
[ $rc -ne 0 ] && { echo "--- bot:"; tail -5 "$WORK/bot.err"; echo "--- alice:"; tail -5 "$WORK/alice.err" 2>/dev/null; }
[ $rc -eq 124 ] && echo "0 passed, 1 failed (timed out)"
exit $rc
