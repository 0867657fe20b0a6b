#!/usr/bin/env python3
"""Issue 11's client figures, measured with the built programs on 127.0.0.1 (run from the repo root
after a Release build):

  python3 tests/perf/client_measure.py           (SKIP_LONG=1: the burst only; BURST_LINES=N)
  python3 tests/perf/client_measure.py chat [N] [direct]  (issue 17: two people, keyboard-to-screen p50/p99;
                                                  'direct': /msg, pairwise Double Ratchet; else the room, sender keys;
                                                  SLOWEST=N also lists the N slowest lines and who received them)

- delivery time of a 100 KB and a 1 MiB message (typed by alice, until bob's client shows it), and
- the order in which three receivers show a burst of 1,500 lines typed at once (default settings:
  the server's rate limit of 500 envelopes/s, burst 2,000; 1,500 lines to three members are 4,500).
"""
import json, os, sys, time

sys.path.insert(0, os.environ.get("ENTICE_HARNESS", "/work/shared/acceptance"))
import entice_harness as h  # noqa: E402

LINES = int(os.environ.get("BURST_LINES", "1500"))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def clients_cpu_ticks(*clients):
    """utime + stime of each client's program (the deepest process under its launcher), in clock ticks."""
    total = 0
    for c in clients:
        pid = ([c.p.pid] + h.descendants(c.p.pid))[-1]
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total


def chat(count, direct=False):
    """Two --json clients in one room; alice and bob take turns typing one line, each waits until the other's
    client shows it (from the write to the client's stdin to the 'message' event read from the other's stdout),
    then pauses 0.1 s (about 10 lines a second between them). Warm-up: 5 lines each way, not counted."""
    server = h.Server()
    alice = bob = None
    try:
        alice = h.Client("alice", server.port)
        bob = h.Client("bob", server.port)
        for c in (alice, bob):
            if not c.event("ready", 60):
                raise SystemExit(f"{c.name} never got ready:\n" + c.text()[-2000:])
        alice.event("joined", 30, name="bob")
        times = []
        cpu_start = None
        for i in range(count + 10):
            if i == 10:
                cpu_start = clients_cpu_ticks(alice, bob)
            sender, receiver = (alice, bob) if i % 2 == 0 else (bob, alice)
            text = f"line {i} from {sender.name[7:]}"
            start = time.perf_counter()
            sender.send(f"/msg {receiver.name[7:]} {text}" if direct else text)
            got = receiver.event("message", 30, text=text)
            took = time.perf_counter() - start
            if got is None:
                raise SystemExit(f"line {i} never shown:\n" + receiver.text()[-2000:])
            if i >= 10:
                times.append(took * 1000)
            time.sleep(0.1)
        cpu_ms = (clients_cpu_ticks(alice, bob) - cpu_start) * 1000 / os.sysconf("SC_CLK_TCK") / count
        load = os.getloadavg()[0]
        print(f"two people, {'direct (/msg)' if direct else 'room'}, {count} lines one at a time: keyboard-to-screen p50 {percentile(times, 50):.2f} ms, "
              f"p99 {percentile(times, 99):.2f} ms, max {max(times):.2f} ms; both clients' CPU {cpu_ms:.2f} ms per line (load average {load:.1f})")
        if os.environ.get("SLOWEST"):
            slow = sorted(range(len(times)), key=lambda k: -times[k])[:int(os.environ["SLOWEST"])]
            print("slowest (line: ms, receiver): " + ", ".join(f"{k + 10}: {times[k]:.2f} {'bob' if k % 2 == 0 else 'alice'}" for k in slow))
    finally:
        for c in (alice, bob):
            if c is not None:
                c.close_stdin()
                c.stop()
        server.stop()


def main():
    if sys.argv[1:2] == ["chat"]:
        chat(int(sys.argv[2]) if len(sys.argv) > 2 else 300, direct=sys.argv[3:4] == ["direct"])
        return
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
