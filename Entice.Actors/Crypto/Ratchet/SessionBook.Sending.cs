using System.Security.Cryptography;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>Sending: the session a message to a peer goes on (X3DH when none), encryption, sequence numbers.</summary>
public sealed partial class SessionBook
{
    /// <summary>
    /// Encrypt <paramref name="plaintext"/> (padded here) to <paramref name="peer"/> for this context.
    /// Throws <see cref="CryptoException"/> when the peer's bundle is forged or its keys are unusable.
    /// </summary>
    public byte[] Encrypt(PeerKeys peer, MessageContext ctx, ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(ctx);
        if (!VerifiedOnce(peer.Bundle))
        {
            throw new CryptoException("The peer's key bundle has an invalid signature.");
        }

        var current = CurrentSendingSession(peer);
        var newSession = current is null;
        var session = current ?? SendingSessionFor(peer);

        // header || ChaCha20-Poly1305(padded plaintext) || tag, built in one array: the header is written in
        // place, the plaintext padded in place and encrypted in place (no copy of it anywhere else).
        var headerSize = session.HeaderSize;
        var paddedLength = Padding.PaddedLength(plaintext.Length);
        var output = new byte[headerSize + paddedLength + MessageCipher.TagSize];
        session.WriteHeader(output.AsSpan(0, headerSize));

        // Built before the chain steps, so a context that cannot be encoded costs no message key.
        var prefix = session.AssociatedDataPrefix(me.Public);
        var adLength = MessageCipher.AssociatedDataLength(prefix, headerSize, ctx);
        if (adLength < 0)
        {
            throw new CryptoException("Text is not valid Unicode.");
        }

        var associatedData = adLength <= StackAssociatedData ? stackalloc byte[adLength] : new byte[adLength];
        MessageCipher.WriteAssociatedData(associatedData, prefix, output.AsSpan(0, headerSize), ctx);

        Span<byte> messageKey = stackalloc byte[Kdf.HmacKeySize];
        var used = session.SendIndex;
        session.NextSend(messageKey);
        NoteSend(session, used, newSession);
        var body = output.AsSpan(headerSize);
        try
        {
            Padding.PadInto(plaintext, body[..paddedLength]);
            MessageCipher.SealInPlace(messageKey, associatedData, body, KdfLabels.Message);
            return output;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(output); // it may hold the plaintext
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
        }
    }

    // Associated data up to this size lives on the stack (the identity keys, the header and three names: a few
    // hundred bytes); longer names get a heap buffer.
    private const int StackAssociatedData = 512;

    /// <summary>
    /// The next message to <paramref name="peer"/> starts a new session (X3DH), as if none were held. Nothing
    /// is dropped: every session with the peer still receives. For a peer that seems to send on a session we
    /// do not hold (our state is older than theirs): safe on unauthenticated evidence, since it costs nothing
    /// but one handshake.
    /// </summary>
    public void RenewSendingSession(string peer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        sendingTo.Remove(peer);
    }

    /// <summary>
    /// The sequence number of the next message to <paramref name="peer"/> in <paramref name="conversation"/>
    /// (1, 2, ...; see <see cref="MessageContext.Conversation"/>). Kept in the book's state, so a number is
    /// never given twice, across restarts too (a save holds it reserved ahead like the sending chain).
    /// </summary>
    public ulong NextSendSequence(string peer, string conversation)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var key = new SendSequenceKey(peer, conversation);
        var next = sendSequences.GetValueOrDefault(key) + 1;
        sendSequences[key] = next;
        var (exported, durable) = sequenceReservations.GetValueOrDefault(key);
        if (next > durable)
        {
            SendNeedsSave = true;
        }
        else if (next + ((ulong)sendReservation / 2) >= exported)
        {
            ReservationLow = true;
        }

        return next;
    }

    /// <summary>
    /// True when the next <see cref="Encrypt"/> to <paramref name="peer"/> would start a new session
    /// (X3DH): the moment to fetch one of the peer's one-time prekeys.
    /// </summary>
    public bool NeedsNewSession(PeerKeys peer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        return CurrentSendingSession(peer) is null;
    }

    private RatchetSession? CurrentSendingSession(PeerKeys peer)
    {
        var bundle = peer.Bundle;
        return sendingTo.TryGetValue(peer.Name, out var id) && sessions.TryGetValue(id, out var current)
            && current.PeerIdentity.SameKeysAs(bundle.SigningKey, bundle.DhKey)
            && current.PeerPrekey.Id == bundle.PrekeyId
            && KeyEquality.Same(current.PeerPrekey.PublicKey, bundle.Prekey)
            && !current.Exhausted
            ? current
            : null;
    }

    private RatchetSession SendingSessionFor(PeerKeys peer)
    {
        var bundle = peer.Bundle;
        if (CurrentSendingSession(peer) is { } current)
            return current;

        // No session, new identity keys, a new signed prekey (the peer may have lost its state) or a used-up
        // session: agree afresh. Older sessions stay for receiving what is still in flight.
        var oneTime = peer.OneTimePrekey;
        var (sharedKey, baseKey) = X3dh.Initiate(me, bundle, oneTime?.PublicKey);
        var session = RatchetSession.Initiate(
            peer.Name,
            baseKey,
            new PublicIdentity([.. bundle.SigningKey], [.. bundle.DhKey], [.. bundle.BindingSignature]),
            new PeerPrekey(bundle.PrekeyId, [.. bundle.Prekey]),
            new PrekeyUse(bundle.PrekeyId, oneTime?.Id),
            sharedKey);
        AddSession(session);
        sendingTo[peer.Name] = session.Id;
        return session;
    }
}
