namespace Entice.Wire;

/// <summary>
/// Encoding in two passes, size then write, so each message costs exactly one array. The two switches must
/// list the same fields in the same order; the round-trip specs catch any drift between them.
/// </summary>
internal static class WireEncoder
{
    /// <summary>Payload size of <paramref name="message"/>, tag included; throws if a field breaks a limit.</summary>
    public static int SizeOf(WireMessage message) => checked(WireSize.Tag + message switch
    {
        ServerHello m => WireSize.U16 + WireSize.Fixed(m.Challenge, WireLimits.ChallengeBytes, "challenge"),
        Hello m => WireSize.U16 + WireSize.String(m.Name, "name") + WireSize.Identity(m.Identity)
                   + WireSize.Fixed(m.ChallengeSignature, WireLimits.SignatureBytes, "challengeSignature"),
        Welcome m => WireSize.String(m.Name, "name"),
        JoinRoom m => WireSize.String(m.Room, "room"),
        LeaveRoom m => WireSize.String(m.Room, "room"),
        RoomJoined m => WireSize.String(m.Room, "room") + WireSize.Members(m.Members),
        RoomLeft m => WireSize.String(m.Room, "room"),
        MemberJoined m => WireSize.String(m.Room, "room") + WireSize.Member(m.Member),
        MemberLeft m => WireSize.String(m.Room, "room") + WireSize.String(m.Name, "name"),
        MemberAway m => WireSize.String(m.Room, "room") + WireSize.Member(m.Member),
        StoredEnvelope m => WireSize.U64 + EnvelopeSize(m.Envelope),
        StoredAck => WireSize.U64,
        Envelope m => EnvelopeSize(m),
        PublishPrekeys m => PrekeysSize(m.Prekeys),
        FetchPrekey m => WireSize.String(m.Name, "name"),
        PrekeyFor m => WireSize.String(m.Name, "name") + PrekeysSize(m.Prekeys),
        Ping => WireSize.U64,
        EnvelopeAck => WireSize.U64,
        EnvelopeRefused m => WireSize.U64 + WireSize.String(m.Code, "code") + WireSize.String(m.Message, "message"),
        Pong => WireSize.U64,
        Goodbye => 0,
        GoodbyeAck => 0,
        ErrorMessage m => WireSize.String(m.Code, "code") + WireSize.String(m.Message, "message"),
        _ => throw new ArgumentException($"No wire encoding for {message.GetType().Name}.", nameof(message)),
    });

    /// <summary>Writes a message already validated by <see cref="SizeOf"/>.</summary>
    public static void Write(WireMessage message, ref WireWriter writer)
    {
        switch (message)
        {
            case ServerHello m:
                writer.WriteByte((byte)WireTag.ServerHello);
                writer.WriteU16(m.Version);
                writer.WriteRaw(m.Challenge);
                break;
            case Hello m:
                writer.WriteByte((byte)WireTag.Hello);
                writer.WriteU16(m.Version);
                writer.WriteString(m.Name);
                WriteIdentity(m.Identity, ref writer);
                writer.WriteRaw(m.ChallengeSignature);
                break;
            case Welcome m:
                writer.WriteByte((byte)WireTag.Welcome);
                writer.WriteString(m.Name);
                break;
            case JoinRoom m:
                writer.WriteByte((byte)WireTag.JoinRoom);
                writer.WriteString(m.Room);
                break;
            case LeaveRoom m:
                writer.WriteByte((byte)WireTag.LeaveRoom);
                writer.WriteString(m.Room);
                break;
            case RoomJoined m:
                writer.WriteByte((byte)WireTag.RoomJoined);
                writer.WriteString(m.Room);
                writer.WriteU16((ushort)m.Members.Count);
                foreach (var member in m.Members)
                {
                    WriteMember(member, ref writer);
                }

                break;
            case RoomLeft m:
                writer.WriteByte((byte)WireTag.RoomLeft);
                writer.WriteString(m.Room);
                break;
            case MemberJoined m:
                writer.WriteByte((byte)WireTag.MemberJoined);
                writer.WriteString(m.Room);
                WriteMember(m.Member, ref writer);
                break;
            case MemberLeft m:
                writer.WriteByte((byte)WireTag.MemberLeft);
                writer.WriteString(m.Room);
                writer.WriteString(m.Name);
                break;
            case Envelope m:
                writer.WriteByte((byte)WireTag.Envelope);
                WriteEnvelope(m, ref writer);
                break;
            case PublishPrekeys m:
                writer.WriteByte((byte)WireTag.PublishPrekeys);
                WritePrekeys(m.Prekeys, ref writer);
                break;
            case FetchPrekey m:
                writer.WriteByte((byte)WireTag.FetchPrekey);
                writer.WriteString(m.Name);
                break;
            case PrekeyFor m:
                writer.WriteByte((byte)WireTag.PrekeyFor);
                writer.WriteString(m.Name);
                WritePrekeys(m.Prekeys, ref writer);
                break;
            case MemberAway m:
                writer.WriteByte((byte)WireTag.MemberAway);
                writer.WriteString(m.Room);
                WriteMember(m.Member, ref writer);
                break;
            case StoredEnvelope m:
                writer.WriteByte((byte)WireTag.StoredEnvelope);
                writer.WriteU64(m.Seq);
                WriteEnvelope(m.Envelope, ref writer);
                break;
            case StoredAck m:
                writer.WriteByte((byte)WireTag.StoredAck);
                writer.WriteU64(m.Seq);
                break;
            case EnvelopeAck m:
                writer.WriteByte((byte)WireTag.EnvelopeAck);
                writer.WriteU64(m.Id);
                break;
            case EnvelopeRefused m:
                writer.WriteByte((byte)WireTag.EnvelopeRefused);
                writer.WriteU64(m.Id);
                writer.WriteString(m.Code);
                writer.WriteString(m.Message);
                break;
            case Ping m:
                writer.WriteByte((byte)WireTag.Ping);
                writer.WriteU64(m.Nonce);
                break;
            case Pong m:
                writer.WriteByte((byte)WireTag.Pong);
                writer.WriteU64(m.Nonce);
                break;
            case Goodbye:
                writer.WriteByte((byte)WireTag.Goodbye);
                break;
            case GoodbyeAck:
                writer.WriteByte((byte)WireTag.GoodbyeAck);
                break;
            case ErrorMessage m:
                writer.WriteByte((byte)WireTag.ErrorMessage);
                writer.WriteString(m.Code);
                writer.WriteString(m.Message);
                break;
            default:
                throw new ArgumentException($"No wire encoding for {message.GetType().Name}.", nameof(message));
        }
    }

    private static int PrekeysSize(IReadOnlyList<OneTimePrekey>? prekeys)
    {
        if (prekeys is null || prekeys.Count > WireLimits.MaxMembers)
            throw new ArgumentException($"Field 'prekeys' must hold 0 to {WireLimits.MaxMembers} entries.", nameof(prekeys));
        foreach (var p in prekeys)
        {
            if (p?.PublicKey is not { Length: WireLimits.PrekeyBytes })
                throw new ArgumentException($"Field 'prekey' must be exactly {WireLimits.PrekeyBytes} bytes.", nameof(prekeys));
        }
        return WireSize.U16 + (prekeys.Count * (4 + WireLimits.PrekeyBytes));
    }

    private static void WritePrekeys(IReadOnlyList<OneTimePrekey> prekeys, ref WireWriter writer)
    {
        writer.WriteU16((ushort)prekeys.Count);
        foreach (var p in prekeys)
        {
            writer.WriteU32(p.Id);
            writer.WriteRaw(p.PublicKey);
        }
    }

    private static int EnvelopeSize(Envelope m) =>
        WireSize.String(m.Room, "room") + WireSize.String(m.Sender, "sender")
        + WireSize.String(m.Recipient, "recipient") + WireSize.U64 + WireSize.Bool
        + WireSize.Blob32(m.Ciphertext, "ciphertext");

    private static void WriteEnvelope(Envelope m, ref WireWriter writer)
    {
        writer.WriteString(m.Room);
        writer.WriteString(m.Sender);
        writer.WriteString(m.Recipient);
        writer.WriteU64(m.Id);
        writer.WriteBool(m.Direct);
        writer.WriteBlob32(m.Ciphertext);
    }

    private static void WriteMember(MemberInfo member, ref WireWriter writer)
    {
        writer.WriteString(member.Name);
        WriteIdentity(member.Identity, ref writer);
    }

    private static void WriteIdentity(IdentityBundle identity, ref WireWriter writer)
    {
        writer.WriteRaw(identity.SigningKey);
        writer.WriteRaw(identity.DhKey);
        writer.WriteRaw(identity.BindingSignature);
        writer.WriteU32(identity.PrekeyId);
        writer.WriteRaw(identity.Prekey);
        writer.WriteRaw(identity.PrekeySignature);
    }
}
