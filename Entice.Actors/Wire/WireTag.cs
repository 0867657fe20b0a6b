namespace Entice.Wire;

/// <summary>
/// The first payload byte, naming the message type. These numbers are the protocol: never renumber or
/// reuse one; add new messages with new numbers. Grouped by purpose so a hex dump reads at a glance.
/// <code>
/// tag   message        fields after the tag (see WireCodec for the encodings)
/// 0x01  ServerHello    version u16, challenge [32]
/// 0x02  Hello          version u16, name str, identity IdentityBundle, challengeSignature [64]
/// 0x03  Welcome        name str
/// 0x04  PublishPrekeys prekeys u16 count + (id u32, key [32])*  (at most 1024)
/// 0x05  FetchPrekey    name str
/// 0x06  PrekeyFor      name str, prekeys u16 count + (id u32, key [32])*  (0 or 1)
/// 0x10  JoinRoom       room str
/// 0x11  LeaveRoom      room str
/// 0x12  RoomJoined     room str, members u16 count + MemberInfo*
/// 0x13  RoomLeft       room str
/// 0x14  MemberJoined   room str, member MemberInfo
/// 0x15  MemberLeft     room str, name str
/// 0x16  MemberAway     room str, member MemberInfo (remembered, not connected: messages to them are stored)
/// 0x20  Envelope       room str, sender str, recipient str, id u64, direct bool, ciphertext u32 len + bytes
/// 0x21  EnvelopeAck    id u64 (server: the envelope with this id was taken and routed)
/// 0x22  EnvelopeRefused id u64, code str, message str (server: that envelope was not routed)
/// 0x24  StoredEnvelope seq u64, then an Envelope's fields (kept while the recipient was away)
/// 0x25  StoredAck      seq u64 (client: that stored envelope was handled; the server deletes it)
/// 0x30  Ping           nonce u64
/// 0x31  Pong           nonce u64
/// 0x32  Goodbye        (none)
/// 0x33  GoodbyeAck     (none)
/// 0x40  ErrorMessage   code str, message str
/// </code>
/// </summary>
internal enum WireTag : byte
{
    ServerHello = 0x01,
    Hello = 0x02,
    Welcome = 0x03,
    PublishPrekeys = 0x04,
    FetchPrekey = 0x05,
    PrekeyFor = 0x06,
    JoinRoom = 0x10,
    LeaveRoom = 0x11,
    RoomJoined = 0x12,
    RoomLeft = 0x13,
    MemberJoined = 0x14,
    MemberLeft = 0x15,
    MemberAway = 0x16,
    Envelope = 0x20,
    EnvelopeAck = 0x21,
    EnvelopeRefused = 0x22,
    StoredEnvelope = 0x24,
    StoredAck = 0x25,
    Ping = 0x30,
    Pong = 0x31,
    Goodbye = 0x32,
    GoodbyeAck = 0x33,
    ErrorMessage = 0x40,
}
