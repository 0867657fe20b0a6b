#!/usr/bin/env python3
"""Recomputes the sender-key known-answer vectors of docs/PROTOCOL-GROUPS.md with Python's `cryptography`
package (OpenSSL), independently of the C# implementation. SenderKeyKnownAnswerSpecs freezes the same bytes."""
import hashlib, hmac, struct
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

room, sender, envelope_id, epoch, key_id, iteration = b"general", b"alice", 42, 7, 0x0a0b0c0d, 5
ck = bytes.fromhex("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f")
seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
members = [(b"alice", b"\xa1" * 32), (b"bob", b"\xb0" * 32), (b"carol", b"\xc0" * 32)]
plaintext = b"hello, room"

lp = lambda *fields: b"".join(struct.pack(">I", len(f)) + f for f in fields)
u16, u32, u64 = (lambda v: struct.pack(">H", v)), (lambda v: struct.pack(">I", v)), (lambda v: struct.pack(">Q", v))

member_hash = hashlib.sha256(lp(b"Entice/v1/group-members", u32(len(members)), *[x for m in members for x in m])).digest()
mk = hmac.new(ck, b"\x01", hashlib.sha256).digest()
next_ck = hmac.new(ck, b"\x02", hashlib.sha256).digest()
kn = HKDF(hashes.SHA256(), 44, b"\x00" * 32, b"Entice/v1/group-msg").derive(mk)
header = b"\x11" + u32(key_id) + u32(iteration) + u64(epoch) + member_hash
padded = plaintext + b"\x80" + b"\x00" * (64 - len(plaintext) - 1)
ad = lp(b"Entice/v1/group-ad", room, sender, u64(envelope_id), header)
body = ChaCha20Poly1305(kn[:32]).encrypt(kn[32:], padded, ad)
signing = Ed25519PrivateKey.from_private_bytes(seed)
public = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
signature = signing.sign(lp(b"Entice/v1/group-sig", room, sender, u64(envelope_id), header + body))
message = header + body + signature
distribution = (b"\x10" + u16(len(room)) + room + u16(len(sender)) + sender + u32(key_id) + u32(iteration) + ck + public
                + u64(epoch) + u16(len(members)) + b"".join(u16(len(n)) + n + f for n, f in members))

for name, value in [("member-set hash", member_hash), ("MK", mk), ("next CK", next_ck), ("K || NONCE", kn),
                    ("signing public key", public), ("header", header), ("body", body), ("signature", signature),
                    ("message", message), ("distribution", distribution)]:
    print(f"{name}: {value.hex()}")
