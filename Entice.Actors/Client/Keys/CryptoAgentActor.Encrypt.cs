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
        var to = e.Recipient.Name;
        if (!IdentitySignatures.VerifyBundle(e.Recipient.Identity))
        {
            Answer(new CryptoAgent.EncryptRefused(to, CryptoAgent.InvalidKeyCode,
                $"not sent to {to}: the keys the server announced for them are invalid (a bad signature or an unusable key)", e.EnvelopeId));
            return;
        }

        if (_blocked.Contains(to) || _keys.Pins.Check(to, PublicIdentity.FromBundle(e.Recipient.Identity)) == PinStatus.Changed)
        {
            _blocked.Add(to);
            Answer(new CryptoAgent.EncryptRefused(to, ErrorCodes.UntrustedKey,
                $"not sent to {to}: their key changed. Compare safety numbers (/verify {to}), then /trust {to} to accept it", e.EnvelopeId));
            return;
        }

        var context = new MessageContext(e.Room, _name, to, e.Direct, e.EnvelopeId);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Receipts are not numbered: a gap among them means nothing to a reader.
        var plaintext = (e.ReceiptFor is { } ids
            ? ChatPlaintext.Receipt(0, now, ids)
            : new ChatPlaintext(_sessions.NextSendSequence(to, context.Conversation), now, e.Text)).Encode();
        // A one-time prekey fetched for this peer goes into the session start (X3DH's fourth DH); if a
        // session already exists it is simply not needed.
        _offered.Remove(to, out var oneTime);
        byte[] ciphertext;
        try
        {
            ciphertext = _sessions.Encrypt(
                new PeerKeys(to, e.Recipient.Identity, oneTime is null ? null : (oneTime.Id, oneTime.PublicKey)), context, plaintext);
        }
        catch (CryptoException ex)
        {
            _log.Warning("Encrypting to {Peer} failed: {Error}", to, ex.Message);
            Answer(new CryptoAgent.EncryptRefused(to, CryptoAgent.InvalidKeyCode, $"not sent to {to}: their keys cannot be used ({ex.Message.TrimEnd('.')})", e.EnvelopeId));
            return;
        }
        finally
        {
            Array.Clear(plaintext);
        }

        // After a reset this started a new session: the peer can read us again.
        _reset.Remove(to);
        Changed();
        Answer(new CryptoAgent.Encrypted(new Envelope(e.Room, _name, to, e.EnvelopeId, e.Direct, ciphertext)));
    }
}
