using System.Diagnostics.CodeAnalysis;
namespace Entice.Wire;

/// <summary>Parses one payload per message type; every failure is reported through the reader's error.</summary>
internal static class WireDecoder
{
    public static WireMessage? Read(ref WireReader reader)
    {
        if (!reader.TryReadByte("tag", out var tag))
        {
            reader.Fail("empty payload");
            return null;
        }

        return (WireTag)tag switch
        {
            WireTag.ServerHello => ReadServerHello(ref reader),
            WireTag.Hello => ReadHello(ref reader),
            WireTag.Welcome => reader.TryReadString("name", out var name) ? new Welcome(name) : null,
            WireTag.JoinRoom => reader.TryReadString("room", out var room) ? new JoinRoom(room) : null,
            WireTag.LeaveRoom => reader.TryReadString("room", out var room) ? new LeaveRoom(room) : null,
            WireTag.RoomJoined => ReadRoomJoined(ref reader),
            WireTag.RoomLeft => reader.TryReadString("room", out var room) ? new RoomLeft(room) : null,
            WireTag.MemberJoined => ReadMemberJoined(ref reader),
            WireTag.MemberLeft => ReadMemberLeft(ref reader),
            WireTag.Envelope => ReadEnvelope(ref reader),
            WireTag.MemberAway => ReadMemberAway(ref reader),
            WireTag.PublishPrekeys => ReadPrekeys(ref reader) is { } published ? new PublishPrekeys(published) : null,
            WireTag.FetchPrekey => reader.TryReadString("name", out var fetchName) ? new FetchPrekey(fetchName) : null,
            WireTag.PrekeyFor => reader.TryReadString("name", out var forName) && ReadPrekeys(ref reader) is { } given
                ? new PrekeyFor(forName, given)
                : null,
            WireTag.StoredEnvelope => reader.TryReadU64("seq", out var seq) && ReadEnvelope(ref reader) is { } stored
                ? new StoredEnvelope(seq, stored)
                : null,
            WireTag.StoredAck => reader.TryReadU64("seq", out var ackSeq) ? new StoredAck(ackSeq) : null,
            WireTag.EnvelopeAck => reader.TryReadU64("id", out var id) ? new EnvelopeAck(id) : null,
            WireTag.Ping => reader.TryReadU64("nonce", out var nonce) ? new Ping(nonce) : null,
            WireTag.Pong => reader.TryReadU64("nonce", out var nonce) ? new Pong(nonce) : null,
            WireTag.Goodbye => new Goodbye(),
            WireTag.GoodbyeAck => new GoodbyeAck(),
            WireTag.ErrorMessage => ReadErrorMessage(ref reader),
            WireTag.EnvelopeRefused => ReadEnvelopeRefused(ref reader),
            _ => Unknown(ref reader, tag),
        };
    }

    private static WireMessage? Unknown(ref WireReader reader, byte tag)
    {
        reader.Fail($"unknown message tag 0x{tag:x2}");
        return null;
    }

    private static ServerHello? ReadServerHello(ref WireReader reader) =>
        reader.TryReadU16("version", out var version)
        && reader.TryReadFixed("challenge", WireLimits.ChallengeBytes, out var challenge)
            ? new ServerHello(version, challenge)
            : null;

    private static Hello? ReadHello(ref WireReader reader)
    {
        if (!reader.TryReadU16("version", out var version) || !reader.TryReadString("name", out var name))
        {
            return null;
        }

        var identity = ReadIdentity(ref reader);
        return identity is not null
               && reader.TryReadFixed("challengeSignature", WireLimits.SignatureBytes, out var signature)
            ? new Hello(version, name, identity, signature)
            : null;
    }

    private static RoomJoined? ReadRoomJoined(ref WireReader reader)
    {
        if (!reader.TryReadString("room", out var room) || !reader.TryReadU16("members", out var count))
        {
            return null;
        }

        if (count > WireLimits.MaxMembers)
        {
            reader.Fail($"member count {count} exceeds max {WireLimits.MaxMembers}");
            return null;
        }

        // A count the remaining bytes cannot possibly hold is refused before the array is allocated.
        if (count * WireSize.MinMemberInfo > reader.Remaining)
        {
            reader.Fail($"member count {count} needs at least {count * WireSize.MinMemberInfo} bytes, {reader.Remaining} left");
            return null;
        }

        var members = count == 0 ? [] : new MemberInfo[count];
        for (var i = 0; i < members.Length; i++)
        {
            var member = ReadMember(ref reader);
            if (member is null)
            {
                return null;
            }

            members[i] = member;
        }

        return new RoomJoined(room, members);
    }

    private static MemberJoined? ReadMemberJoined(ref WireReader reader) =>
        TryReadRoomMember(ref reader, out var room, out var member) ? new MemberJoined(room, member) : null;

    private static OneTimePrekey[]? ReadPrekeys(ref WireReader reader)
    {
        if (!reader.TryReadU16("prekeys", out var count))
            return null;
        if (count > WireLimits.MaxMembers || count * (4 + WireLimits.PrekeyBytes) > reader.Remaining)
        {
            reader.Fail($"prekey count {count} does not fit");
            return null;
        }
        var prekeys = new OneTimePrekey[count];
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadU32("prekeyId", out var id) || !reader.TryReadFixed("prekey", WireLimits.PrekeyBytes, out var key))
                return null;
            prekeys[i] = new OneTimePrekey(id, key);
        }
        return prekeys;
    }

    private static MemberAway? ReadMemberAway(ref WireReader reader) =>
        TryReadRoomMember(ref reader, out var room, out var member) ? new MemberAway(room, member) : null;

    private static bool TryReadRoomMember(ref WireReader reader, out string room, [NotNullWhen(true)] out MemberInfo? member)
    {
        member = reader.TryReadString("room", out room) ? ReadMember(ref reader) : null;
        return member is not null;
    }

    private static MemberLeft? ReadMemberLeft(ref WireReader reader) =>
        reader.TryReadString("room", out var room) && reader.TryReadString("name", out var name)
            ? new MemberLeft(room, name)
            : null;

    private static Envelope? ReadEnvelope(ref WireReader reader) =>
        reader.TryReadString("room", out var room)
        && reader.TryReadString("sender", out var sender)
        && reader.TryReadString("recipient", out var recipient)
        && reader.TryReadU64("id", out var id)
        && reader.TryReadBool("direct", out var direct)
        && reader.TryReadBlob32("ciphertext", out var ciphertext)
            ? new Envelope(room, sender, recipient, id, direct, ciphertext)
            : null;

    private static ErrorMessage? ReadErrorMessage(ref WireReader reader) =>
        reader.TryReadString("code", out var code) && reader.TryReadString("message", out var message)
            ? new ErrorMessage(code, message)
            : null;

    private static EnvelopeRefused? ReadEnvelopeRefused(ref WireReader reader) =>
        reader.TryReadU64("id", out var id) && reader.TryReadString("code", out var code) && reader.TryReadString("message", out var message)
            ? new EnvelopeRefused(id, code, message)
            : null;

    private static MemberInfo? ReadMember(ref WireReader reader)
    {
        if (!reader.TryReadString("name", out var name))
        {
            return null;
        }

        var identity = ReadIdentity(ref reader);
        return identity is null ? null : new MemberInfo(name, identity);
    }

    private static IdentityBundle? ReadIdentity(ref WireReader reader) =>
        reader.TryReadFixed("signingKey", WireLimits.SigningKeyBytes, out var signingKey)
        && reader.TryReadFixed("dhKey", WireLimits.DhKeyBytes, out var dhKey)
        && reader.TryReadFixed("bindingSignature", WireLimits.SignatureBytes, out var bindingSignature)
        && reader.TryReadU32("prekeyId", out var prekeyId)
        && reader.TryReadFixed("prekey", WireLimits.PrekeyBytes, out var prekey)
        && reader.TryReadFixed("prekeySignature", WireLimits.SignatureBytes, out var prekeySignature)
            ? new IdentityBundle(signingKey, dhKey, bindingSignature, prekeyId, prekey, prekeySignature)
            : null;
}
