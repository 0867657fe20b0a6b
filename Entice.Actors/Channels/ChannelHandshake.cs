using System.Buffers.Binary;
using Entice.Crypto.Primitives;

namespace Entice.Channels;

/// <summary>
/// One side of the channel handshake as a pure object for an actor: feed it whatever TCP delivered
/// (<see cref="Receive"/>), write out what it returns, and take the <see cref="SecureChannel"/> when it
/// completes. No I/O, no timers (the actor owns the handshake timeout), never throws on peer bytes.
/// It holds at most one handshake message of partial input (under 128 bytes): it asks for exactly the
/// bytes it expects, and bytes sent out of turn are refused.
/// <code>
/// client: "entice-channel/2" || suite || len16 || e              (16 + 1 + 2 + 32)
/// server: len16 || e || enc(s) || enc("")                        (2 + 96)
/// client: len16 || enc(s) || enc("")                             (2 + 64), then records
/// </code>
/// The suite byte (<see cref="ChannelSuite"/>) is the client's choice; the server refuses one it does not
/// accept or cannot run before any Noise work (<see cref="ChannelFailure.SuiteRefused"/>, naming what it
/// accepts). Preamble and suite byte are the prologue and the suite is in the protocol name, so if either
/// is rewritten on the way the two sides hash different things and message 2 fails on the client.
/// </summary>
public sealed class ChannelHandshake : IDisposable
{
    private readonly bool initiator;
    private readonly X25519KeyPair localStatic;
    private readonly Func<X25519KeyPair>? ephemeral;
    private HandshakeState? noise; // the responder's, once the suite byte has been read
    private readonly ChannelSettings settings;
    private readonly ServerFingerprint? expectedServer;
    private readonly X25519KeyPair? ownedStatic;
    private readonly byte[] pending = new byte[ChannelProtocol.LengthPrefix + 96];
    private int need;
    private int filled;
    private bool readingPreamble;
    private bool started;
    private ServerFingerprint? presented;
    private HandshakeStep? final;

    private ChannelHandshake(bool initiator, ChannelSettings settings, X25519KeyPair localStatic, X25519KeyPair? ownedStatic, ServerFingerprint? expectedServer, Func<X25519KeyPair>? ephemeral)
    {
        this.settings = settings;
        this.expectedServer = expectedServer;
        this.ownedStatic = ownedStatic;
        this.initiator = initiator;
        this.localStatic = localStatic;
        this.ephemeral = ephemeral;
        if (initiator)
        {
            Suite = settings.ClientSuite;
            noise = NewNoise(ChannelProtocol.Opening(Suite.Value));
            Expect(ChannelProtocol.LengthPrefix + ChannelProtocol.HandshakeMessageLengths[1], preamble: false);
        }
        else
        {
            Expect(ChannelProtocol.OpeningLength, preamble: true);
        }
    }

    public bool IsInitiator => initiator;

    /// <summary>The suite: on the client from the start (its choice), on the server once the client's suite byte is accepted.</summary>
    public ChannelSuite? Suite { get; private set; }

    /// <summary>
    /// The client side. <paramref name="expectedServer"/>: the server key's fingerprint, pinned or given
    /// (null on first contact: trust on first use, the caller pins <see cref="HandshakeStep.PresentedServerKey"/>).
    /// <paramref name="clientStatic"/>: the client's channel key (not owned); null for a fresh one per connection.
    /// </summary>
    public static ChannelHandshake Initiator(ChannelSettings settings, ServerFingerprint? expectedServer, X25519KeyPair? clientStatic = null) =>
        CreateInitiator(settings, expectedServer, clientStatic, null);

    /// <summary>The server side, with the server's static key (not owned: one key for every connection).</summary>
    public static ChannelHandshake Responder(ChannelSettings settings, X25519KeyPair serverStatic)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(serverStatic);
        return new ChannelHandshake(false, settings, serverStatic, null, null, null);
    }

    /// <summary>The first bytes the client sends (preamble and message 1); empty on the server.</summary>
    public byte[] Start()
    {
        if (started)
        {
            throw new InvalidOperationException("The handshake has started already.");
        }

        started = true;
        if (!initiator)
        {
            return [];
        }

        return [.. ChannelProtocol.Opening(Suite!.Value), .. Framed(noise!.WriteMessage([]))];
    }

    /// <summary>Consume bytes from the peer. After Complete or Failed, further calls return the same failure.</summary>
    public HandshakeStep Receive(ReadOnlySpan<byte> inbound)
    {
        if (final is not null)
        {
            return final.IsFailed ? final : Fail(ChannelFailure.Malformed, "the handshake is over; records go to the channel");
        }

        if (initiator && !started)
        {
            throw new InvalidOperationException("Call Start first and send its bytes.");
        }

        started = true;
        var outbound = new List<byte>();
        while (!inbound.IsEmpty)
        {
            var take = Math.Min(need - filled, inbound.Length);
            inbound[..take].CopyTo(pending.AsSpan(filled));
            inbound = inbound[take..];
            filled += take;
            if (readingPreamble)
            {
                var problem = CheckPreamble();
                if (problem is not null)
                {
                    return problem;
                }
            }

            if (filled < need)
            {
                break;
            }

            var step = Advance(outbound);
            if (step is not null)
            {
                if (step.IsComplete && initiator && !inbound.IsEmpty)
                {
                    step.Channel.Dispose();
                    return Fail(ChannelFailure.Malformed, "bytes sent out of turn (records before the handshake ended)");
                }

                if (step.IsComplete)
                {
                    return final = HandshakeStep.Done(step.Outbound, step.Channel, inbound.ToArray(), presented);
                }

                return step;
            }

            // A message was read and answered; the peer cannot have sent its next one yet.
            if (!inbound.IsEmpty && outbound.Count > 0)
            {
                return Fail(ChannelFailure.Malformed, "bytes sent out of turn");
            }
        }

        return HandshakeStep.Pending([.. outbound], presented);
    }

    public void Dispose()
    {
        noise?.Dispose();
        ownedStatic?.Dispose();
    }

    /// <summary>Test hook (the published vectors, fixed keys): an initiator with a chosen ephemeral.</summary>
    internal static ChannelHandshake CreateInitiator(ChannelSettings settings, ServerFingerprint? expectedServer, X25519KeyPair? clientStatic, Func<X25519KeyPair>? ephemeral)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var owned = clientStatic is null ? X25519KeyPair.Generate() : null;
        return new ChannelHandshake(true, settings, clientStatic ?? owned!, owned, expectedServer, ephemeral);
    }

    private static byte[] Framed(byte[] message)
    {
        var framed = new byte[ChannelProtocol.LengthPrefix + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, checked((ushort)message.Length));
        message.CopyTo(framed, ChannelProtocol.LengthPrefix);
        return framed;
    }

    private void Expect(int bytes, bool preamble)
    {
        need = bytes;
        filled = 0;
        readingPreamble = preamble;
    }

    // Each preamble byte is checked as it arrives, so a plaintext client is refused at its first byte.
    private HandshakeStep? CheckPreamble()
    {
        var got = pending.AsSpan(0, filled);
        var family = ChannelProtocol.Family;
        var familyPart = Math.Min(filled, family.Length);
        if (!got[..familyPart].SequenceEqual(family[..familyPart]))
        {
            return Fail(ChannelFailure.NotAChannelClient, "the peer did not open with the channel preamble (a plaintext or old client?)");
        }

        var preamble = ChannelProtocol.Preamble;
        if (filled >= preamble.Length && !got[..preamble.Length].SequenceEqual(preamble))
        {
            return Fail(ChannelFailure.UnsupportedVersion, $"the peer speaks {ChannelProtocol.Describe(got[..preamble.Length])}, this node {ChannelProtocol.Name}");
        }

        return null;
    }

    // The opening is complete: the suite byte must name a suite this server accepts and can run.
    private HandshakeStep? AcceptSuite()
    {
        var usable = settings.UsableSuites;
        var accepted = $"this server accepts {ChannelSuites.Describe(usable)} (a client chooses with entice.client.channel.suite)";
        var value = pending[ChannelProtocol.OpeningLength - 1];
        if (!ChannelSuites.TryFromByte(value, out var asked))
        {
            return Fail(ChannelFailure.SuiteRefused, $"the client asked for suite 0x{value:x2}, which this server does not know; {accepted}");
        }

        if (!usable.Contains(asked))
        {
            var why = ChannelSuites.IsAvailable(asked) ? "refused by its configuration" : "this CPU cannot run it";
            return Fail(ChannelFailure.SuiteRefused, $"the client asked for {ChannelSuites.ConfigName(asked)} ({ChannelSuites.NoiseProtocolName(asked)}: {why}); {accepted}");
        }

        Suite = asked;
        noise = NewNoise(pending.AsSpan(0, ChannelProtocol.OpeningLength));
        return null;
    }

    private HandshakeState NewNoise(ReadOnlySpan<byte> prologue) =>
        new(HandshakePattern.XX, initiator, prologue, localStatic, ephemeral: ephemeral, suite: Suite!.Value);

    // A complete expected unit is in `pending`: act on it. Null means keep reading.
    private HandshakeStep? Advance(List<byte> outbound)
    {
        if (readingPreamble)
        {
            if (AcceptSuite() is { } refused)
            {
                return refused;
            }

            Expect(ChannelProtocol.LengthPrefix + ChannelProtocol.HandshakeMessageLengths[0], preamble: false);
            return null;
        }

        var noise = this.noise!;
        var message = pending.AsSpan(0, filled);
        var announced = BinaryPrimitives.ReadUInt16BigEndian(message);
        if (announced != filled - ChannelProtocol.LengthPrefix)
        {
            return Fail(ChannelFailure.Malformed, $"a handshake message of {announced} bytes where {filled - ChannelProtocol.LengthPrefix} belong");
        }

        var payload = noise.ReadMessage(message[ChannelProtocol.LengthPrefix..]);
        if (payload is null)
        {
            return Fail(ChannelFailure.AuthenticationFailed, "a handshake message did not authenticate (altered, replayed, another version or suite, or a bad key)");
        }

        if (payload.Length != 0)
        {
            return Fail(ChannelFailure.Malformed, "a handshake payload where none belongs");
        }

        if (noise.Initiator && noise.RemoteStatic is { } serverKey)
        {
            presented = ServerFingerprint.Of(serverKey);
            if (expectedServer is not null && !expectedServer.Equals(presented))
            {
                return Fail(ChannelFailure.ServerKeyMismatch, $"the server presented key {presented}, expected {expectedServer}");
            }
        }

        if (noise.IsMyTurn)
        {
            outbound.AddRange(Framed(noise.WriteMessage([])));
        }

        if (noise.IsComplete)
        {
            return HandshakeStep.Done([.. outbound], Complete(), [], presented);
        }

        Expect(ChannelProtocol.LengthPrefix + ChannelProtocol.HandshakeMessageLengths[2], preamble: false);
        return null;
    }

    private SecureChannel Complete()
    {
        var noise = this.noise!;
        var hash = noise.HandshakeHash;
        var remote = noise.RemoteStatic ?? throw new CryptoException("XX ended without the peer's static key.");
        var (send, receive) = noise.Split();
        noise.Dispose();
        ownedStatic?.Dispose();
        return new SecureChannel(send, receive, settings, hash, remote);
    }

    private HandshakeStep Fail(ChannelFailure kind, string reason)
    {
        noise?.Dispose();
        return final = HandshakeStep.Fail(new ChannelError(kind, reason), presented);
    }
}
