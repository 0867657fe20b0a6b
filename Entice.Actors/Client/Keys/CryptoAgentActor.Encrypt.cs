using Akka.Event;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Client.Keys;

/// <summary>
/// The sending path: refuse keys that do not verify or changed (see <c>.Pins</c>), number the message in its
/// conversation, encrypt on the sending session (starting one with an offered one-time prekey when needed),
/// answer <see cref="CryptoAgent.Encrypted"/> after the save. No state of its own beyond the book.
/// </summary>
internal sealed partial class CryptoAgentActor
{
    private void OnEncrypt(CryptoAgent.Encrypt e)
    {
        var context = new MessageContext(e.Room, _name, e.Recipient.Name, e.Direct, e.EnvelopeId);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var answer = EncryptPairwise(e.Recipient, context, () => (e.ReceiptFor is { } ids
            ? ChatPlaintext.Receipt(0, now, ids)
            : new ChatPlaintext(_sessions.NextSendSequence(e.Recipient.Name, context.Conversation), now, e.Text)).Encode(), distribution: false);
        if (answer is CryptoAgent.Encrypted && !_sessions.SendNeedsSave)
            AnswerNow(answer); // inside the saved reservation: no key of it can be used again after a crash
        else
            Answer(answer);
    }

    /// <summary>
    /// One pairwise envelope to <paramref name="recipient"/>: <see cref="CryptoAgent.Encrypted"/>, or the refusal
    /// (keys that do not verify, a changed key not trusted yet). <paramref name="plaintext"/> is made only once
    /// the recipient passed (a refused message takes no sequence number) and wiped after use.
    /// </summary>
    private object EncryptPairwise(MemberInfo recipient, MessageContext context, Func<byte[]> plaintext, bool distribution)
    {
        var to = recipient.Name;
        var envelopeId = context.EnvelopeId;
        // Verified once per bundle object (the book's cache): two Ed25519 verifications per message were ~100 µs.
        if (!_sessions.VerifiedOnce(recipient.Identity))
        {
            return new CryptoAgent.EncryptRefused(to, CryptoAgent.InvalidKeyCode,
                $"not sent to {to}: the keys the server announced for them are invalid (a bad signature or an unusable key)", envelopeId, distribution);
        }

        if (_blocked.Contains(to) || _keys.Pins.Check(to, PublicIdentity.FromBundle(recipient.Identity)) == PinStatus.Changed)
        {
            _blocked.Add(to);
            return new CryptoAgent.EncryptRefused(to, ErrorCodes.UntrustedKey,
                $"not sent to {to}: their key changed. Compare safety numbers (/verify {to}), then /trust {to} to accept it", envelopeId, distribution);
        }

        // Receipts are not numbered: a gap among them means nothing to a reader.
        var bytes = plaintext();
        // A one-time prekey fetched for this peer goes into the session start (X3DH's fourth DH); if a
        // session already exists it is simply not needed.
        _offered.Remove(to, out var oneTime);
        byte[] ciphertext;
        try
        {
            ciphertext = _sessions.Encrypt(
                new PeerKeys(to, recipient.Identity, oneTime is null ? null : (oneTime.Id, oneTime.PublicKey)), context, bytes);
        }
        catch (CryptoException ex)
        {
            _log.Warning("Encrypting to {Peer} failed: {Error}", to, ex.Message);
            return new CryptoAgent.EncryptRefused(to, CryptoAgent.InvalidKeyCode, $"not sent to {to}: their keys cannot be used ({ex.Message.TrimEnd('.')})", envelopeId, distribution);
        }
        finally
        {
            Array.Clear(bytes);
        }

        // After a reset this started a new session: the peer can read us again.
        _reset.Remove(to);
        if (_sessions.SendNeedsSave || distribution)
            Changed(); // a new session, past the saved reservation, or a new sender key: the answer waits for a durable save
        else if (_sessions.ReservationLow)
            Changed(); // the next reservation, early: this answer does not wait for it
        else
            _sendsUnsaved = true;
        return new CryptoAgent.Encrypted(new Envelope(context.Room, _name, to, envelopeId, context.Direct, ciphertext), distribution);
    }
}
