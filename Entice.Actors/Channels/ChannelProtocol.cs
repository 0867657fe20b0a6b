using System.Text;

namespace Entice.Channels;

/// <summary>
/// The fixed facts of the client-to-relay channel (docs/ARCHITECTURE.md, "The channel"). The client opens
/// with the 16 ASCII bytes <see cref="Preamble"/> and one suite byte (<see cref="ChannelSuite"/>); those 17
/// bytes are also the Noise prologue, and the suite is in the Noise protocol name too, so a client of
/// another version or a plaintext client is told apart at once, and a preamble or suite byte altered on
/// the way fails the handshake. Then Noise_XX_25519_{ChaChaPoly|AESGCM}_SHA256, each message as a 2-byte
/// big-endian length and the message, and after it records (<see cref="SecureChannel"/>).
/// </summary>
public static class ChannelProtocol
{
    /// <summary>What the client sends first (before the suite byte).</summary>
    public const string Name = "entice-channel/2";

    /// <summary>The Noise protocol name of the ChaChaPoly suite (every node speaks it).</summary>
    public const string NoiseProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";

    /// <summary>The largest Noise message (spec §3), length prefix excluded.</summary>
    public const int MaxNoiseMessage = 65535;

    /// <summary>Bytes of the big-endian length before each handshake message and record.</summary>
    public const int LengthPrefix = 2;

    /// <summary>The suite byte after <see cref="Preamble"/>.</summary>
    public const int SuiteBytes = 1;

    /// <summary>The whole opening the server reads before Noise message 1: preamble and suite byte.</summary>
    public const int OpeningLength = 16 + SuiteBytes;

    /// <summary>XX with empty payloads: -> e (32); &lt;- e, ee, s, es (32 + 48 + 16); -> s, se (48 + 16).</summary>
    public static readonly int[] HandshakeMessageLengths = [32, 96, 64];

    /// <summary>The ASCII bytes of <see cref="Name"/>.</summary>
    public static ReadOnlySpan<byte> Preamble => "entice-channel/2"u8;

    /// <summary>The family part of the preamble: a preamble that starts with it but differs is another version.</summary>
    internal static ReadOnlySpan<byte> Family => "entice-channel/"u8;

    /// <summary>The client's opening for a suite: the preamble and the suite byte (also the Noise prologue).</summary>
    public static byte[] Opening(ChannelSuite suite) => [.. Preamble, (byte)suite];

    internal static string Describe(ReadOnlySpan<byte> preamble) =>
        Encoding.ASCII.GetString(preamble).Any(c => c < 0x20 || c > 0x7E) ? Convert.ToHexString(preamble).ToLowerInvariant() : Encoding.ASCII.GetString(preamble);
}
