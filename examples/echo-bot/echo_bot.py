#!/usr/bin/env python3
"""A small Entice bot over JSON-RPC (docs/JSON-RPC.md), standard library only.

It starts `entice --json-rpc` as a child process, reads its notifications line by line and answers
every room message that mentions it (its name, with or without '@') with "echo: TEXT" in the same
room. Stop it with Ctrl+C or SIGTERM: it closes the client's input, so the client delivers what is
pending and exits.

    python3 echo_bot.py --entice /path/to/entice --name echo --server 127.0.0.1:42000 --room lobby
"""
import argparse
import itertools
import json
import re
import signal
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description="Answers 'echo: ...' to room messages that mention it.")
    ap.add_argument("--entice", default="entice", help="the client program (default: entice on PATH)")
    ap.add_argument("--name", default="echo")
    ap.add_argument("--server", default="127.0.0.1:42000")
    ap.add_argument("--room", default="lobby")
    ap.add_argument("--key-dir", help="the bot's key directory (default: the client's)")
    args = ap.parse_args()

    cmd = [args.entice, "--json-rpc", "--name", args.name, "--server", args.server, "--room", args.room]
    if args.key_dir:
        cmd += ["--key-dir", args.key_dir]
    client = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)

    def stop(*_):
        try:
            client.stdin.close()  # end of input: the client delivers what is pending, then stops
        except OSError:
            pass
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    ids = itertools.count(1)
    me = args.name.lower()
    mention = re.compile(r"(?<![\w])@?" + re.escape(me) + r"(?![\w])", re.IGNORECASE)

    def call(method, **params):
        request = {"jsonrpc": "2.0", "id": next(ids), "method": method, "params": params}
        try:
            client.stdin.write(json.dumps(request) + "\n")
            client.stdin.flush()
        except (OSError, ValueError):
            pass  # the client is stopping

    for line in client.stdout:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        method, params = msg.get("method"), msg.get("params") or {}
        if method == "ready":
            print(f"echo-bot: ready as {params.get('name')} in {params.get('room')}", file=sys.stderr, flush=True)
        elif method == "message" and not params.get("direct") and params.get("from") != me \
                and mention.search(params.get("text", "")):
            call("send", room=params["room"], text="echo: " + params["text"])
        elif "error" in msg:
            print(f"echo-bot: request {msg.get('id')} failed: {msg['error'].get('message')}", file=sys.stderr, flush=True)
        elif method == "stopped":
            break
    return client.wait()


if __name__ == "__main__":
    sys.exit(main())
