using Akka.Actor;
using Akka.Event;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;
using Entice.Crypto.Storage;
using Entice.Crypto.Primitives;

namespace Entice.Client.Keys;

/// <summary>
/// One state. Loads the identity from the key directory when it starts (again after a restart: nothing
/// disposable comes in through the Props). Owns the identity, the session book (sessions, signed and one-time prekeys, skipped keys)
/// and the pin store. The book is kept in the key directory (sessions.bin, sealed under the passphrase if
/// there is one) and restored at start, so a restarted client continues its conversations. It is saved
/// before any answer that depends on the change leaves the actor (a sent message must never reuse a
/// message key after a crash, a shown one never be shown again): answers are held while a save is due,
/// and one save covers everything already in the mailbox. Logs never include plaintext, keys or
/// ciphertext: only names and outcomes. A request that throws is answered with an error before the restart
/// (<see cref="PreRestart"/>), so the asker never waits for an answer that will not come.
/// </summary>
internal sealed class CryptoAgentActor : ReceiveActor
{
    private const int MaxHeldPerPeer = 256;
    private static readonly TimeSpan DefaultRotation = TimeSpan.FromDays(7);
    private const int DefaultSessionResetAfter = 2;
    private const int DefaultMaxSkipPerPeer = 250;
    private const int DefaultThrottleAfter = 5;
    private readonly int _prekeyBatch;
    private readonly int _prekeyLow;
    private readonly Dictionary<string, OneTimePrekey> _offered = new(StringComparer.Ordinal);
    private bool _publishing;

    private readonly string _name;
    private readonly IdentityKeys _identity;
    private readonly KeyDirectory _keys;
    private readonly SessionBook _sessions;
    private readonly Func<DateTimeOffset> _clock;
    private readonly TimeSpan _rotation;
    private readonly int _resetAfter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _blocked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<CryptoAgent.Decrypt>> _held = new(StringComparer.Ordinal);
    private readonly CryptoAgentThrottle _throttle;

    // The request being handled and who asked: answered with an error if handling it throws.
    private (IActorRef Sender, object Request)? _handling;

    // Consecutive unreadable messages per peer that point at stale state (a session or prekey we do not hold);
    // peers to whom we started a new session for that (no second notice until a message from or to them goes
    // through). Unauthenticated, so all that follows is a new session on our next message: nothing is dropped.
    private readonly Dictionary<string, int> _staleFailures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reset = new(StringComparer.Ordinal);

    // Answers held until the state they depend on is saved.
    private readonly List<(IActorRef To, object Message)> _pending = [];
    private bool _dirty;
    private bool _saveScheduled;
    private IdentityBundle _bundle;
    private (uint Id, DateTimeOffset CreatedAt) _prekeyInfo;

    public CryptoAgentActor(string name, KeyDirectory keys, CryptoAgent.Options options)
    {
        _name = name;
        _keys = keys;
        var identity = _identity = keys.LoadOrCreateIdentity(out _);
        _clock = options.Clock ?? (() => DateTimeOffset.UtcNow);
        var config = Context.System.Settings.Config;
        _rotation = options.SignedPrekeyRotation ?? config.GetTimeSpan("entice.client.signed-prekey-rotation", DefaultRotation, allowInfinite: true);
        var grace = options.SignedPrekeyGracePeriod ?? config.GetTimeSpan("entice.client.signed-prekey-grace-period", SessionBook.DefaultSignedPrekeyGracePeriod, allowInfinite: false);
        _resetAfter = Math.Max(1, options.SessionResetAfter ?? config.GetInt("entice.client.session-reset-after", DefaultSessionResetAfter));
        _prekeyBatch = Math.Clamp(options.OneTimePrekeys ?? config.GetInt("entice.client.one-time-prekeys", 100), 1, 200);
        _prekeyLow = Math.Clamp(options.OneTimePrekeysLow ?? config.GetInt("entice.client.one-time-prekeys-low", 20), 0, _prekeyBatch);
        var perPeer = Math.Max(0, options.MaxSkipPerPeer ?? config.GetInt("entice.client.max-skip-per-peer", DefaultMaxSkipPerPeer));
        var newSession = Math.Max(0, options.MaxSkipNewSession ?? config.GetInt("entice.client.max-skip-new-session", SessionBook.DefaultMaxSkipNewSession));
        _throttle = new CryptoAgentThrottle(
            Math.Max(1, options.ThrottleAfter ?? config.GetInt("entice.client.throttle-after", DefaultThrottleAfter)),
            options.ThrottleInterval ?? config.GetTimeSpan("entice.client.throttle-interval", TimeSpan.FromSeconds(1), allowInfinite: false),
            _clock);

        try
        {
            var saved = keys.LoadSessions();
            if (saved is not null)
            {
                try
                {
                    _sessions = SessionBook.Import(identity, name, saved, options.MaxSkip, clock: _clock, signedPrekeyGracePeriod: grace,
                        maxSkipPerPeer: perPeer, maxSkipNewSession: newSession);
                }
                finally
                {
                    Array.Clear(saved);
                }
                _prekeyInfo = ReadPrekeyInfo();
                _log.Info("Restored the saved sessions of {Name}", name);
            }
            else
            {
                using var prekey = SignedPrekey.Create(identity, NewPrekeyId());
                _sessions = new SessionBook(identity, name, prekey, options.MaxSkip, clock: _clock, signedPrekeyGracePeriod: grace,
                    maxSkipPerPeer: perPeer, maxSkipNewSession: newSession);
                _prekeyInfo = (prekey.Id, _clock());
                WritePrekeyInfo();
                _dirty = true;
            }
            RotateIfDue();
            _bundle = _sessions.CreateBundle();
            // Before anyone sees the bundle: a prekey we publish must survive a crash.
            Save();
        }
        catch
        {
            _sessions?.Dispose();
            identity.Dispose();
            throw;
        }

        Receive<CryptoAgent.GetIdentity>(_ =>
        {
            RotateIfDue();
            Answer(new CryptoAgent.IdentityInfo(_bundle, _identity.Public.Fingerprint));
        });
        Receive<CryptoAgent.SignHello>(s => Answer(new CryptoAgent.HelloSigned(IdentitySignatures.SignHello(_identity, s.Challenge, _name))));
        Receive<CryptoAgent.ObservePeer>(o =>
        {
            var status = Observe(o.Peer);
            var verified = status is PeerKeyStatus.New or PeerKeyStatus.Known && _keys.Pins.IsVerified(o.Peer.Name);
            var needsSession = status is PeerKeyStatus.New or PeerKeyStatus.Known
                && !_offered.ContainsKey(o.Peer.Name) && _sessions.NeedsNewSession(new PeerKeys(o.Peer.Name, o.Peer.Identity));
            Answer(new CryptoAgent.PeerObserved(o.Peer.Name, status, verified, needsSession));
        });
        Receive<CryptoAgent.GetPrekeysToPublish>(_ =>
        {
            _publishing = true;
            Answer(PrekeysToPublish());
        });
        Receive<CryptoAgent.ProvidePrekey>(p =>
        {
            // From the relay, unsigned: a low-order or malformed one would only make the X3DH fail.
            if (PublicKeyCheck.IsUsableX25519(p.Prekey.PublicKey))
                _offered[p.Peer] = p.Prekey;
            else
                _log.Warning("The server gave an unusable one-time prekey for {Peer}; starting without one", p.Peer);
        });
        Receive<CryptoAgent.MarkVerified>(OnMarkVerified);
        Receive<CryptoAgent.Encrypt>(e =>
        {
            _handling = (Sender, e);
            OnEncrypt(e);
            _handling = null;
        });
        Receive<CryptoAgent.Decrypt>(d =>
        {
            _handling = (Sender, d);
            Answer(OnDecrypt(d));
            _handling = null;
            // Sessions started with us used up one-time prekeys: offer a fresh batch before they run out.
            if (_publishing && _sessions.OneTimePrekeys.Remaining < _prekeyLow)
                Answer(PrekeysToPublish());
        });
        Receive<CryptoAgent.ComputeSafetyNumber>(c => Answer(new CryptoAgent.SafetyNumberComputed(c.Peer.Name,
            SafetyNumber.ForIdentities(_identity.Public, _name, PublicIdentity.FromBundle(c.Peer.Identity), c.Peer.Name))));
        Receive<CryptoAgent.Trust>(OnTrust);
        Receive<SaveNow>(_ => Flush());
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // The request that failed gets its answer (an error naming the peer); every other conversation goes on
        // in the restarted actor, which loads the keys and the saved sessions again.
        if (_handling is { } failed)
        {
            _log.Error("Handling a request failed ({Error}); answering it with an error and restarting with the saved state", reason.GetType().Name);
            object answer = failed.Request switch
            {
                CryptoAgent.Encrypt e => new CryptoAgent.EncryptRefused(e.Recipient.Name, CryptoAgent.InvalidKeyCode,
                    $"not sent to {e.Recipient.Name}: encrypting to them failed", e.EnvelopeId),
                CryptoAgent.Decrypt d => new CryptoAgent.DecryptRejected(d.Sender.Name, ErrorCodes.DecryptFailed,
                    $"a message from {d.Sender.Name} could not be handled; not shown", d.Ticket),
                _ => null!,
            };
            if (answer is not null)
                _pending.Add((failed.Sender, answer));
        }
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        Flush();
        _sessions.Dispose();
        _identity.Dispose();
    }

    private sealed record SaveNow
    {
        public static readonly SaveNow Instance = new();
    }

    /// <summary>Reply to the current sender, after the pending save if one is due (answers keep their order).</summary>
    private void Answer(object message)
    {
        if (_saveScheduled)
            _pending.Add((Sender, message));
        else
            Sender.Tell(message);
    }

    private CryptoAgent.PrekeysToPublish PrekeysToPublish()
    {
        if (_sessions.OneTimePrekeys.TopUp(_prekeyBatch).Count > 0)
            Changed();
        return new CryptoAgent.PrekeysToPublish(
            _sessions.OneTimePrekeys.PublicKeys.Select(p => new OneTimePrekey(p.Id, p.PublicKey)).ToList());
    }

    /// <summary>The book changed: save it once the messages already in the mailbox are handled.</summary>
    private void Changed()
    {
        _dirty = true;
        if (_saveScheduled)
            return;
        _saveScheduled = true;
        Self.Tell(SaveNow.Instance);
    }

    private void Flush()
    {
        Save();
        _saveScheduled = false;
        foreach (var (to, message) in _pending)
            to.Tell(message, Self);
        _pending.Clear();
    }

    private void Save()
    {
        if (!_dirty)
            return;
        var state = _sessions.Export();
        try
        {
            _keys.SaveSessions(state);
            _dirty = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptoException)
        {
            // Kept dirty: the next change tries again, and PostStop once more.
            _log.Error("Could not save the session state to the key directory: {Error}", ex.Message);
        }
        finally
        {
            Array.Clear(state);
        }
    }

    private void RotateIfDue()
    {
        var now = _clock();
        if (_rotation == Timeout.InfiniteTimeSpan || now - _prekeyInfo.CreatedAt < _rotation)
            return;
        using var prekey = SignedPrekey.Create(_identity, NewPrekeyId());
        _sessions.AddSignedPrekey(prekey);
        _log.Info("Rotated the signed prekey (#{Old} -> #{New})", _prekeyInfo.Id, prekey.Id);
        _prekeyInfo = (prekey.Id, now);
        _bundle = _sessions.CreateBundle();
        WritePrekeyInfo();
        Changed();
    }

    private uint NewPrekeyId()
    {
        // Random, so a restored old copy of the key directory cannot reissue an id a peer has seen.
        uint id;
        do
            id = (uint)Random.Shared.Next(1, int.MaxValue);
        while (_sessions is not null && id == _sessions.CurrentSignedPrekeyId);
        return id;
    }

    /// <summary>When the current signed prekey was made; an unknown or mismatching record counts as now.</summary>
    private (uint Id, DateTimeOffset CreatedAt) ReadPrekeyInfo()
    {
        var current = _sessions.CurrentSignedPrekeyId;
        try
        {
            var parts = File.ReadAllText(Path.Combine(_keys.Path, CryptoAgent.PrekeyInfoFileName)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && uint.TryParse(parts[0], out var id) && id == current
                && long.TryParse(parts[1], out var ms) && ms >= 0 && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                return (id, DateTimeOffset.FromUnixTimeMilliseconds(ms));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        var info = (current, _clock());
        _prekeyInfo = info;
        WritePrekeyInfo();
        return info;
    }

    private void WritePrekeyInfo()
    {
        try
        {
            KeyFiles.WritePrivateFileAtomic(Path.Combine(_keys.Path, CryptoAgent.PrekeyInfoFileName),
                System.Text.Encoding.ASCII.GetBytes($"{_prekeyInfo.Id} {_prekeyInfo.CreatedAt.ToUnixTimeMilliseconds()}\n"), overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Could not record the signed prekey's age: {Error}", ex.Message);
        }
    }

    private PeerKeyStatus Observe(MemberInfo peer)
    {
        if (!IdentitySignatures.VerifyBundle(peer.Identity))
        {
            // Refused, and nothing else: the pin and the block list stay as they were, so the relay cannot turn
            // one bad announcement into a false KEY CHANGED for the valid keys that follow.
            _log.Warning("Keys announced for {Peer} do not verify or are unusable; refusing them", peer.Name);
            return PeerKeyStatus.Invalid;
        }
        switch (_keys.Pins.Check(peer.Name, PublicIdentity.FromBundle(peer.Identity)))
        {
            case PinStatus.New:
                return PeerKeyStatus.New;
            case PinStatus.Same:
                return _blocked.Contains(peer.Name) ? PeerKeyStatus.Changed : PeerKeyStatus.Known;
            default:
                _log.Warning("The identity key of {Peer} changed; nothing is sent to them until the user trusts it", peer.Name);
                _blocked.Add(peer.Name);
                _sessions.ForgetPeer(peer.Name);
                Changed();
                return PeerKeyStatus.Changed;
        }
    }

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

    private object OnDecrypt(CryptoAgent.Decrypt d)
    {
        var from = d.Sender.Name;
        if (_blocked.Contains(from))
        {
            var queue = _held.TryGetValue(from, out var q) ? q : _held[from] = new Queue<CryptoAgent.Decrypt>();
            if (queue.Count < MaxHeldPerPeer)
                queue.Enqueue(d);
            return new CryptoAgent.DecryptHeld(from, d.Ticket);
        }

        var env = d.Envelope;
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
        {
            _log.Warning("Rejected envelope {EnvelopeId} from {Peer}: {Failure}", env.Id, from, result.Failure);
            if (expensive)
                _throttle.Failed(from);
            // A forged session start fails authentication too; only a failure on a session we hold hints at stale state.
            if (!(expensive && result.Failure == DecryptFailure.Invalid) && StaleStateSuspected(from, result.Failure.Value))
            {
                // Unauthenticated evidence: nothing is dropped (the messages may be forged). Our next message
                // to the peer starts a new session, which a peer whose state is newer than ours then adopts.
                _log.Warning("Messages from {Peer} keep failing ({Failure}): our saved state may be older than the conversation; the next message to them starts a new session", from, result.Failure);
                _sessions.RenewSendingSession(from);
                _reset.Add(from);
                _staleFailures.Remove(from);
                Changed();
                return new CryptoAgent.DecryptRejected(from, CryptoAgent.SessionResetCode,
                    $"messages from {from} could not be read (this key directory may be older than the conversation); a new session starts with your next message to {from}",
                    d.Ticket);
            }
            var code = result.Failure == DecryptFailure.Replay ? ErrorCodes.Replay : ErrorCodes.DecryptFailed;
            return new CryptoAgent.DecryptRejected(from, code, Describe(result.Failure.Value, from), d.Ticket);
        }
        _staleFailures.Remove(from);
        _reset.Remove(from);
        _throttle.Succeeded(from);
        Changed();
        if (!ChatPlaintext.TryDecode(result.Plaintext, out var plaintext))
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, $"a message from {from} decrypted to something unreadable", d.Ticket);
        return new CryptoAgent.Decrypted(env.Room, from, env.Direct, plaintext, d.Ticket) { Conversation = context.Conversation };
    }

    // Only the key the user compared can be marked: the pinned one, which must be the one announced now.
    private void OnMarkVerified(CryptoAgent.MarkVerified m)
    {
        var name = m.Peer.Name;
        if (_blocked.Contains(name) || _keys.Pins.Check(name, PublicIdentity.FromBundle(m.Peer.Identity)) != PinStatus.Same)
        {
            Answer(new CryptoAgent.VerificationRefused(name, $"the key of {name} changed; compare the new safety number (/verify {name}) and /trust {name} first"));
            return;
        }
        _keys.Pins.MarkVerified(name);
        Answer(new CryptoAgent.VerificationRecorded(name));
    }

    private void OnTrust(CryptoAgent.Trust t)
    {
        var name = t.Peer.Name;
        if (!IdentitySignatures.VerifyBundle(t.Peer.Identity))
        {
            Answer(new CryptoAgent.EncryptRefused(name, ErrorCodes.UntrustedKey, $"the keys announced for {name} do not verify and cannot be trusted"));
            return;
        }
        _keys.Pins.Accept(name, PublicIdentity.FromBundle(t.Peer.Identity));
        _blocked.Remove(name);
        _sessions.ForgetPeer(name);
        // A one-time prekey fetched for this name before is the previous identity's: a session started
        // with it could not be read by the new one.
        _offered.Remove(name);
        _staleFailures.Remove(name);
        _reset.Remove(name);
        Changed();
        Answer(new CryptoAgent.TrustAccepted(name));
        if (_held.Remove(name, out var held))
        {
            foreach (var d in held)
                Answer(OnDecrypt(d with { Sender = t.Peer }));
        }
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
