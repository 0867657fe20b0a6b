using Entice.Crypto.Primitives;

namespace Entice.Channels;

/// <summary>
/// The channel's cipher suites: the AEAD of a Noise protocol name (the DH is always 25519, the hash SHA256).
/// The value is the suite byte of the preamble (<see cref="ChannelProtocol"/>); it is also in the Noise
/// protocol name, which starts the handshake hash, so a byte rewritten on the way fails the handshake.
/// </summary>
public enum ChannelSuite : byte
{
    /// <summary>Noise_XX_25519_ChaChaPoly_SHA256: fast in software everywhere; the suite every node can speak.</summary>
    ChaChaPoly = 0x01,

    /// <summary>Noise_XX_25519_AESGCM_SHA256: several times faster where the CPU has AES-NI and PCLMULQDQ, and only there.</summary>
    AesGcm = 0x02,
}

/// <summary>Names, availability and the client's choice of <see cref="ChannelSuite"/>.</summary>
public static class ChannelSuites
{
    /// <summary>Every suite, in the order of preference of a client that can run them all.</summary>
    public static IReadOnlyList<ChannelSuite> All { get; } = [ChannelSuite.AesGcm, ChannelSuite.ChaChaPoly];

    /// <summary>True when this node's CPU runs the suite (AES-GCM needs AES-NI and PCLMULQDQ; libsodium has no fallback).</summary>
    public static bool IsAvailable(ChannelSuite suite) => suite switch
    {
        ChannelSuite.ChaChaPoly => true,
        ChannelSuite.AesGcm => Libsodium.Aes256GcmIsAvailable,
        _ => false,
    };

    /// <summary>What a client picks by itself: AES-GCM where this CPU runs it, ChaChaPoly otherwise.</summary>
    public static ChannelSuite Preferred => IsAvailable(ChannelSuite.AesGcm) ? ChannelSuite.AesGcm : ChannelSuite.ChaChaPoly;

    /// <summary>The Noise name of the AEAD: "ChaChaPoly" or "AESGCM".</summary>
    public static string CipherName(ChannelSuite suite) => suite switch
    {
        ChannelSuite.ChaChaPoly => "ChaChaPoly",
        ChannelSuite.AesGcm => "AESGCM",
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "not a channel suite"),
    };

    /// <summary>The name in configuration and on the command line: "chachapoly" or "aesgcm".</summary>
    public static string ConfigName(ChannelSuite suite) => CipherName(suite).ToLowerInvariant();

    /// <summary>The channel's whole Noise protocol name for the suite, e.g. Noise_XX_25519_AESGCM_SHA256.</summary>
    public static string NoiseProtocolName(ChannelSuite suite) => $"Noise_XX_25519_{CipherName(suite)}_SHA256";

    /// <summary>A suite byte from the wire: only the defined values.</summary>
    public static bool TryFromByte(byte value, out ChannelSuite suite)
    {
        suite = (ChannelSuite)value;
        return value is (byte)ChannelSuite.ChaChaPoly or (byte)ChannelSuite.AesGcm;
    }

    /// <summary>"aesgcm" / "chachapoly" (any case); anything else is a <see cref="FormatException"/> naming the choices.</summary>
    public static ChannelSuite Parse(string text, string knob)
    {
        foreach (var suite in All)
        {
            if (string.Equals(text, ConfigName(suite), StringComparison.OrdinalIgnoreCase))
            {
                return suite;
            }
        }

        throw new FormatException($"{knob}: '{text}' is not a channel suite (aesgcm or chachapoly)");
    }

    /// <summary>"aesgcm, chachapoly": for a refusal or a log line.</summary>
    public static string Describe(IEnumerable<ChannelSuite> suites) => string.Join(", ", suites.Select(ConfigName));
}
