#!/usr/bin/env python3
"""Issue 11's client figures, measured with the built programs on 127.0.0.1 (run from the repo root
after a Release build):

  python3 tests/perf/client_measure.py           (SKIP_LONG=1: the burst only; BURST_LINES=N)

- delivery time of a 100 KB and a 1 MiB message (typed by alice, until bob's client shows it), and
- the order in which three receivers show a burst of 1,500 lines typed at once (default settings:
  the server's rate limit of 500 envelopes/s, burst 2,000; 1,500 lines to three members are 4,500).
"""
import json, os, sys, time

sys.path.insert(0, os.environ.get("ENTICE_HARNESS", "/work/shared/acceptance"))
import entice_harness as h  # noqa: E402

LINES = int(os.environ.get("BURST_LINES", "1500"))


def main():
    server = h.Server()
    clients = {}
    try:
        for name in ("alice", "bob", "carol", "dave"):
            c = h.Client(name, server.port)
            if not c.event("ready", 60):
                raise SystemExit(f"{name} never got ready:\n" + c.text()[-2000:])
            clients[name] = c
        alice = clients["alice"]
        for name in ("bob", "carol", "dave"):
            alice.event("joined", 30, name=name)

        sizes = () if os.environ.get("SKIP_LONG") else (("100 KB", 100_000), ("1 MiB", 1024 * 1024))
        for label, size in sizes:
            text = "".join("x" if i % 61 else " " for i in range(1, size + 1))
            start = time.time()
            alice.send(text)
            got = clients["bob"].event("message", 60, **{"from": "alice"})
            took = time.time() - start
            ok = got is not None and got["text"] == text
            print(f"{label} message: {'delivered whole' if ok else 'NOT delivered whole'} to bob in {took:.2f} s")
            for name in ("carol", "dave"):
                clients[name].event("message", 60, **{"from": "alice"})

        start = time.time()
        alice.p.stdin.write("".join(f"{i}\n" for i in range(1, LINES + 1)))
        alice.p.stdin.flush()
        for name in ("bob", "carol", "dave"):
            seen, gaps = [], 0
            c = clients[name]
            while len(seen) < LINES:
                line = c.wait_line(lambda l: '"event":"message"' in l or '"event":"gap"' in l, 120)
                if line is None:
                    break
                ev = json.loads(line)
                if ev["event"] == "gap":
                    gaps += 1
                else:
                    seen.append(int(ev["text"]))
            in_order = seen == list(range(1, LINES + 1))
            first_bad = next((i for i, v in enumerate(seen) if v != i + 1), None)
            print(f"{name}: {len(seen)}/{LINES} lines after {time.time() - start:.1f} s, "
                  f"{'in sent order' if in_order else f'out of order from position {first_bad}: {seen[first_bad:first_bad + 5]}'}, "
                  f"{gaps} gap event(s)")
        errors = [l for l in alice.lines if '"code":"rate_limited"' in l]
        print(f"alice was refused for the rate limit {len(errors)} time(s)")
    finally:
        for c in clients.values():
            c.close_stdin()
            c.stop()
        server.stop()


if __name__ == "__main__":
    main()
