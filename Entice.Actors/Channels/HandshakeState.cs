using Entice.Crypto.Primitives;

namespace Entice.Channels;

/// <summary>
/// Noise HandshakeState (spec rev 34, §5.3) for DH 25519, ChaChaPoly or AESGCM, SHA256. Every remote public key is
/// checked (<see cref="PublicKeyCheck.IsUsableX25519"/>: canonical, not of low order) when it is read, and
/// a DH with an all-zero result is refused, so no DH output is ever a value an attacker chose. Reading
/// never throws: it returns false and the handshake is dead. After the last message, <see cref="Split"/>
/// hands out the transport CipherStates and wipes ck, the local ephemeral and h's working copy.
/// </summary>
internal sealed class HandshakeState : IDisposable
{
    private const int DhLength = X25519KeyPair.KeySize;

    private readonly HandshakePattern pattern;
    private readonly SymmetricState symmetric;
    private readonly X25519KeyPair? s;
    private readonly Func<X25519KeyPair> newEphemeral;
    private X25519KeyPair? e;
    private byte[]? rs;
    private byte[]? re;
    private int message;
    private bool failed;

    /// <param name="localStatic">s: needed when the pattern sends or pre-shares it; not owned (the caller disposes it).</param>
    /// <param name="remoteStatic">rs: known in advance (IK's responder key).</param>
    /// <param name="ephemeral">Test hook for the published vectors: the ephemeral to use instead of a fresh one.</param>
    /// <param name="suite">The AEAD: it is in the protocol name, so two sides of different suites fail at the first encrypted message.</param>
    public HandshakeState(
        HandshakePattern pattern,
        bool initiator,
        ReadOnlySpan<byte> prologue,
        X25519KeyPair? localStatic,
        ReadOnlySpan<byte> remoteStatic = default,
        Func<X25519KeyPair>? ephemeral = null,
        ChannelSuite suite = ChannelSuite.ChaChaPoly)
    {
        this.pattern = pattern;
        Initiator = initiator;
        s = localStatic;
        newEphemeral = ephemeral ?? X25519KeyPair.Generate;
        symmetric = new SymmetricState(pattern.ProtocolName(suite), suite);
        symmetric.MixHash(prologue);
        if (!remoteStatic.IsEmpty)
        {
            if (!PublicKeyCheck.IsUsableX25519(remoteStatic))
            {
                throw new CryptoException("The remote static key is a low-order or non-canonical X25519 point.");
            }

            rs = remoteStatic.ToArray();
        }

        // Pre-messages: only "s" appears in the patterns here.
        foreach (var token in pattern.InitiatorPreMessage)
        {
            symmetric.MixHash(PreMessageKey(token, initiatorSide: true));
        }

        foreach (var token in pattern.ResponderPreMessage)
        {
            symmetric.MixHash(PreMessageKey(token, initiatorSide: false));
        }
    }

    public bool Initiator { get; }

    /// <summary>True when it is this side's turn to write.</summary>
    public bool IsMyTurn => !IsComplete && (message % 2 == 0) == Initiator;

    public bool IsComplete => message == pattern.Messages.Length;

    /// <summary>The remote static public key once received (or given), else null.</summary>
    public byte[]? RemoteStatic => rs is null ? null : (byte[])rs.Clone();

    public byte[] HandshakeHash => symmetric.HandshakeHash;

    /// <summary>The exact length of the next message with a payload of <paramref name="payloadLength"/> bytes.</summary>
    public int NextMessageLength(int payloadLength)
    {
        var length = 0;
        var keyed = symmetric.HasKey;
        foreach (var token in pattern.Messages[message])
        {
            switch (token)
            {
                case Token.E:
                    length += DhLength;
                    break;
                case Token.S:
                    length += DhLength + (keyed ? CipherState.TagSize : 0);
                    break;
                default:
                    keyed = true;
                    break;
            }
        }

        return length + payloadLength + (keyed ? CipherState.TagSize : 0);
    }

    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        if (!IsMyTurn || failed)
        {
            throw new InvalidOperationException("Not this side's turn to write.");
        }

        var output = new List<byte>(NextMessageLength(payload.Length));
        foreach (var token in pattern.Messages[message])
        {
            switch (token)
            {
                case Token.E:
                    e = newEphemeral();
                    output.AddRange(e.PublicKey);
                    symmetric.MixHash(e.PublicKey);
                    break;
                case Token.S:
                    output.AddRange(symmetric.EncryptAndHash(Required(s).PublicKey));
                    break;
                default:
                    MixDh(token);
                    break;
            }
        }

        output.AddRange(symmetric.EncryptAndHash(payload));
        message++;
        return [.. output];
    }

    /// <summary>ReadMessage: the payload, or null when the message is malformed, a key is unusable or a tag fails.</summary>
    public byte[]? ReadMessage(ReadOnlySpan<byte> input)
    {
        if (IsMyTurn || IsComplete || failed)
        {
            return null;
        }

        try
        {
            var rest = input;
            foreach (var token in pattern.Messages[message])
            {
                switch (token)
                {
                    case Token.E:
                        if (rest.Length < DhLength || !PublicKeyCheck.IsUsableX25519(rest[..DhLength]))
                        {
                            return Fail();
                        }

                        re = rest[..DhLength].ToArray();
                        symmetric.MixHash(re);
                        rest = rest[DhLength..];
                        break;
                    case Token.S:
                        var length = DhLength + (symmetric.HasKey ? CipherState.TagSize : 0);
                        if (rest.Length < length)
                        {
                            return Fail();
                        }

                        var key = symmetric.DecryptAndHash(rest[..length]);
                        if (key is null || !PublicKeyCheck.IsUsableX25519(key))
                        {
                            return Fail();
                        }

                        rs = key;
                        rest = rest[length..];
                        break;
                    default:
                        MixDh(token);
                        break;
                }
            }

            var payload = symmetric.DecryptAndHash(rest);
            if (payload is null)
            {
                return Fail();
            }

            message++;
            return payload;
        }
        catch (CryptoException)
        {
            // A DH with a key NSec refuses or an all-zero result.
            return Fail();
        }
    }

    /// <summary>Split after the last message: (send, receive) for this side. Wipes ck and the ephemeral.</summary>
    public (CipherState Send, CipherState Receive) Split()
    {
        if (!IsComplete || failed)
        {
            throw new InvalidOperationException("The handshake is not complete.");
        }

        var (first, second) = symmetric.Split();
        e?.Dispose();
        return Initiator ? (first, second) : (second, first);
    }

    public void Dispose()
    {
        e?.Dispose();
        symmetric.Dispose();
    }

    private static T Required<T>(T? value)
        where T : class =>
        value ?? throw new InvalidOperationException("The pattern needs a key this handshake was not given.");

    private byte[]? Fail()
    {
        failed = true;
        e?.Dispose();
        return null;
    }

    private byte[] PreMessageKey(Token token, bool initiatorSide)
    {
        if (token != Token.S)
        {
            throw new NotSupportedException("Only static keys are pre-messages here.");
        }

        return initiatorSide == Initiator ? Required(s).PublicKey : Required(rs);
    }

    // ee, es, se, ss: "es" is DH(initiator's e, responder's s), seen from either side.
    private void MixDh(Token token)
    {
        var (localStatic, remoteStatic) = token switch
        {
            Token.EE => (false, false),
            Token.SS => (true, true),
            Token.ES => Initiator ? (false, true) : (true, false),
            Token.SE => Initiator ? (true, false) : (false, true),
            _ => throw new InvalidOperationException("not a DH token"),
        };
        var local = localStatic ? Required(s) : Required(e);
        var remote = remoteStatic ? Required(rs) : Required(re);
        var dh = local.Agree(remote);
        try
        {
            symmetric.MixKey(dh);
        }
        finally
        {
            Kdf.Wipe(dh);
        }
    }
}
