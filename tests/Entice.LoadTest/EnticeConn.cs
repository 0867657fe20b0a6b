using System.Buffers.Binary;
using System.Security.Cryptography;
using Entice.Wire;
using Entice.Crypto.Identity;

namespace Entice.LoadTest;

/// <summary>An Entice client: real identity, signed hello, join; envelopes parsed in place.</summary>
internal sealed class EnticeConn : LoadConn
{
    private const byte EnvelopeTag = 0x20;
    public EnticeConn(int index, int room, string name, int bufferSize) : base(index, room, name, bufferSize)
    {
    }

    public override async Task HandshakeAsync(string room, CancellationToken ct)
    {
        var hello = await ReadMessageAsync(ct);
        if (hello is not ServerHello sh)
            throw new IOException($"{Name}: expected ServerHello, got {hello.GetType().Name}");
        // A real identity per connection. Its private keys live in libsodium guarded memory (a few memory
        // mappings each), so they are dropped right after signing: 10,000 live identities would exceed
        // vm.max_map_count. The tool never needs them again (it sends opaque bytes, not real ciphertext).
        byte[] frame;
        using (var keys = IdentityKeys.Create())
        using (var prekey = SignedPrekey.Create(keys, 1))
        {
            var bundle = Bundles.CreateBundle(keys, prekey);
            var signature = IdentitySignatures.SignHello(keys, sh.Challenge, Name);
            frame = WireCodec.EncodeFrame(new Hello(ProtocolVersion.Current, Name, bundle, signature));
        }
        await SendAllAsync(frame, ct);
        var welcome = await ReadMessageAsync(ct);
        if (welcome is not Welcome)
            throw new IOException($"{Name}: hello refused: {welcome}");
        await SendAllAsync(WireCodec.EncodeFrame(new JoinRoom(room)), ct);
        while (true)
        {
            var m = await ReadMessageAsync(ct);
            if (m is RoomJoined)
                return;
            if (m is ErrorMessage e)
                throw new IOException($"{Name}: join refused: {e.Code} {e.Message}");
        }
    }

    private async Task<WireMessage> ReadMessageAsync(CancellationToken ct)
    {
        while (true)
        {
            if (End - Start >= 4)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(Buffer.AsSpan(Start));
                if (End - Start >= 4 + length)
                {
                    var ok = WireCodec.TryDecode(Buffer.AsSpan(Start + 4, length), out var message, out var error);
                    Start += 4 + length;
                    if (Start == End)
                        Start = End = 0;
                    return ok ? message! : throw new IOException($"{Name}: undecodable frame: {error}");
                }
            }
            await ReadMoreAsync(ct);
        }
    }

    public override byte[] BuildTemplate(string room, int bytes)
    {
        var ciphertext = RandomNumberGenerator.GetBytes(Math.Max(bytes, Stamp.Size));
        // Sender empty: the server stamps it. Recipient empty: the whole room.
        return WireCodec.EncodeFrame(new Envelope(room, "", "", 0, false, ciphertext));
    }

    public override int WriteMessage(Span<byte> destination, ReadOnlySpan<byte> prebuilt, long ticks, ushort sender, long seq)
    {
        prebuilt.CopyTo(destination);
        // Ciphertext is the tail of the frame; the stamp goes at its start; the id is the sequence.
        var ctStart = prebuilt.Length - CiphertextLength(prebuilt);
        var idOffset = ctStart - 4 - 1 - 8;
        BinaryPrimitives.WriteUInt64BigEndian(destination[idOffset..], (ulong)seq);
        Stamp.Write(destination[ctStart..], ticks, sender, seq);
        return prebuilt.Length;
    }

    private static int CiphertextLength(ReadOnlySpan<byte> frame)
    {
        // frame: len(4) tag(1) room(2+n) sender(2+0) recipient(2+0) id(8) direct(1) ctlen(4) ct
        var roomLen = BinaryPrimitives.ReadUInt16BigEndian(frame[5..]);
        var ctLenOffset = 5 + 2 + roomLen + 2 + 2 + 8 + 1;
        return (int)BinaryPrimitives.ReadUInt32BigEndian(frame[ctLenOffset..]);
    }

    protected override void ParseBatch(long nowTicks)
    {
        var buf = Buffer.AsSpan(0, End);
        var pos = Start;
        while (End - pos >= 4)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(buf[pos..]);
            if (End - pos - 4 < length)
                break;
            var payload = buf.Slice(pos + 4, length);
            if (payload[0] == EnvelopeTag)
            {
                var p = 1;
                p += 2 + BinaryPrimitives.ReadUInt16BigEndian(payload[p..]); // room
                p += 2 + BinaryPrimitives.ReadUInt16BigEndian(payload[p..]); // sender
                p += 2 + BinaryPrimitives.ReadUInt16BigEndian(payload[p..]); // recipient
                p += 8 + 1;                                                   // id, direct
                var ctLen = (int)BinaryPrimitives.ReadUInt32BigEndian(payload[p..]);
                p += 4;
                if (ctLen >= Stamp.Size)
                {
                    var ct = payload.Slice(p, Stamp.Size);
                    RecordDelivery(nowTicks, BinaryPrimitives.ReadInt64LittleEndian(ct), BinaryPrimitives.ReadUInt16LittleEndian(ct[8..]));
                }
            }
            pos += 4 + length;
        }
        Start = pos;
    }

}
