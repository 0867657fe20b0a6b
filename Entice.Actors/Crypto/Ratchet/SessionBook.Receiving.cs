using System.Security.Cryptography;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>Receiving: a message opened on a copy of its session, or a new session from a prekey message.</summary>
public sealed partial class SessionBook
{
    /// <summary>Decrypt a ciphertext from <paramref name="sender"/> under this context. Never throws on bad input.</summary>
    public DecryptResult Decrypt(PeerKeys sender, MessageContext ctx, ReadOnlySpan<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(ctx);

        if (!RatchetHeader.TryParse(ciphertext, out var header) || header is null)
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        var headerBytes = ciphertext[..header.Size];
        var body = ciphertext[header.Size..];
        var paddedLength = body.Length - MessageCipher.TagSize;
        if (paddedLength < Padding.BlockSize || paddedLength % Padding.BlockSize != 0)
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        if (sender.Name is null || !VerifiedOnce(sender.Bundle))
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        var now = clock();
        // Lifetimes are days: expiring at most once a second keeps the scans off the per-message path.
        if (now - lastExpired >= TimeSpan.FromSeconds(1) || now < lastExpired)
        {
            Expire(now);
            lastExpired = now;
        }

        var id = SessionIdFor(sender.Name, header.BaseKey);
        if (sessions.TryGetValue(id, out var session))
        {
            if (!session.PeerIdentity.SameKeysAs(sender.Bundle.SigningKey, sender.Bundle.DhKey))
            {
                return DecryptResult.Fail(DecryptFailure.Invalid);
            }

            var prefix = session.AssociatedDataPrefix(me.Public);
            var adLength = MessageCipher.AssociatedDataLength(prefix, headerBytes.Length, ctx);
            if (adLength < 0)
            {
                return DecryptResult.Fail(DecryptFailure.Malformed);
            }

            var associatedData = adLength <= StackAssociatedData ? stackalloc byte[adLength] : new byte[adLength];
            MessageCipher.WriteAssociatedData(associatedData, prefix, headerBytes, ctx);
            return OpenExisting(session, header, associatedData, body, now);
        }

        if (retired.ContainsKey(id))
        {
            return DecryptResult.Fail(DecryptFailure.Replay);
        }

        return header.Prekey is null
            ? DecryptResult.Fail(DecryptFailure.UnknownSession)
            : OpenNew(sender, ctx, header, headerBytes, body, now);
    }

    // The session id of the last message from each peer: most messages name the same base key again, and the
    // id is a hex string (no new string and no hex encoding then).
    private readonly Dictionary<string, SessionId> lastSessionId = new(StringComparer.Ordinal);
    private DateTimeOffset lastExpired = DateTimeOffset.MinValue;

    private SessionId SessionIdFor(string peer, byte[] baseKey)
    {
        if (lastSessionId.TryGetValue(peer, out var last) && sessions.TryGetValue(last, out var session)
            && session.BaseKey.AsSpan().SequenceEqual(baseKey))
        {
            return last;
        }

        var id = SessionId.For(peer, baseKey);
        if (lastSessionId.Count < 4096 || lastSessionId.ContainsKey(peer))
        {
            lastSessionId[peer] = id;
        }

        return id;
    }

    /// <summary>
    /// True when <paramref name="ciphertext"/> from <paramref name="sender"/> would have to start a session
    /// (X3DH before anything is authenticated): the expensive kind, which a caller may throttle. Cheap.
    /// </summary>
    public bool StartsNewSession(string sender, ReadOnlySpan<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(sender);
        if (!RatchetHeader.TryParse(ciphertext, out var header) || header?.Prekey is null)
        {
            return false;
        }

        var id = SessionId.For(sender, header.BaseKey);
        return !sessions.ContainsKey(id) && !retired.ContainsKey(id);
    }

    private DecryptResult OpenExisting(RatchetSession session, RatchetHeader header, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        // The skipped keys' ids are hex strings: built only when this peer has any.
        var skippedId = skipped.CountFor(session.Peer) > 0 ? SkippedKeyId.For(session.Id, header.RatchetKey, header.Index) : default;
        if (skippedId.Session.Peer is not null && skipped.TryGet(skippedId, out var skippedKey))
        {
            var early = Open(skippedKey, associatedData, body);
            if (early.Succeeded)
            {
                skipped.Remove(skippedId);
                if (session.WeInitiated)
                {
                    session.Acknowledge();
                }
            }

            return early;
        }

        // In order on the current chain (most messages): no copy; the chain moves only if the message authenticates.
        // Both keys on the stack, zeroed whatever happens.
        Span<byte> messageKey = stackalloc byte[Kdf.HmacKeySize];
        Span<byte> nextChain = stackalloc byte[Kdf.HmacKeySize];
        try
        {
            if (session.TryNextInOrder(header, messageKey, nextChain))
            {
                var inOrder = Open(messageKey, associatedData, body);
                if (!inOrder.Succeeded)
                {
                    return inOrder;
                }

                session.CommitNext(nextChain);
                if (session.WeInitiated)
                {
                    session.Acknowledge();
                }

                return inOrder;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
            CryptographicOperations.ZeroMemory(nextChain);
        }

        var working = session.Copy();
        var newlySkipped = new List<SkippedKey>();
        var result = Advance(working, header, associatedData, body, newlySkipped);
        if (!result.Succeeded)
        {
            return result;
        }

        // Authentic: now, and only now, adopt the advanced session and keep the keys it skipped.
        if (working.WeInitiated)
        {
            working.Acknowledge();
        }

        sessions[session.Id] = working;
        session.Dispose();
        skipped.AddRange(newlySkipped, now);
        return result;
    }

    private DecryptResult OpenNew(PeerKeys sender, MessageContext ctx, RatchetHeader header, ReadOnlySpan<byte> headerBytes, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var used = header.Prekey!;
        if (!signedPrekeys.TryGet(used.SignedPrekeyId, out var signedPrekey))
        {
            return DecryptResult.Fail(DecryptFailure.UnknownPrekey);
        }

        var oneTimePrivate = Array.Empty<byte>();
        if (used.OneTimePrekeyId is { } oneTimeId && !OneTimePrekeys.TryPeek(oneTimeId, out oneTimePrivate))
        {
            return DecryptResult.Fail(DecryptFailure.UnknownPrekey);
        }

        // Checked before X3DH: no reason to spend four DHs on a message we would refuse anyway. Nothing
        // about this message is authenticated yet, so the bound is small.
        if (header.Index > (uint)maxSkipNewSession)
        {
            return DecryptResult.Fail(DecryptFailure.TooFarAhead);
        }

        var initiator = sender.Identity;
        var prefix = MessageCipher.AssociatedDataPrefix(initiator, me.Public);
        var adLength = MessageCipher.AssociatedDataLength(prefix, headerBytes.Length, ctx);
        if (adLength < 0)
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        var associatedData = adLength <= StackAssociatedData ? stackalloc byte[adLength] : new byte[adLength];
        MessageCipher.WriteAssociatedData(associatedData, prefix, headerBytes, ctx);

        byte[] sharedKey;
        try
        {
            sharedKey = X3dh.Respond(me, signedPrekey, initiator, header.BaseKey, oneTimePrivate);
        }
        catch (CryptoException)
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        var session = RatchetSession.Respond(
            sender.Name,
            header.BaseKey,
            new PublicIdentity([.. initiator.SigningKey], [.. initiator.DhKey], [.. initiator.BindingSignature]),
            new PeerPrekey(sender.Bundle.PrekeyId, [.. sender.Bundle.Prekey]),
            used,
            sharedKey,
            signedPrekey.ExportPrivateKey(),
            [.. signedPrekey.PublicKey]);
        var newlySkipped = new List<SkippedKey>();
        var result = Advance(session, header, associatedData, body, newlySkipped);
        if (!result.Succeeded)
        {
            return result;
        }

        if (used.OneTimePrekeyId is { } consumed)
        {
            OneTimePrekeys.Consume(consumed);
        }

        AddSession(session);
        skipped.AddRange(newlySkipped, now);
        ChooseSendingAfterNewSession(session);
        return result;
    }

    /// <summary>
    /// Runs the ratchet on <paramref name="working"/> (a copy or a new session) and opens the body. On any
    /// failure the working session and the keys it skipped are wiped, so the caller's state is untouched.
    /// </summary>
    private DecryptResult Advance(RatchetSession working, RatchetHeader header, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> body, List<SkippedKey> newlySkipped)
    {
        var failure = working.Advance(header, maxSkip, newlySkipped, out var messageKey);
        var result = failure is { } refused ? DecryptResult.Fail(refused) : Open(messageKey, associatedData, body);
        Kdf.Wipe(messageKey);
        if (!result.Succeeded)
        {
            working.Dispose();
            newlySkipped.ForEach(key => Kdf.Wipe(key.Key));
        }

        return result;
    }

    // The padded plaintext of a message up to this size is opened on the stack (a chat line is a few hundred bytes).
    private const int StackPlaintext = 1024;

    private static DecryptResult Open(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> body)
    {
        var paddedLength = body.Length - MessageCipher.TagSize;
        if (paddedLength < 0)
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        var padded = paddedLength <= StackPlaintext ? stackalloc byte[paddedLength] : new byte[paddedLength];
        try
        {
            if (!MessageCipher.OpenInto(messageKey, associatedData, body, padded, KdfLabels.Message))
            {
                return DecryptResult.Fail(DecryptFailure.Invalid);
            }

            return Padding.TryUnpad(padded, out var plaintext)
                ? DecryptResult.Success(plaintext)
                : DecryptResult.Fail(DecryptFailure.Malformed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    /// <summary>
    /// Both sides must send on the same session, or each keeps ratcheting one the other never replies on.
    /// A new session from the peer becomes our sending session, except in a simultaneous start: if our own
    /// session is still unanswered, the session started by the name that sorts first (ordinal) wins, and
    /// the peer, applying the same rule, switches to it when our prekey message arrives.
    /// </summary>
    private void ChooseSendingAfterNewSession(RatchetSession theirs)
    {
        if (sendingTo.TryGetValue(theirs.Peer, out var id) && sessions.TryGetValue(id, out var ours)
            && ours.PendingPrekey is not null
            && ours.PeerIdentity.SameKeysAs(theirs.PeerIdentity)
            && string.CompareOrdinal(MyName, theirs.Peer) < 0)
        {
            return;
        }

        sendingTo[theirs.Peer] = theirs.Id;
    }
}
