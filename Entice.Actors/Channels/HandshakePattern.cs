namespace Entice.Channels;

/// <summary>A Noise message-pattern token (spec rev 34, §7).</summary>
internal enum Token
{
    E,
    S,
    EE,
    ES,
    SE,
    SS,
}

/// <summary>
/// A Noise handshake pattern: pre-messages (keys known in advance) and the message tokens, initiator
/// first, then alternating. Only the patterns Entice needs: XX (the channel), and NN and IK (cheap to
/// have, and checked against the published vectors along with XX).
/// </summary>
internal sealed record HandshakePattern(string Name, Token[] InitiatorPreMessage, Token[] ResponderPreMessage, Token[][] Messages)
{
    /// <summary>-> e; &lt;- e, ee, s, es; -> s, se.</summary>
    public static readonly HandshakePattern XX = new("XX", [], [], [[Token.E], [Token.E, Token.EE, Token.S, Token.ES], [Token.S, Token.SE]]);

    /// <summary>-> e; &lt;- e, ee.</summary>
    public static readonly HandshakePattern NN = new("NN", [], [], [[Token.E], [Token.E, Token.EE]]);

    /// <summary>&lt;- s; ...; -> e, es, s, ss; &lt;- e, ee, se.</summary>
    public static readonly HandshakePattern IK = new("IK", [], [Token.S], [[Token.E, Token.ES, Token.S, Token.SS], [Token.E, Token.EE, Token.SE]]);

    /// <summary>The Noise protocol name of this pattern with the suite's AEAD, e.g. Noise_XX_25519_AESGCM_SHA256.</summary>
    public string ProtocolName(ChannelSuite suite) => $"Noise_{Name}_25519_{ChannelSuites.CipherName(suite)}_SHA256";
}
