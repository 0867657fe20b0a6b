using System.Text;

namespace Entice.Channels;

/// <summary>
/// The fixed facts of the client-to-relay channel (docs/ARCHITECTURE.md, "The channel"). The client opens
/// with the 16 ASCII bytes <see cref="Preamble"/>, which are also the Noise prologue: a client of another
/// version or a plaintext client is told apart at once, and a preamble altered on the way fails the
/// handshake. Then Noise_XX_25519_ChaChaPoly_SHA256, each message as a 2-byte big-endian length and
/// the message, and after it records (<see cref="SecureChannel"/>).
/// </summary>
public static class ChannelProtocol
{
    /// <summary>What the client sends first, and the Noise prologue.</summary>
    public const string Name = "entice-channel/1";

    /// <summary>The Noise protocol name (the handshake hash starts from it).</summary>
    public const string NoiseProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";

    /// <summary>The largest Noise message (spec §3), length prefix excluded.</summary>
    public const int MaxNoiseMessage = 65535;

    /// <summary>Bytes of the big-endian length before each handshake message and record.</summary>
    public const int LengthPrefix = 2;

    /// <summary>XX with empty payloads: -> e (32); &lt;- e, ee, s, es (32 + 48 + 16); -> s, se (48 + 16).</summary>
    public static readonly int[] HandshakeMessageLengths = [32, 96, 64];

    /// <summary>The ASCII bytes of <see cref="Name"/>.</summary>
    public static ReadOnlySpan<byte> Preamble => "entice-channel/1"u8;

    /// <summary>The family part of the preamble: a preamble that starts with it but differs is another version.</summary>
    internal static ReadOnlySpan<byte> Family => "entice-channel/"u8;

    internal static string Describe(ReadOnlySpan<byte> preamble) =>
        Encoding.ASCII.GetString(preamble).Any(c => c < 0x20 || c > 0x7E) ? Convert.ToHexString(preamble).ToLowerInvariant() : Encoding.ASCII.GetString(preamble);
}
