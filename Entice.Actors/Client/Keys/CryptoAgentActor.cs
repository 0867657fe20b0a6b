using Akka.Actor;
using Akka.Event;
using Entice.Crypto.Group;
using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;
using Entice.Crypto.Storage;

namespace Entice.Client.Keys;

/// <summary>
/// The crypto actor: owns the identity, the session book (sessions, signed and one-time prekeys, skipped keys)
/// and the pin store, loaded from the key directory when it starts (again after a restart: nothing disposable
/// comes in through the Props). Its parts, one concept each: this file (start, states, saving),
/// <c>.Encrypt</c> (the sending path), <c>.Decrypt</c> (the receiving path, stale-state detection, throttle),
/// <c>.Prekeys</c> (signed prekey rotation, one-time prekeys), <c>.Pins</c> (pins, key changes, trust,
/// verification, held messages).
///
/// Answer only after the save: a sent message must never reuse a message key after a crash, a shown one never
/// be shown again, a pin answered (first contact, key change, trust, verification) never be missing. The book and
/// the pin log's appends (the pin store updates its memory at once and queues its file work) are written by a child, the <see cref="KeyWriterActor"/>, on its own dispatcher;
/// every answer waits until the state it depends on is on disk, in request order. States:
///
/// <code>
///              a request changed the book                SaveNow (after the messages already
///   ┌───────┐  (SaveNow to self; answers held)  ┌───────┐  in the mailbox: one write for all)  ┌────────┐
///   │ Clean │ ────────────────────────────────► │ Dirty │ ───────────────────────────────────► │ Saving │ ──┐ Saved, more changed
///   └───────┘                                   └───────┘                                      └────────┘ ◄─┘ meanwhile: next write
///       ▲   Saved (answers of that write go out), nothing changed since / SaveFailed (logged; answers go out,  │  (coalesced), its
///       └─────────────────────────────────────────────────────────────────────────────────────────────────────┘  answers go out
/// </code>
///
/// What "the save" means differs by what a crash could cost (docs/ARCHITECTURE.md, "Key saves"):
/// <list type="bullet">
/// <item>Sending: the file holds each sending chain reserved <c>send-reservation</c> steps ahead
/// (<see cref="SessionBook"/>), so an encrypt within the saved reservation is answered at once, with no write
/// (<see cref="AnswerNow"/>); one past it waits for a durable save as before, and one past half of it starts that
/// save early without waiting for it.</item>
/// <item>Receiving: a decrypt's answer waits for a write of the files but not for its fsync (temp file and
/// rename: a crash of the process keeps it, a power cut may lose the last second, and then a message is at
/// worst shown twice). The key writer flushes them at most every <c>key-sync-interval</c>, and at once for an
/// envelope the relay stored for us (<see cref="CryptoAgent.Decrypt.Durable"/>), since its acknowledgement
/// lets the relay delete it.</item>
/// <item>Everything else (sessions started, pins, prekeys, sender keys made or taken) is saved durably before
/// the answer, as before.</item>
/// </list>
///
/// Clean: answers go straight out. Dirty and Saving: every request is still handled at once (the book in
/// memory is the newest), its answer queued behind the write that covers it. The constructor starts in Saving
/// when it changed the book (a new book, a rotated prekey): the published prekey must survive a crash before
/// anyone sees the bundle. Stopping (or restarting) writes the newest state once more, synchronously, through
/// the same <see cref="SessionFileGate"/> (so an older write still finishing cannot overwrite it), then lets the
/// held answers go. A save that fails keeps the book dirty (the next change tries again) and, as before,
/// releases the answers rather than hang the chat. Logs never include plaintext, keys or ciphertext.
/// </summary>
internal sealed partial class CryptoAgentActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan DefaultRotation = TimeSpan.FromDays(7);
    private const int DefaultSessionResetAfter = 2;
    private const int DefaultMaxSkipPerPeer = 250;
    private const int DefaultThrottleAfter = 5;
    private const int DefaultSendReservation = 32;
    private static readonly TimeSpan DefaultKeySyncInterval = TimeSpan.FromSeconds(1);

    private readonly string _name;
    private readonly IdentityKeys _identity;
    private readonly KeyDirectory _keys;
    private readonly SessionBook _sessions;
    private readonly Func<DateTimeOffset> _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly SessionFileGate _gate = new();
    private readonly IActorRef _writer;
    private long _generation;
    private bool _dirty;
    // Answers waiting for the write in flight, and answers of requests handled since (the next write's).
    private List<(IActorRef To, object Message)>? _inFlight;
    private List<(IActorRef To, object Message)> _held = [];
    private bool _saveScheduled;
    // The next write must be flushed to disk before its answers go (anything but a decrypt asks for that).
    private bool _durableNeeded;
    // A write went out without fsync and no sync is scheduled yet; the sync timer's interval.
    private bool _syncPending;
    private readonly TimeSpan _syncInterval;
    // Live messages are answered before their save, with DecryptSaved after it (entice.client.show-before-save).
    private readonly bool _showBeforeSave;
    // Encrypts since the last write moved sending chains in memory only (inside the saved reservation).
    private bool _sendsUnsaved;
    // Whether the write in flight is flushed to disk (only then are the send reservations it carries relied on).
    private bool _inFlightDurable;

    public ITimerScheduler Timers { get; set; } = null!;

    // Our own sender keys are saved this many iterations ahead (the send reservation, bounded by their max-skip).
    private readonly int _senderKeyReservation;

    // The request being handled and who asked: answered with an error if handling it throws.
    private (IActorRef Sender, object Request)? _handling;

    public CryptoAgentActor(string name, KeyDirectory keys, CryptoAgent.Options options)
    {
        _name = name;
        _keys = keys;
        var identity = _identity = keys.LoadOrCreateIdentity(out _);
        _clock = options.Clock ?? (() => DateTimeOffset.UtcNow);
        var config = Context.System.Settings.Config;
        _senderKeyOptions = options.SenderKeys?.Validated() ?? SenderKeyOptions.FromConfig(config);
        _rotation = options.SignedPrekeyRotation ?? config.GetTimeSpan("entice.client.signed-prekey-rotation", DefaultRotation, allowInfinite: true);
        var grace = options.SignedPrekeyGracePeriod ?? config.GetTimeSpan("entice.client.signed-prekey-grace-period", SessionBook.DefaultSignedPrekeyGracePeriod, allowInfinite: false);
        _resetAfter = Math.Max(1, options.SessionResetAfter ?? config.GetInt("entice.client.session-reset-after", DefaultSessionResetAfter));
        _prekeyBatch = Math.Clamp(options.OneTimePrekeys ?? config.GetInt("entice.client.one-time-prekeys", 100), 1, 200);
        _prekeyLow = Math.Clamp(options.OneTimePrekeysLow ?? config.GetInt("entice.client.one-time-prekeys-low", 20), 0, _prekeyBatch);
        var perPeer = Math.Max(0, options.MaxSkipPerPeer ?? config.GetInt("entice.client.max-skip-per-peer", DefaultMaxSkipPerPeer));
        var newSession = Math.Max(0, options.MaxSkipNewSession ?? config.GetInt("entice.client.max-skip-new-session", SessionBook.DefaultMaxSkipNewSession));
        var reservation = SendReservation(options.SendReservation ?? config.GetInt("entice.client.send-reservation", DefaultSendReservation),
            Math.Min(options.MaxSkip, perPeer));
        _senderKeyReservation = Math.Min(reservation, _senderKeyOptions.MaxSkip / 2);
        _syncInterval = options.KeySyncInterval ?? config.GetTimeSpan("entice.client.key-sync-interval", DefaultKeySyncInterval, allowInfinite: false);
        if (_syncInterval <= TimeSpan.Zero)
            _syncInterval = DefaultKeySyncInterval;
        _showBeforeSave = options.ShowBeforeSave ?? config.GetBoolean("entice.client.show-before-save", true);
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
                        maxSkipPerPeer: perPeer, maxSkipNewSession: newSession, sendReservation: reservation);
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
                    maxSkipPerPeer: perPeer, maxSkipNewSession: newSession, sendReservation: reservation);
                _prekeyInfo = (prekey.Id, _clock());
                _prekeyInfoDue = true;
                _dirty = true;
                _durableNeeded = true;
            }
            RotateIfDue();
            _bundle = _sessions.CreateBundle();
        }
        catch
        {
            _sessions?.Dispose();
            identity.Dispose();
            throw;
        }

        LoadSenderKeys(keys);

        var writer = KeyWriter.Props(keys, _gate, options.BeforeKeyWrite, options.BeforeKeySync);
        _writer = Context.ActorOf(Context.System.Dispatchers.HasDispatcher(KeyWriter.DispatcherId) ? writer.WithDispatcher(KeyWriter.DispatcherId) : writer, "key-writer");
        // Pin changes show in memory at once; their appends go to the key writer with the next save.
        _keys.Pins.DeferWrites();
        Handlers();
        if (_dirty)
            StartWrite();
    }

    // The three states are a field, not Become: this actor changes state two or three times per message
    // (Dirty, Saving, Clean), and a ReceiveActor's Become builds all its handlers anew each time (measured:
    // about 7 % of the client's pool-thread CPU in a two-person chat).
    private enum SaveState
    {
        Clean,
        Dirty,
        Saving,
    }

    private SaveState _saveState = SaveState.Clean;

    private void Handlers()
    {
        Requests();
        // Clean: scheduled by the constructor, whose own write covered it. Saving: the write in flight, or the one after it, covers it.
        Receive<SaveNow>(_ =>
        {
            if (_saveState == SaveState.Dirty)
                StartWrite();
        });
        Receive<KeyWriter.Saved>(_ => _saveState == SaveState.Saving, s => WriteEnded(s.Generation, error: null));
        Receive<KeyWriter.SaveFailed>(_ => _saveState == SaveState.Saving, f => WriteEnded(f.Generation, f.Error));
    }

    /// <summary>What every state answers; only when the answers leave differs.</summary>
    private void Requests()
    {
        Receive<CryptoAgent.GetIdentity>(_ =>
        {
            RotateIfDue();
            Answer(new CryptoAgent.IdentityInfo(_bundle, _identity.Public.Fingerprint));
        });
        Receive<CryptoAgent.SignHello>(s => Answer(new CryptoAgent.HelloSigned(IdentitySignatures.SignHello(_identity, s.Challenge, _name))));
        Receive<CryptoAgent.ObservePeer>(OnObservePeer);
        Receive<CryptoAgent.GetPrekeysToPublish>(_ =>
        {
            _publishing = true;
            Answer(PrekeysToPublish());
        });
        Receive<CryptoAgent.ProvidePrekey>(OnProvidePrekey);
        Receive<CryptoAgent.MarkVerified>(OnMarkVerified);
        Receive<CryptoAgent.Encrypt>(e => Handling(e, () => OnEncrypt(e)));
        Receive<CryptoAgent.EncryptRoom>(e => Handling(e, () => OnEncryptRoom(e)));
        Receive<CryptoAgent.Decrypt>(d => Handling(d, () =>
        {
            AnswerDecrypt(d, OnDecrypt(d));
            TopUpIfLow();
        }));
        Receive<CryptoAgent.ComputeSafetyNumber>(c => Answer(new CryptoAgent.SafetyNumberComputed(c.Peer.Name,
            SafetyNumber.ForIdentities(_identity.Public, _name, PublicIdentity.FromBundle(c.Peer.Identity), c.Peer.Name))));
        Receive<CryptoAgent.Trust>(OnTrust);
        Receive<SyncDue>(_ =>
        {
            _syncPending = false;
            _writer.Tell(KeyWriter.Sync.Instance);
        });
    }

    /// <summary>
    /// A live message whose save needs no flush (nothing durable pending: no new session, pin, prekey or stored
    /// envelope) is shown at once, before the write; <see cref="CryptoAgent.DecryptSaved"/> follows the write,
    /// and only then may the chat actor tell anyone it was read. Everything else is answered after the save.
    /// </summary>
    private void AnswerDecrypt(CryptoAgent.Decrypt d, object answer)
    {
        if (_showBeforeSave && answer is CryptoAgent.Decrypted shown && !d.Durable && !_durableNeeded && !_keys.Pins.HasPendingWrites
            && (_saveScheduled || _inFlight is not null) && !AnswersWaitBeforeIt())
        {
            Sender.Tell(shown with { Saved = false });
            Answer(new CryptoAgent.DecryptSaved(shown.Ticket));
            return;
        }
        Answer(answer);
    }

    // An early answer must not overtake one still waiting for its save (a stored envelope's, in a durable write
    // slowed by the disk): the chat actor's inbox would give up on the earlier message and a long message's
    // later parts would arrive without their beginning. Only the "saved" notices may be passed.
    private bool AnswersWaitBeforeIt() =>
        _held.Exists(h => h.Message is not CryptoAgent.DecryptSaved)
        || (_inFlight is not null && _inFlight.Exists(h => h.Message is not CryptoAgent.DecryptSaved));

    private void Handling(object request, Action handle)
    {
        _handling = (Sender, request);
        handle();
        _handling = null;
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // The request that failed gets its answer (an error naming the peer); every other conversation goes on
        // in the restarted actor, which loads the keys and the saved sessions again.
        if (_handling is { } failed)
        {
            _log.Error("Handling a request failed ({Error}); answering it with an error and restarting with the saved state", reason.GetType().Name);
            object? answer = failed.Request switch
            {
                CryptoAgent.Encrypt e => new CryptoAgent.EncryptRefused(e.Recipient.Name, CryptoAgent.InvalidKeyCode,
                    $"not sent to {e.Recipient.Name}: encrypting to them failed", e.EnvelopeId),
                CryptoAgent.EncryptRoom e => new CryptoAgent.EncryptRefused(e.Room, CryptoAgent.InvalidKeyCode,
                    $"not sent to {e.Room}: encrypting for the room failed", e.EnvelopeId),
                CryptoAgent.Decrypt d => new CryptoAgent.DecryptRejected(d.Sender.Name, Wire.ErrorCodes.DecryptFailed,
                    $"a message from {d.Sender.Name} could not be handled; not shown", d.Ticket),
                _ => null,
            };
            if (answer is not null)
                _held.Add((failed.Sender, answer));
        }
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        // Shutdown only: the one synchronous write, so nothing answered is lost and no asker waits forever.
        // A pin write in flight may yet be skipped by the gate: the whole pin log is rewritten then.
        var pins = _keys.Pins.TakeWrites(rewrite: _inFlight is not null);
        if (_dirty || _inFlight is not null || pins is not null || _sendsUnsaved || _syncPending)
        {
            // Exact: nothing is sent after this, so the next start resumes where we stopped (no gap).
            var state = _sessions.Export(exact: true);
            var senderKeys = _groupDirty || _inFlight is not null ? ExportSenderKeys() : null;
            try
            {
                _gate.Write(++_generation, () =>
                {
                    pins?.Invoke();
                    if (_prekeyInfoDue)
                        WritePrekeyInfoNow();
                    if (senderKeys is not null)
                        _keys.SaveSenderKeys(senderKeys);
                    _keys.SaveSessions(state);
                    if (_syncPending)
                        _keys.SyncSaved(); // an earlier write left without fsync (senderkeys.bin may not be rewritten here)
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Crypto.Primitives.CryptoException)
            {
                _log.Error("Could not save the session state to the key directory: {Error}", ex.Message);
            }
            finally
            {
                Array.Clear(state);
                if (senderKeys is not null)
                    Array.Clear(senderKeys);
            }
        }
        Release(_inFlight);
        Release(_held);
        DisposeGroupKeys();
        _sessions.Dispose();
        _identity.Dispose();
    }

    private sealed record SaveNow
    {
        public static readonly SaveNow Instance = new();
    }

    private sealed record SyncDue
    {
        public static readonly SyncDue Instance = new();
    }

    /// <summary>The configured reservation, kept to at most half of what one message may skip (the gap a crash leaves).</summary>
    private int SendReservation(int configured, int maxSkip)
    {
        var limit = SessionBook.MaxSendReservation(maxSkip);
        if (configured >= 0 && configured <= limit)
            return configured;
        _log.Warning("entice.client.send-reservation = {Configured} is outside 0..{Limit} (half of max-skip-per-peer); using {Used}",
            configured, limit, Math.Clamp(configured, 0, limit));
        return Math.Clamp(configured, 0, limit);
    }

    /// <summary>
    /// Reply to the current sender with an answer that needs no write: at once, unless answers before it still
    /// wait (then behind them, so answers keep their order).
    /// </summary>
    private void AnswerNow(object message)
    {
        if (_keys.Pins.HasPendingWrites)
        {
            Answer(message);
            return;
        }
        if (_held.Count > 0 || _inFlight is { Count: > 0 })
            _held.Add((Sender, message));
        else
            Sender.Tell(message);
    }

    /// <summary>
    /// The answer to a room message sent under <paramref name="key"/>: at once when its iteration and sequence
    /// number are inside the saved reservations (the next one saved early at half), else after a durable save.
    /// </summary>
    private void AnswerRoomSend(SenderKey key, object answer)
    {
        if (_sessions.SendNeedsSave || key.Iteration > key.DurableIteration)
        {
            GroupChanged();
            Answer(answer);
            return;
        }
        if (_sessions.ReservationLow || (ulong)key.Iteration + ((uint)_senderKeyReservation / 2) >= key.ExportedIteration)
            GroupChanged(); // the next reservation, early: this answer does not wait for it
        else
            _sendsUnsaved = true;
        AnswerNow(answer);
    }

    /// <summary>Reply to the current sender, after the write that covers it when one is due (answers keep their order).</summary>
    private void Answer(object message)
    {
        // A pin changed for this request (first contact, key change, trust, verification): durable first.
        if (_keys.Pins.HasPendingWrites)
            Changed();
        if (_saveScheduled || _inFlight is not null)
            _held.Add((Sender, message));
        else
            Sender.Tell(message);
    }

    /// <summary>
    /// The book changed: write it once the messages already in the mailbox are handled (or after the write in
    /// flight). <paramref name="durable"/> false (a decrypt): that write need not be flushed before its answers go.
    /// </summary>
    private void Changed(bool durable = true)
    {
        _dirty = true;
        _durableNeeded |= durable;
        if (_saveScheduled || _inFlight is not null)
            return;
        _saveScheduled = true;
        PostSaveNow();
        _saveState = SaveState.Dirty;
    }

    // SaveNow reaches the mailbox through the thread pool's shared queue, not straight from here. Told directly,
    // it was handled in this same mailbox run, so the export (about 170 µs for two people) came before the
    // actors this message woke: the chat actor with a message to show before the save, then the view; they
    // wait in this thread's own queue, which it empties before it looks at the shared one. Posted, the save
    // follows them (measured: socket to screen 505 → 340 µs, median, docs in tests/perf/README.md), and
    // requests arriving meanwhile join the same write. Akka's default executor queues actors there too.
    private void PostSaveNow() =>
        ThreadPool.UnsafeQueueUserWorkItem(static self => self.Tell(SaveNow.Instance), Self, preferLocal: false);

    private void StartWrite()
    {
        _saveScheduled = false;
        _dirty = false;
        _inFlight = _held;
        _held = [];
        // The writer owns (and zeroes) the exported state from here.
        byte[]? senderKeys = null;
        if (_groupDirty)
        {
            senderKeys = ExportSenderKeys();
            _groupDirty = false;
        }
        var pins = _keys.Pins.TakeWrites();
        var durable = _durableNeeded || pins is not null || _prekeyInfoDue;
        _durableNeeded = false;
        _sendsUnsaved = false;
        _inFlightDurable = durable;
        _writer.Tell(new KeyWriter.Save(++_generation, _sessions.Export(), _prekeyInfoDue ? PrekeyInfoText() : null, pins, senderKeys, durable));
        _prekeyInfoDue = false;
        if (!durable && !_syncPending)
        {
            _syncPending = true;
            Timers.StartSingleTimer(SyncDue.Instance, SyncDue.Instance, _syncInterval);
        }
        _saveState = SaveState.Saving;
    }

    private void WriteEnded(long generation, string? error)
    {
        if (generation != _generation)
            return;
        if (error is not null)
        {
            // Kept dirty: the next change tries again, and stopping once more.
            _log.Error("Could not save the session state to the key directory: {Error}", error);
            _dirty = true;
            _durableNeeded = true;
            _groupDirty = true;
            _keys.Pins.WriteFailed();
        }
        if (error is null && _inFlightDurable)
        {
            // The send reservations that write carried are on disk now (a durable write flushes earlier ones too).
            _sessions.Saved();
            foreach (var key in _senderKeys.Values)
                key.MarkDurable();
        }
        Release(_inFlight);
        _inFlight = null;
        if (_dirty && error is null)
        {
            StartWrite();
            return;
        }
        Release(_held);
        _held = [];
        _saveState = SaveState.Clean;
    }

    private void Release(List<(IActorRef To, object Message)>? answers)
    {
        if (answers is null)
            return;
        foreach (var (to, message) in answers)
            to.Tell(message, Self);
        answers.Clear();
    }
}
