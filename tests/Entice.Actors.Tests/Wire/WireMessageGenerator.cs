using System.Collections;
using System.Text;
using Entice.Wire;

namespace Entice.Tests.Wire;

/// <summary>
/// Seeded random messages of every type, so any failure names a seed and reproduces exactly.
/// Values lean towards edges: empty and maximum-size strings, multi-byte text, empty and full lists.
/// </summary>
internal sealed class WireMessageGenerator(int seed)
{
    public static readonly string[] Kinds =
    [
        nameof(ServerHello), nameof(Hello), nameof(Welcome), nameof(JoinRoom), nameof(LeaveRoom),
        nameof(RoomJoined), nameof(RoomLeft), nameof(MemberJoined), nameof(MemberLeft), nameof(Envelope),
        nameof(EnvelopeAck), nameof(EnvelopeRefused), nameof(MemberAway), nameof(StoredEnvelope), nameof(StoredAck), nameof(PublishPrekeys), nameof(FetchPrekey), nameof(PrekeyFor), nameof(Ping), nameof(Pong), nameof(Goodbye), nameof(GoodbyeAck), nameof(ErrorMessage),
    ];

    // One-, two-, three- and four-byte UTF-8, right-to-left script, and a byte order mark.
    private static readonly string[] TextPieces =
        ["a", "Z", "_", "7", " ", "é", "ß", "Д", "ש", "中", "李", "😀", "𝄞", "\uFEFF", "\u0000", "\n"];

    private readonly Random _random = new(seed);

    public WireMessage Any() => Of(Kinds[_random.Next(Kinds.Length)]);

    public WireMessage Of(string kind) => kind switch
    {
        nameof(ServerHello) => new ServerHello(U16(), Bytes(WireLimits.ChallengeBytes)),
        nameof(Hello) => new Hello(U16(), Text(), Identity(), Bytes(WireLimits.SignatureBytes)),
        nameof(Welcome) => new Welcome(Text()),
        nameof(JoinRoom) => new JoinRoom(Text()),
        nameof(LeaveRoom) => new LeaveRoom(Text()),
        nameof(RoomJoined) => new RoomJoined(Text(), Members()),
        nameof(RoomLeft) => new RoomLeft(Text()),
        nameof(MemberJoined) => new MemberJoined(Text(), Member()),
        nameof(MemberLeft) => new MemberLeft(Text(), Text()),
        nameof(Envelope) => new Envelope(Text(), Text(), Text(), U64(), _random.Next(2) == 1, Ciphertext()),
        nameof(EnvelopeAck) => new EnvelopeAck(U64()),
        nameof(MemberAway) => new MemberAway(Text(), Member()),
        nameof(StoredEnvelope) => new StoredEnvelope(U64(), new Envelope(Text(), Text(), Text(), U64(), _random.Next(2) == 1, Ciphertext())),
        nameof(StoredAck) => new StoredAck(U64()),
        nameof(PublishPrekeys) => new PublishPrekeys(Prekeys(_random.Next(0, 5))),
        nameof(FetchPrekey) => new FetchPrekey(Text()),
        nameof(PrekeyFor) => new PrekeyFor(Text(), Prekeys(_random.Next(0, 2))),
        nameof(EnvelopeRefused) => new EnvelopeRefused(U64(), Text(), Text()),
        nameof(Ping) => new Ping(U64()),
        nameof(Pong) => new Pong(U64()),
        nameof(Goodbye) => new Goodbye(),
        nameof(GoodbyeAck) => new GoodbyeAck(),
        nameof(ErrorMessage) => new ErrorMessage(Text(), Text()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown message kind"),
    };

    public IdentityBundle Identity() => new(
        Bytes(WireLimits.SigningKeyBytes),
        Bytes(WireLimits.DhKeyBytes),
        Bytes(WireLimits.SignatureBytes),
        U32(),
        Bytes(WireLimits.PrekeyBytes),
        Bytes(WireLimits.SignatureBytes));

    public byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A string of up to <see cref="WireLimits.MaxStringBytes"/> UTF-8 bytes; a quarter are filled to the brim.</summary>
    public string Text()
    {
        var budget = _random.Next(4) switch
        {
            0 => 0,
            1 => WireLimits.MaxStringBytes,
            _ => _random.Next(WireLimits.MaxStringBytes + 1),
        };
        var text = new StringBuilder();
        var used = 0;
        for (var attempts = 0; attempts < 400 && used < budget; attempts++)
        {
            var piece = TextPieces[_random.Next(TextPieces.Length)];
            var size = Encoding.UTF8.GetByteCount(piece);
            if (used + size <= budget)
            {
                text.Append(piece);
                used += size;
            }
        }

        return text.ToString();
    }

    /// <summary>Structural text of a message, byte arrays in hex, so two messages compare by content.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        byte[] bytes => Convert.ToHexString(bytes),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        WireMessage or MemberInfo or IdentityBundle => value.GetType().Name + "{"
            + string.Join(", ", value.GetType().GetProperties()
                .Where(p => p.Name != "EqualityContract")
                .Select(p => p.Name + "=" + Describe(p.GetValue(value))))
            + "}",
        _ => value.ToString() ?? "",
    };

    private MemberInfo Member() => new(Text(), Identity());

    private MemberInfo[] Members()
    {
        var count = _random.Next(5) switch
        {
            0 => 0,
            1 => _random.Next(30, 120),
            _ => _random.Next(1, 6),
        };
        return Enumerable.Range(0, count).Select(_ => Member()).ToArray();
    }

    private byte[] Ciphertext() => _random.Next(10) switch
    {
        0 => [],
        1 => Bytes(_random.Next(8_000, 70_000)),
        _ => Bytes(_random.Next(1, 300)),
    };

    private ushort U16() => _random.Next(3) == 0 ? ushort.MaxValue : (ushort)_random.Next(ushort.MaxValue + 1);

    private uint U32() => _random.Next(3) == 0 ? uint.MaxValue : (uint)_random.NextInt64(uint.MaxValue + 1L);

    private ulong U64() => _random.Next(3) == 0 ? ulong.MaxValue : (ulong)_random.NextInt64() << 1 | (uint)_random.Next(2);

    private OneTimePrekey[] Prekeys(int count) =>
        Enumerable.Range(0, count).Select(_ => new OneTimePrekey((uint)_random.Next(), Bytes(WireLimits.PrekeyBytes))).ToArray();
}
