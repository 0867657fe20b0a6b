using Akka.Event;
using Entice.Wire;
using Entice.Crypto.Group;
using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;

namespace Entice.Client.Keys;

/// <summary>
/// The receiving path: hold messages from a peer whose key changed (released by <c>.Pins</c> on trust), throttle
/// forged session starts, decrypt, and notice stale state (failures that repeat because this key directory is
/// older than the conversation: the next message to the peer then starts a new session). Answers
/// <see cref="CryptoAgent.Decrypted"/> after the save.
/// </summary>
internal sealed partial class CryptoAgentActor
{
    private const int MaxHeldPerPeer = 256;
    private readonly int _resetAfter;
    private readonly CryptoAgentThrottle _throttle;

    // Consecutive unreadable messages per peer that point at stale state (a session or prekey we do not hold);
    // peers to whom we started a new session for that (no second notice until a message from or to them goes
    // through). Unauthenticated, so all that follows is a new session on our next message: nothing is dropped.
    private readonly Dictionary<string, int> _staleFailures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reset = new(StringComparer.Ordinal);

    private object OnDecrypt(CryptoAgent.Decrypt d)
    {
        var from = d.Sender.Name;
        if (_blocked.Contains(from))
        {
            var queue = _heldFromBlocked.TryGetValue(from, out var q) ? q : _heldFromBlocked[from] = new Queue<CryptoAgent.Decrypt>();
            if (queue.Count < MaxHeldPerPeer)
                queue.Enqueue(d);
            return new CryptoAgent.DecryptHeld(from, d.Ticket);
        }

        var env = d.Envelope;
        if (env.Recipient.Length == 0)
            return OnRoomMessage(d);
        // The recipient in the context is always us: a message routed to someone else must not open. The
        // envelope id is bound too: a relay that rewrites it makes the message fail here, visibly.
        var context = new MessageContext(env.Room, from, _name, env.Direct, env.Id);
        var expensive = _sessions.StartsNewSession(from, env.Ciphertext);
        if (expensive && !_throttle.MayTry(from))
        {
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed,
                $"a message from {from} was not tried: too many unreadable messages from {from} in a row (forged?); trying one a second", d.Ticket);
        }

        var result = _sessions.Decrypt(new PeerKeys(from, d.Sender.Identity), context, env.Ciphertext);
        if (!result.Succeeded)
            return Rejected(d, result.Failure!.Value, expensive);
        _staleFailures.Remove(from);
        _reset.Remove(from);
        _throttle.Succeeded(from);
        // Shown after a write of the files, not their fsync; one the relay stored waits for the fsync (its ack deletes it).
        Changed(durable: d.Durable || _sessions.SendNeedsSave);
        if (result.Plaintext is [SenderKeyDistribution.Version, ..])
            return TakeSenderKey(d, result.Plaintext);
        if (!ChatPlaintext.TryDecode(result.Plaintext, out var plaintext))
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, $"a message from {from} decrypted to something unreadable", d.Ticket);
        return new CryptoAgent.Decrypted(env.Room, from, env.Direct, plaintext, d.Ticket) { Conversation = context.Conversation };
    }

    private CryptoAgent.DecryptRejected Rejected(CryptoAgent.Decrypt d, DecryptFailure failure, bool expensive)
    {
        var from = d.Sender.Name;
        _log.Warning("Rejected envelope {EnvelopeId} from {Peer}: {Failure}", d.Envelope.Id, from, failure);
        if (expensive)
            _throttle.Failed(from);
        // A forged session start fails authentication too; only a failure on a session we hold hints at stale state.
        if (!(expensive && failure == DecryptFailure.Invalid) && StaleStateSuspected(from, failure))
        {
            // Unauthenticated evidence: nothing is dropped (the messages may be forged). Our next message
            // to the peer starts a new session, which a peer whose state is newer than ours then adopts.
            _log.Warning("Messages from {Peer} keep failing ({Failure}): our saved state may be older than the conversation; the next message to them starts a new session", from, failure);
            _sessions.RenewSendingSession(from);
            _reset.Add(from);
            _staleFailures.Remove(from);
            Changed();
            return new CryptoAgent.DecryptRejected(from, CryptoAgent.SessionResetCode,
                $"messages from {from} could not be read (this key directory may be older than the conversation); a new session starts with your next message to {from}",
                d.Ticket);
        }
        var code = failure == DecryptFailure.Replay ? ErrorCodes.Replay : ErrorCodes.DecryptFailed;
        return new CryptoAgent.DecryptRejected(from, code, Describe(failure, from), d.Ticket);
    }

    /// <summary>
    /// Counts failures that a stale state produces (a session or prekey we do not hold, or a session that
    /// moved on without us) and says when they repeat. Once reset, a peer is not reset again until a
    /// message from or to it goes through.
    /// </summary>
    private bool StaleStateSuspected(string from, DecryptFailure failure)
    {
        if (failure is not (DecryptFailure.UnknownSession or DecryptFailure.UnknownPrekey or DecryptFailure.Invalid))
            return false;
        if (_reset.Contains(from))
            return false;
        var count = _staleFailures.GetValueOrDefault(from) + 1;
        _staleFailures[from] = count;
        return count >= _resetAfter;
    }

    private static string Describe(DecryptFailure failure, string from) => failure switch
    {
        DecryptFailure.Replay => $"a message from {from} was a replay of one already shown; ignored",
        DecryptFailure.TooFarAhead => $"a message from {from} is too far ahead of the conversation; ignored",
        DecryptFailure.UnknownPrekey => $"a message from {from} was sent to a prekey of ours that this client no longer holds (replaced and expired, or from a newer copy of this key directory); it cannot be read",
        DecryptFailure.UnknownSession => $"a message from {from} belongs to a conversation this client has no record of (its key directory was reset, replaced or restored from an older copy); it cannot be read",
        DecryptFailure.Malformed => $"a message from {from} is not a valid Entice ciphertext; not shown",
        _ => $"a message from {from} failed authentication (altered or forged); not shown",
    };
}
