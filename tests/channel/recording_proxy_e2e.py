#!/usr/bin/env python3
"""Acceptance (issue 13): what a LAN observer records of a whole conversation over the encrypted channel.

Run from the project's root after a Release build:  python3 tests/channel/recording_proxy_e2e.py [--no-build]

A real server on a free loopback port, a TCP proxy in front of it that records every byte each way
(and can flip one), real client processes in --json mode talking through the proxy. Checked:
  - the fingerprint the server prints is the key clients meet: a client given it connects, a client
    that pins on first use pins exactly it, a client given another one is refused and says so;
  - a whole conversation (room messages, a direct message, a join and a leave of a second room) works,
    and the recorded bytes, both directions, hold no user name, room name, identity public key (raw,
    hex or base64), message text, envelope routing header or end-to-end ciphertext header (the
    ciphertext prefixes the relay logs);
  - a byte flipped in transit, server to client and client to server, kills that connection only:
    the altered bytes never show as a message, and the other clients keep talking.
Everything binds and connects to 127.0.0.1 only; every wait is bounded. Ends with "N passed, M failed";
exit status 0 only when nothing failed. Same style as ../shared/acceptance/e2e_chat.py, no dependency on it.
"""
import base64, glob, hashlib, json, os, queue, re, shutil, socket, subprocess, sys, tempfile, threading, time, uuid

ROOT = os.environ.get("ENTICE_ROOT", os.getcwd())
DOTNET = shutil.which("dotnet") or "dotnet"
START = time.time()


def program(project):
    found = sorted(glob.glob(os.path.join(ROOT, project, "bin", "Release", "*", project + ".dll")))
    if not found:
        raise SystemExit(f"{project} is not built (dotnet build -c Release)")
    return [DOTNET, found[-1]]


# --- public keys from a client's key directory (identity.key: Ed25519 seed || X25519 private, 0600) ---
# RFC 7748 / RFC 8032 in a few lines, only to compute the public halves the relay would have seen.
P = 2 ** 255 - 19


def x25519_public(k):
    k = bytearray(k); k[0] &= 248; k[31] &= 127; k[31] |= 64
    n = int.from_bytes(k, "little"); x1 = 9; x2, z2, x3, z3 = 1, 0, x1, 1; swap = 0
    for t in reversed(range(255)):
        b = (n >> t) & 1; swap ^= b
        if swap: x2, x3, z2, z3 = x3, x2, z3, z2
        swap = b
        a, aa = x2 + z2, (x2 + z2) ** 2 % P; bb_ = x2 - z2; bb = bb_ * bb_ % P; e = aa - bb
        c, d = x3 + z3, x3 - z3; da, cb = d * a % P, c * bb_ % P
        x3, z3 = (da + cb) ** 2 % P, x1 * (da - cb) ** 2 % P
        x2, z2 = aa * bb % P, e * (aa + 121665 * e) % P
    if swap: x2, z2 = x3, z3
    return (x2 * pow(z2, P - 2, P) % P).to_bytes(32, "little")


def ed25519_public(seed):
    d = -121665 * pow(121666, P - 2, P) % P
    def add(p, q):
        (x1, y1, z1, t1), (x2, y2, z2, t2) = p, q
        a, b = (y1 - x1) * (y2 - x2) % P, (y1 + x1) * (y2 + x2) % P
        c, dd = 2 * t1 * t2 * d % P, 2 * z1 * z2 % P
        e, f, g, h = b - a, dd - c, dd + c, b + a
        return e * f % P, g * h % P, f * g % P, e * h % P
    gy = 4 * pow(5, P - 2, P) % P
    gx2 = (gy * gy - 1) * pow(d * gy * gy + 1, P - 2, P) % P
    gx = pow(gx2, (P + 3) // 8, P)
    if (gx * gx - gx2) % P: gx = gx * pow(2, (P - 1) // 4, P) % P
    if gx & 1: gx = P - gx
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little") & ((1 << 254) - 8) | (1 << 254)
    q, r = (0, 1, 1, 0), (gx, gy, 1, gx * gy % P)
    while a:
        if a & 1: q = add(q, r)
        r = add(r, r); a >>= 1
    zi = pow(q[2], P - 2, P); x, y = q[0] * zi % P, q[1] * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def identity_publics(key_dir):
    raw = open(os.path.join(key_dir, "identity.key"), "rb").read()
    if len(raw) != 64:
        return []
    return [ed25519_public(raw[:32]), x25519_public(raw[32:])]


def encodings(data):
    """The ways a key may be written on a wire: raw, hex (both cases), base64 (standard and URL-safe, unpadded)."""
    b64 = base64.b64encode(data)
    return {data, data.hex().encode(), data.hex().upper().encode(), b64, b64.rstrip(b"="),
            base64.urlsafe_b64encode(data).rstrip(b"=")}


# --- processes ---
class Proc:
    def __init__(self, argv, name):
        self.name, self.lines, self.q = name, [], queue.Queue()
        self.p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.p.stdout:
            self.lines.append(line.rstrip("\n")); self.q.put(line.rstrip("\n"))
        self.q.put(None)

    def send(self, line):
        try:
            self.p.stdin.write(line + "\n"); self.p.stdin.flush()
        except OSError:
            pass

    def wait_line(self, pred, timeout):
        end = time.time() + timeout
        while time.time() < end:
            try:
                line = self.q.get(timeout=max(0.01, end - time.time()))
            except queue.Empty:
                return None
            if line is None:
                return None
            if pred(line):
                return line
        return None

    def event(self, kind, timeout=20, **match):
        def pred(line):
            try:
                ev = json.loads(line)
            except ValueError:
                return False
            return isinstance(ev, dict) and ev.get("event") == kind and all(ev.get(k) == v for k, v in match.items())
        line = self.wait_line(pred, timeout)
        return json.loads(line) if line else None

    def stop(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill(); self.p.wait(5)

    def text(self):
        return "\n".join(self.lines)


class Proxy:
    """Loopback TCP proxy recording each connection both ways; flip(idx, upward) alters one byte of the next chunk."""

    def __init__(self, target):
        self.target, self.up, self.down, self.closed, self.flips, self.lock = target, [], [], [], {}, threading.Lock()
        self.ls = socket.socket(); self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", 0)); self.ls.listen(64); self.port = self.ls.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            s = socket.create_connection(("127.0.0.1", self.target), timeout=10); s.settimeout(None)
            with self.lock:
                idx = len(self.up); self.up.append(bytearray()); self.down.append(bytearray()); self.closed.append(0)
            for src, dst, upward in ((c, s, True), (s, c, False)):
                threading.Thread(target=self._pipe, args=(src, dst, idx, upward), daemon=True).start()

    def flip(self, idx, upward):
        with self.lock:
            self.flips[(idx, upward)] = True

    def _pipe(self, src, dst, idx, upward):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                (self.up if upward else self.down)[idx].extend(data)
                with self.lock:
                    flip = self.flips.pop((idx, upward), False)
                if flip:
                    data = bytearray(data); data[len(data) // 2] ^= 0x01; data = bytes(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self.lock:
                self.closed[idx] += 1
            for x in (src, dst):
                try:
                    x.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def count(self):
        with self.lock:
            return len(self.up)

    def is_closed(self, idx):
        with self.lock:
            return self.closed[idx] > 0

    def wire(self):
        with self.lock:
            return b"".join(bytes(b) for b in self.up + self.down)

    def stop(self):
        self.ls.close()


class Checks:
    passed = failed = 0

    def check(self, ok, what):
        if ok:
            Checks.passed += 1; print(f"ok   {what}", flush=True)
        else:
            Checks.failed += 1; print(f"FAIL {what}", flush=True)
        return ok


def wait_until(pred, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def main():
    if "--no-build" not in sys.argv:
        r = subprocess.run([DOTNET, "build", "-c", "Release", "-nologo", "-v", "q", os.path.join(ROOT, "Entice.sln")],
                           cwd=ROOT, capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            sys.stderr.write(r.stdout[-3000:]); raise SystemExit("build failed")
    c = Checks()
    tag = uuid.uuid4().hex[:6]
    names = {n: f"{n}{tag}" for n in ("alice", "bob", "carol", "mallory")}
    room, room2 = f"den{tag}", f"attic{tag}"
    data_dir = tempfile.mkdtemp(prefix="entice-chan-srv-")
    dirs = []
    procs = []
    server = Proc(program("Entice.ServerNode") + ["--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir, "--no-discovery", "--log-level", "Debug"], "server")  # Debug: a line per relayed envelope
    procs.append(server)
    proxy = None
    try:
        listening = server.wait_line(lambda l: "Listening on 127.0.0.1:" in l, 60)
        if not listening:
            raise SystemExit("server did not start:\n" + server.text()[-2000:])
        port = int(re.search(r"127\.0\.0\.1:(\d+)", listening).group(1))
        printed = server.wait_line(lambda l: l.startswith("Server key fingerprint:"), 10)
        target = server.wait_line(lambda l: l.startswith("Clients: --server "), 10)
        spaced = printed and printed.split(":", 1)[1].strip()
        compact = spaced and spaced.replace(" ", "")
        c.check(bool(compact) and re.fullmatch(r"[0-9a-f]{40}", compact) is not None and len(spaced.split()) == 10,
                f"the server prints its key fingerprint in ten groups to read aloud ({spaced})")
        c.check(target is not None and target.endswith(f"127.0.0.1:{port}@{compact}"),
                "and the --server HOST:PORT@FINGERPRINT line to paste")
        proxy = Proxy(port)

        def client(who, fp=compact, extra=()):
            d = tempfile.mkdtemp(prefix=f"entice-chan-{who}-"); dirs.append(d)
            server_arg = f"127.0.0.1:{proxy.port}" + (f"@{fp}" if fp else "")
            p = Proc(program("Entice.ClientNode") + ["--name", names[who], "--server", server_arg, "--room", room,
                                                      "--key-dir", d, "--json", *extra], who)
            p.key_dir = d; procs.append(p)
            return p

        # 1. Clients: two given the printed fingerprint, one pinning on first use. One connection each, in order.
        alice = client("alice")
        c.check(alice.event("ready", 60) is not None, "alice, given the printed fingerprint, connects and is ready")
        bob = client("bob")
        c.check(bob.event("ready", 60) is not None, "bob, given the printed fingerprint, connects and is ready")
        carol = client("carol", fp=None)
        c.check(carol.event("ready", 60) is not None, "carol, with no fingerprint, connects (trust on first use)")
        pins_file = os.path.join(carol.key_dir, "servers.pins")
        pins = open(pins_file).read() if os.path.exists(pins_file) else ""
        c.check(f"127.0.0.1:{proxy.port} {compact}" in pins, "carol pinned exactly the fingerprint the server printed")
        alice_conn, bob_conn, carol_conn = 0, 1, 2
        c.check(proxy.count() == 3, "one connection per client so far")

        # 2. A whole conversation.
        alice.event("joined", 20, name=names["carol"])
        texts = [f"the key is under the mat {uuid.uuid4().hex[:10]}" for _ in range(2)]
        for t in texts:
            alice.send(t)
        got = [bob.event("message", 20, **{"from": names["alice"]}) for _ in texts]
        c.check([g and g.get("text") for g in got] == texts, "room messages reach bob")
        c.check(carol.event("message", 20, text=texts[-1]) is not None, "and carol")
        dm = f"only you {uuid.uuid4().hex[:10]}"
        bob.send(f"/msg {names['carol']} {dm}")
        c.check(carol.event("message", 20, **{"from": names["bob"], "text": dm}) is not None, "a direct message reaches carol")
        carol.send(f"/join {room2}")
        c.check(carol.event("room_joined", 20, room=room2) is not None, f"carol joins a second room")
        bob.send(f"/join {room2}")
        c.check(bob.event("room_joined", 20, room=room2) is not None and carol.event("joined", 20, room=room2, name=names["bob"]) is not None,
                "bob joins it; carol sees him come")
        in_room2 = f"upstairs {uuid.uuid4().hex[:10]}"
        carol.send(in_room2)
        c.check(bob.event("message", 20, **{"from": names["carol"], "text": in_room2}) is not None, "a message in the second room")
        carol.send(f"/leave {room2}")
        c.check(bob.event("left", 20, room=room2, name=names["carol"]) is not None, "carol leaves it; bob sees her go")
        time.sleep(0.5)

        # 3. What the wire shows.
        wire = proxy.wire()
        c.check(len(wire) > 4000, f"the proxy recorded the conversation ({len(wire)} bytes)")
        secrets = texts + [dm, in_room2]
        leaked = [s for s in secrets if s.encode() in wire or s.encode("utf-16-le") in wire]
        c.check(not leaked, "no message text on the wire")
        leaked = [n for n in names.values() if n.encode() in wire or n.encode("utf-16-le") in wire]
        c.check(not leaked, f"no user name on the wire {leaked or ''}")
        leaked = [r for r in (room, room2) if r.encode() in wire]
        c.check(not leaked, f"no room name on the wire {leaked or ''}")
        keys = [k for p in (alice, bob, carol) for k in identity_publics(p.key_dir)]
        c.check(len(keys) == 6, "the clients' identity public keys (Ed25519 and X25519) read from their key directories")
        leaked = [k.hex()[:16] for k in keys if any(e in wire for e in encodings(k))]
        c.check(not leaked, f"no identity public key on the wire, raw, hex or base64 {leaked or ''}")
        # The routing header as the frame codec writes it (tag 0x20, room as u16 length + UTF-8), and
        # the first bytes of each end-to-end ciphertext, which the relay logs as hex.
        headers = [b"\x20" + len(r.encode()).to_bytes(2, "big") + r.encode() for r in (room, room2)]
        prefixes = [bytes.fromhex(h) for h in re.findall(r"Relayed envelope .*? B ([0-9a-f]{16,})", server.text())]
        c.check(len(prefixes) >= 5, f"the relay logged the ciphertext prefixes of what it relayed ({len(prefixes)})")
        leaked = [h.hex() for h in headers + [p[:12] for p in prefixes] if h in wire]
        c.check(not leaked, f"no envelope header and no ciphertext header on the wire {leaked[:3] or ''}")
        c.check(wire.count(b"entice-channel/1") == 3, "each connection opens with the channel preamble, and nothing else is readable")

        # 4. A flipped byte, server to client: bob's connection dies, alice and carol keep talking.
        proxy.flip(bob_conn, upward=False)
        poke = f"poke {uuid.uuid4().hex[:10]}"
        alice.send(f"/msg {names['bob']} {poke}")
        c.check(wait_until(lambda: proxy.is_closed(bob_conn), 20), "a byte flipped on its way to bob kills bob's connection")
        c.check(bob.event("disconnected", 10) is not None, "bob's client says it was disconnected")
        c.check(not proxy.is_closed(alice_conn) and not proxy.is_closed(carol_conn), "alice's and carol's connections are untouched")
        still = f"still here {uuid.uuid4().hex[:10]}"
        alice.send(f"/msg {names['carol']} {still}")
        c.check(carol.event("message", 20, **{"from": names["alice"], "text": still}) is not None, "alice and carol keep talking")

        # 5. A flipped byte, client to server: the relay drops carol's connection, alice keeps working.
        proxy.flip(carol_conn, upward=True)
        carol.send(f"/msg {names['alice']} flip {uuid.uuid4().hex[:10]}")
        c.check(wait_until(lambda: proxy.is_closed(carol_conn), 20), "a byte flipped on its way to the relay kills carol's connection")
        c.check(not proxy.is_closed(alice_conn), "alice's connection is untouched")
        c.check(bob.event("reconnected", 30) is not None, "bob's client comes back on a new connection")
        again = f"after the storm {uuid.uuid4().hex[:10]}"
        alice.send(again)
        c.check(bob.event("message", 30, **{"from": names["alice"], "text": again}) is not None, "alice's room message reaches bob again")
        shown = [json.loads(l) for p in (alice, bob, carol) for l in p.lines if l.startswith("{")]
        odd = [e for e in shown if e.get("event") == "message" and e.get("text") not in secrets + [poke, still, again]
               and not str(e.get("text", "")).startswith("flip ")]
        c.check(not odd, "nothing altered ever shows as a message")

        # 6. Another fingerprint: refused before anything is said, with a clear error.
        wrong = hashlib.sha256(b"not the server").hexdigest()[:40]
        before = proxy.count()
        mallory = client("mallory", fp=wrong)
        try:
            code = mallory.p.wait(30)
        except subprocess.TimeoutExpired:
            code = None
        out = mallory.text()
        c.check(code not in (None, 0) and '"event":"ready"' not in out, f"a client given another fingerprint does not connect (exit {code})")
        c.check(bool(compact) and compact in out.replace(" ", "") or wrong in out.replace(" ", ""), "and its error names the fingerprints")
        c.check(proxy.count() > before and names["mallory"].encode() not in proxy.wire(), "it never says its name to the impostor")
        c.check(server.p.poll() is None, "the server is still running")
    finally:
        for p in procs[1:]:
            p.stop()
        server.stop()
        if proxy:
            proxy.stop()
        for d in dirs + [data_dir]:
            shutil.rmtree(d, ignore_errors=True)
    print(f"took {time.time() - START:.1f} s", flush=True)
    print(f"{Checks.passed} passed, {Checks.failed} failed", flush=True)
    sys.exit(0 if Checks.failed == 0 else 1)


if __name__ == "__main__":
    main()
