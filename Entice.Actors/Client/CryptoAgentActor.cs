using Akka.Actor;
using Akka.Event;
using Entice.Crypto;
using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// One state. Owns the identity, the session book (sessions, signed and one-time prekeys, skipped keys)
/// and the pin store. The book is kept in the key directory (sessions.bin, sealed under the passphrase if
/// there is one) and restored at start, so a restarted client continues its conversations. It is saved
/// before any answer that depends on the change leaves the actor (a sent message must never reuse a
/// message key after a crash, a shown one never be shown again): answers are held while a save is due,
/// and one save covers everything already in the mailbox. Logs never include plaintext, keys or
/// ciphertext: only names and outcomes.
/// </summary>
internal sealed class CryptoAgentActor : ReceiveActor
{
    private const int MaxHeldPerPeer = 256;
    private static readonly TimeSpan DefaultRotation = TimeSpan.FromDays(7);
    private const int DefaultSessionResetAfter = 2;
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
    private readonly Dictionary<string, ulong> _sendSequence = new(StringComparer.Ordinal);

    // Consecutive unreadable messages per peer that point at stale state; peers whose sessions we reset
    // (no second warning until a message from or to them goes through).
    private readonly Dictionary<string, int> _staleFailures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reset = new(StringComparer.Ordinal);

    // Answers held until the state they depend on is saved.
    private readonly List<(IActorRef To, object Message)> _pending = [];
    private bool _dirty;
    private bool _saveScheduled;
    private IdentityBundle _bundle;
    private (uint Id, DateTimeOffset CreatedAt) _prekeyInfo;

    public CryptoAgentActor(string name, IdentityKeys identity, KeyDirectory keys, CryptoAgent.Options options)
    {
        _name = name;
        _identity = identity;
        _keys = keys;
        _clock = options.Clock ?? (() => DateTimeOffset.UtcNow);
        var config = Context.System.Settings.Config;
        _rotation = options.SignedPrekeyRotation ?? config.GetTimeSpan("entice.client.signed-prekey-rotation", DefaultRotation, allowInfinite: true);
        var grace = options.SignedPrekeyGracePeriod ?? config.GetTimeSpan("entice.client.signed-prekey-grace-period", SessionBook.DefaultSignedPrekeyGracePeriod, allowInfinite: false);
        _resetAfter = Math.Max(1, options.SessionResetAfter ?? config.GetInt("entice.client.session-reset-after", DefaultSessionResetAfter));
        _prekeyBatch = Math.Clamp(options.OneTimePrekeys ?? config.GetInt("entice.client.one-time-prekeys", 100), 1, 200);
        _prekeyLow = Math.Clamp(options.OneTimePrekeysLow ?? config.GetInt("entice.client.one-time-prekeys-low", 20), 0, _prekeyBatch);

        try
        {
            var saved = keys.LoadSessions();
            if (saved is not null)
            {
                try
                {
                    _sessions = SessionBook.Import(identity, name, saved, options.MaxSkip, clock: _clock, signedPrekeyGracePeriod: grace);
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
                _sessions = new SessionBook(identity, name, prekey, options.MaxSkip, clock: _clock, signedPrekeyGracePeriod: grace);
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
        Receive<CryptoAgent.ProvidePrekey>(p => _offered[p.Peer] = p.Prekey);
        Receive<CryptoAgent.MarkVerified>(OnMarkVerified);
        Receive<CryptoAgent.Encrypt>(OnEncrypt);
        Receive<CryptoAgent.Decrypt>(d =>
        {
            Answer(OnDecrypt(d));
            // Sessions started with us used up one-time prekeys: offer a fresh batch before they run out.
            if (_publishing && _sessions.OneTimePrekeys.Remaining < _prekeyLow)
                Answer(PrekeysToPublish());
        });
        Receive<CryptoAgent.ComputeSafetyNumber>(c => Answer(new CryptoAgent.SafetyNumberComputed(c.Peer.Name,
            SafetyNumber.ForIdentities(_identity.Public, _name, PublicIdentity.FromBundle(c.Peer.Identity), c.Peer.Name))));
        Receive<CryptoAgent.Trust>(OnTrust);
        Receive<SaveNow>(_ => Flush());
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
            _log.Warning("Keys announced for {Peer} do not verify; refusing them", peer.Name);
            _blocked.Add(peer.Name);
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
        if (_blocked.Contains(to) || _keys.Pins.Check(to, PublicIdentity.FromBundle(e.Recipient.Identity)) == PinStatus.Changed)
        {
            _blocked.Add(to);
            Answer(new CryptoAgent.EncryptRefused(to, ErrorCodes.UntrustedKey,
                $"not sent to {to}: their key changed. Compare safety numbers (/verify {to}), then /trust {to} to accept it", e.EnvelopeId));
            return;
        }

        var sequence = _sendSequence.GetValueOrDefault(to) + 1;
        _sendSequence[to] = sequence;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var plaintext = (e.ReceiptFor is { } ids ? ChatPlaintext.Receipt(sequence, now, ids) : new ChatPlaintext(sequence, now, e.Text)).Encode();
        var context = new MessageContext(e.Room, _name, to, e.Direct);
        // A one-time prekey fetched for this peer goes into the session start (X3DH's fourth DH); if a
        // session already exists it is simply not needed.
        _offered.Remove(to, out var oneTime);
        var ciphertext = _sessions.Encrypt(
            new PeerKeys(to, e.Recipient.Identity, oneTime is null ? null : (oneTime.Id, oneTime.PublicKey)), context, plaintext);
        Array.Clear(plaintext);
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
        // The recipient in the context is always us: a message routed to someone else must not open.
        var context = new MessageContext(env.Room, from, _name, env.Direct);
        var result = _sessions.Decrypt(new PeerKeys(from, d.Sender.Identity), context, env.Ciphertext);
        if (!result.Succeeded)
        {
            _log.Warning("Rejected envelope {EnvelopeId} from {Peer}: {Failure}", env.Id, from, result.Failure);
            if (StaleStateSuspected(from, result.Failure.Value))
            {
                _log.Warning("Messages from {Peer} keep failing ({Failure}): our saved state is older than the conversation; resetting its sessions", from, result.Failure);
                _sessions.ForgetPeer(from);
                _reset.Add(from);
                _staleFailures.Remove(from);
                Changed();
                return new CryptoAgent.DecryptRejected(from, CryptoAgent.SessionResetCode,
                    $"messages from {from} could not be read: this key directory is older than the conversation; a new session is being set up (it starts with your next message to {from})",
                    d.Ticket);
            }
            var code = result.Failure == DecryptFailure.Replay ? ErrorCodes.Replay : ErrorCodes.DecryptFailed;
            return new CryptoAgent.DecryptRejected(from, code, Describe(result.Failure.Value, from), d.Ticket);
        }
        _staleFailures.Remove(from);
        _reset.Remove(from);
        Changed();
        if (!ChatPlaintext.TryDecode(result.Plaintext, out var plaintext))
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, $"a message from {from} decrypted to something unreadable", d.Ticket);
        return new CryptoAgent.Decrypted(env.Room, from, env.Direct, plaintext, d.Ticket);
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
