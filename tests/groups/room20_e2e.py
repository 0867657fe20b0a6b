#!/usr/bin/env python3
"""Acceptance (issue 12): a room of 20 real client processes on sender keys.

Run from the project's root after a Release build:  python3 tests/groups/room20_e2e.py [--no-build]
Uses ../shared/acceptance/entice_harness.py (a real server process, real clients in --json mode, all on
127.0.0.1). Checks, as a user and the relay's operator would see it:
  - each room message is ONE envelope in the server's log (one 'Relayed envelope ... to room' line),
    whatever the room's size;
  - all 19 others show it (the 18 present at once, in order);
  - a member away meanwhile (process stopped, remembered by the room) shows each exactly once when back,
    and the relay logged each message as kept once for those away (one row, not one per away member).
Ends with 'N passed, M failed'; exit status 0 only when nothing failed, 2 on bad usage.
"""
import os, re, sys, time, uuid

HERE = os.path.dirname(os.path.abspath(__file__))
# The shared harness sits next to the project (../shared/acceptance from its root), as for e2e_chat.py.
HARNESS = os.environ.get("ENTICE_HARNESS", os.path.join(HERE, "..", "..", "..", "shared", "acceptance"))
sys.path.insert(0, HARNESS)
from entice_harness import Checks, Client, Server, build  # noqa: E402

ROOM = "g20"
SIZE = 20
MESSAGES = 5


def relayed_to_room(server_text, sender):
    return re.findall(rf"Relayed envelope (\d+) from {sender} to room {ROOM} ", server_text)


def kept_for_away(server_text, sender):
    return re.findall(rf"Kept envelope (\d+) from {sender} for those away from room {ROOM}", server_text)


def main():
    if any(a not in ("--no-build",) for a in sys.argv[1:]):
        print("usage: room20_e2e.py [--no-build]", file=sys.stderr)
        return 2
    if "--no-build" not in sys.argv:
        build()
    c = Checks()
    server = Server(extra=["--log-level", "Debug"])  # Debug: a line per relayed envelope
    names = [f"g{i:02d}" for i in range(SIZE)]
    clients = {}
    try:
        # One at a time: each is ready with everyone before it in its roster.
        for n in names:
            clients[n] = Client(n, server.port, room=ROOM)
            c.check(clients[n].event("ready", 120) is not None, f"{n} is ready")
        sender, away = clients[names[0]], names[-1]
        for n in names[1:]:
            sender.event("joined", 60, name=n)

        # The last one goes away: its process stops; the room remembers it.
        away_dir = clients[away].key_dir
        clients[away].close_stdin()
        clients[away].p.wait(60)
        c.check(sender.event("away", 60, name=away) is not None, f"{away} is away, remembered by the room")

        before = len(relayed_to_room(server.text(), names[0]))
        texts = [f"to all twenty {k} {uuid.uuid4().hex[:10]}" for k in range(MESSAGES)]
        for t in texts:
            sender.send(t)
        present = names[1:-1]
        got_all = True
        for n in present:
            got = [clients[n].event("message", 60, **{"from": names[0]}) for _ in texts]
            if [g and g.get("text") for g in got] != texts:
                got_all = False
                print(f"  {n} showed {[g and g.get('text') for g in got]}", file=sys.stderr)
        c.check(got_all, f"all {len(present)} present members show the {MESSAGES} messages, in order")

        time.sleep(2)  # the server's log lines for the last ones
        relayed = relayed_to_room(server.text(), names[0])[before:]
        c.check(len(relayed) == MESSAGES,
                f"each message is one envelope in the server's log ({len(relayed)} room-wide lines for {MESSAGES} messages)")
        kept = kept_for_away(server.text(), names[0])
        c.check(len(kept) == MESSAGES and sorted(kept) == sorted(relayed),
                f"each was kept once for those away ({len(kept)} kept lines)")

        # Back: every message exactly once.
        back = Client(away, server.port, room=ROOM, key_dir=away_dir)
        clients[away + "-back"] = back
        c.check(back.event("ready", 120) is not None, f"{away} is back")
        shown = []
        end = time.time() + 30
        while time.time() < end and len(shown) < MESSAGES:
            e = back.event("message", max(0.1, end - time.time()), **{"from": names[0]})
            if e is None:
                break
            shown.append(e.get("text"))
        while (e := back.event("message", 3, **{"from": names[0]})) is not None:  # anything more is a copy
            shown.append(e.get("text"))
        c.check(shown == texts, f"{away}, back, shows each of the {MESSAGES} exactly once, in order (showed {len(shown)})")
    finally:
        for cl in clients.values():
            cl.stop()
        server.stop()
    c.finish()


if __name__ == "__main__":
    sys.exit(main())
