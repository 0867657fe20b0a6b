using Akka.Event;
using Entice.Wire;
using Entice.Crypto.Group;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Client.Keys;

/// <summary>
/// Rooms on sender keys (docs/PROTOCOL-GROUPS.md): this client's own <see cref="SenderKey"/> per room, made
/// lazily and handed to every member over the pairwise sessions before the first room message under it; a
/// <see cref="SenderKeyReceiver"/> per room for what the others sent. Before each room message the roster the
/// key was made for is compared with the members now (<see cref="RotationPolicy"/>): a member who left, a
/// changed key, a newcomer, the message count or the key's age make a new key (the old one is wiped), so
/// someone who left never gets the key of what follows. Each room's view is versioned: the epoch goes up
/// whenever the member set (names and key fingerprints) changes.
/// </summary>
internal sealed partial class CryptoAgentActor
{
    // The sequence numbers of room messages are ours for the whole room, not per recipient.
    private const string RoomSequencePeer = "*";

    private readonly SenderKeyOptions _senderKeyOptions;
    private readonly Dictionary<string, SenderKey> _senderKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SenderKeyReceiver> _receivers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupView> _ownViews = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupView> _receivingViews = new(StringComparer.Ordinal);

    // The sender-key state changed since the last write: the next write includes senderkeys.bin.
    private bool _groupDirty;

    /// <summary>
    /// The last member list seen for a room and its view: rebuilt only when the list changed. Source is the
    /// list object it came in (the chat actor hands out the same one until the room's members change).
    /// </summary>
    private sealed record GroupView(MemberInfo[] Members, RosterView View, IReadOnlyList<MemberInfo> Source);

    private void OnEncryptRoom(CryptoAgent.EncryptRoom e)
    {
        var view = SendingView(e.Room, e.Members);
        var now = _clock();
        if (!_senderKeys.TryGetValue(e.Room, out var key) || e.NewKey || key.RotationNeeded(view, now, _senderKeyOptions) != RotationReason.None)
        {
            var fresh = SenderKey.Create(e.Room, _name, view, now);
            if (key is not null)
            {
                _log.Info("New sender key for room {Room}: {Reason}", e.Room, e.NewKey ? "a new key was asked for" : key.RotationNeeded(view, now, _senderKeyOptions).ToString());
                key.Dispose();
            }
            _senderKeys[e.Room] = key = fresh;
            Distribute(key, e.Members, e.FirstDistributionId);
        }

        var plaintext = new ChatPlaintext(_sessions.NextSendSequence(RoomSequencePeer, "#" + e.Room), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), e.Text).Encode();
        try
        {
            var message = key.Encrypt(plaintext, e.EnvelopeId);
            // The chain stepped and the sequence number is in the book: the answer waits for their save unless
            // both are inside the saved reservation, so a restart never reuses its message key (CryptoAgentActor.cs).
            AnswerRoomSend(key, new CryptoAgent.Encrypted(new Envelope(e.Room, _name, "", e.EnvelopeId, false, message)));
        }
        finally
        {
            Array.Clear(plaintext);
        }
    }

    // One pairwise envelope per member, answered before the room message (the relay keeps one sender's order).
    private void Distribute(SenderKey key, IReadOnlyList<MemberInfo> members, ulong firstId)
    {
        var distribution = key.Distribution();
        try
        {
            var encoded = distribution.Encode();
            try
            {
                for (var i = 0; i < members.Count; i++)
                {
                    var context = new MessageContext(key.Room, _name, members[i].Name, Direct: true, firstId + (ulong)i);
                    Answer(EncryptPairwise(members[i], context, () => encoded.ToArray(), distribution: true));
                }
            }
            finally
            {
                Array.Clear(encoded);
            }
        }
        finally
        {
            Kdf.Wipe(distribution.ChainKey);
        }
    }

    /// <summary>A pairwise plaintext that is a sender key (0x10): taken for the room it names, if that is the envelope's.</summary>
    private object TakeSenderKey(CryptoAgent.Decrypt d, byte[] plaintext)
    {
        var from = d.Sender.Name;
        var parsed = SenderKeyDistribution.Parse(plaintext);
        Array.Clear(plaintext);
        if (!parsed.Succeeded)
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, $"a sender key from {from} was refused: {parsed.Reason}", d.Ticket);
        var distribution = parsed.Distribution!;
        if (!string.Equals(distribution.Room, d.Envelope.Room, StringComparison.Ordinal))
        {
            Kdf.Wipe(distribution.ChainKey);
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, $"a sender key from {from} named another room than the one it came through; refused", d.Ticket);
        }
        if (!_receivers.TryGetValue(distribution.Room, out var receiver))
            _receivers[distribution.Room] = receiver = new SenderKeyReceiver(distribution.Room, _senderKeyOptions);
        var outcome = receiver.Accept(distribution, from);
        if (outcome == DistributionOutcome.Accepted)
            GroupChanged();
        return outcome is DistributionOutcome.Accepted or DistributionOutcome.AlreadyKnown
            ? new CryptoAgent.SenderKeyTaken(from, distribution.Room, d.Ticket)
            : new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, $"a sender key from {from} was refused ({outcome})", d.Ticket);
    }

    /// <summary>A room-wide envelope: the sender's key, its signature, our own view of the room, then the chain.</summary>
    private object OnRoomMessage(CryptoAgent.Decrypt d)
    {
        var env = d.Envelope;
        var from = d.Sender.Name;
        if (d.RoomMembers is null || env.Direct || !SenderKeyReceiver.TryPeekEpoch(env.Ciphertext, out var epoch))
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, Describe(GroupDecryptFailure.Malformed, from), d.Ticket);
        if (!_receivers.TryGetValue(env.Room, out var receiver))
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, Describe(GroupDecryptFailure.UnknownSenderKey, from), d.Ticket);
        // Epochs are each sender's own count; what must agree is the member set, which the hash binds.
        var own = ReceivingView(env.Room, d.RoomMembers, epoch);
        var result = receiver.Decrypt(from, env.Id, env.Ciphertext, own);
        if (result.Succeeded)
            GroupChanged(durable: d.Durable); // the chain advanced (or a kept key was used up): shown only once that is written
        if (result.Mismatch is { } mismatch)
        {
            _log.Warning("Room message {EnvelopeId} from {Peer} in {Room} binds another roster: {Difference}", env.Id, from, env.Room, mismatch.Difference);
            return new CryptoAgent.DecryptRejected(from, CryptoAgent.RosterMismatchCode, DescribeMismatch(env.Room, mismatch), d.Ticket);
        }
        if (!result.Succeeded)
        {
            // A replay is most often our own relay's resend of a copy already shown (the chat actor keeps it quiet).
            if (result.Failure == GroupDecryptFailure.Replay)
                _log.Debug("Rejected room message {EnvelopeId} from {Peer}: {Failure}", env.Id, from, result.Failure);
            else
                _log.Warning("Rejected room message {EnvelopeId} from {Peer}: {Failure}", env.Id, from, result.Failure);
            var code = result.Failure == GroupDecryptFailure.Replay ? ErrorCodes.Replay : ErrorCodes.DecryptFailed;
            return new CryptoAgent.DecryptRejected(from, code, Describe(result.Failure!.Value, from), d.Ticket);
        }
        if (!ChatPlaintext.TryDecode(result.Plaintext, out var plaintext))
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, $"a message from {from} decrypted to something unreadable", d.Ticket);
        return new CryptoAgent.Decrypted(env.Room, from, false, plaintext, d.Ticket) { Conversation = "#" + env.Room };
    }

    // Our view as a sender: a new epoch whenever the member set changed.
    private RosterView SendingView(string room, IReadOnlyList<MemberInfo> members)
    {
        if (_ownViews.TryGetValue(room, out var last) && SameMembers(last, members))
            return last.View;
        ForgetDeparted(room, members);
        var next = RosterView.Create(0, RosterOf(members));
        // After a restart the saved key's roster is the last view: its epoch goes on (no rotation for the restart).
        var previous = last?.View ?? (_senderKeys.TryGetValue(room, out var saved) ? saved.Roster : null);
        var epoch = previous is null ? 1 : previous.Matches(previous.Epoch, next.MemberSetHash) ? previous.Epoch : previous.Epoch + 1;
        var view = RosterView.Create(epoch, next.Members);
        _ownViews[room] = new GroupView([.. members], view, members);
        return view;
    }

    private RosterView ReceivingView(string room, IReadOnlyList<MemberInfo> members, ulong epoch)
    {
        if (_receivingViews.TryGetValue(room, out var last) && last.View.Epoch == epoch && SameMembers(last, members))
            return last.View;
        var same = last is not null && SameMembers(last, members);
        if (!same)
            ForgetDeparted(room, members);
        var view = same
            ? RosterView.Create(epoch, last!.View.Members)
            : RosterView.Create(epoch, RosterOf(members));
        _receivingViews[room] = new GroupView([.. members], view, members);
        return view;
    }

    private IEnumerable<RosterMember> RosterOf(IReadOnlyList<MemberInfo> members) =>
        members.Where(m => m.Name != _name).Select(m => RosterMember.Of(m.Name, PublicIdentity.FromBundle(m.Identity)))
            .Append(RosterMember.Of(_name, _identity.Public));

    // The chat actor keeps one MemberInfo per member until it changes: the same objects, the same roster;
    // the same list object (RoomRoster.MemberList) when nothing changed at all.
    private static bool SameMembers(GroupView last, IReadOnlyList<MemberInfo> b)
    {
        if (ReferenceEquals(last.Source, b))
            return true;
        var a = last.Members;
        if (a.Length != b.Count)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!ReferenceEquals(a[i], b[i]) && a[i] != b[i])
                return false;
        }
        return true;
    }

    private static string DescribeMismatch(string room, RosterMismatch m)
    {
        if (m.Difference is not { } d)
            return $"a message from {m.Sender} in {room} was not shown: {m.Sender} sees other members in {room} than you do";
        var parts = new List<string>();
        if (d.OnlyInSenderView.Count > 0)
            parts.Add($"only {m.Sender} sees {string.Join(", ", d.OnlyInSenderView)}");
        if (d.OnlyInOwnView.Count > 0)
            parts.Add($"{m.Sender} does not see {string.Join(", ", d.OnlyInOwnView)}");
        if (d.DifferentKeys.Count > 0)
            parts.Add($"{m.Sender} has other keys for {string.Join(", ", d.DifferentKeys)}");
        return $"a message from {m.Sender} in {room} was not shown: the room's members differ ({string.Join("; ", parts)}); the server may be adding or hiding members";
    }

    private static string Describe(GroupDecryptFailure failure, string from) => failure switch
    {
        GroupDecryptFailure.Replay => $"a message from {from} was a replay of one already shown; ignored",
        GroupDecryptFailure.TooFarAhead => $"a message from {from} is too far ahead of its sender key; ignored",
        GroupDecryptFailure.UnknownSenderKey => $"a room message from {from} is under a sender key this client was not given; it cannot be read",
        GroupDecryptFailure.Malformed => $"a room message from {from} is not a valid Entice room message; not shown",
        GroupDecryptFailure.BadSignature => $"a room message from {from} does not carry {from}'s signature (altered or forged); not shown",
        _ => $"a room message from {from} failed authentication (altered or forged); not shown",
    };

    /// <summary>Wipes our own sender keys: the next room message in each room starts (and distributes) a new one.</summary>
    private void DropOwnSenderKeys()
    {
        foreach (var key in _senderKeys.Values)
            key.Dispose();
        _senderKeys.Clear();
        GroupChanged();
    }

    // The keys of senders no longer in the room are wiped (and gone from the file at the next write).
    private void ForgetDeparted(string room, IReadOnlyList<MemberInfo> members)
    {
        if (!_receivers.TryGetValue(room, out var receiver) || receiver.SenderCount == 0)
            return;
        var present = members.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var before = receiver.SenderCount;
        receiver.ForgetAllBut(present);
        if (receiver.SenderCount != before)
            GroupChanged();
    }

    private void GroupChanged(bool durable = true)
    {
        _groupDirty = true;
        Changed(durable);
    }

    /// <summary>The saved sender keys (senderkeys.bin); a damaged file is logged and the client goes on with none.</summary>
    private void LoadSenderKeys(Crypto.Storage.KeyDirectory keys)
    {
        try
        {
            var (own, receivers) = keys.LoadSenderKeyState(_name, _senderKeyOptions);
            foreach (var key in own)
                _senderKeys[key.Room] = key;
            foreach (var receiver in receivers)
                _receivers[receiver.Room] = receiver;
            if (own.Count + receivers.Count > 0)
                _log.Info("Restored the sender keys of {Rooms} rooms", _senderKeys.Keys.Union(_receivers.Keys).Count());
        }
        catch (CryptoException ex)
        {
            // Validated at start (KeyDirectoryCheck stops the program there); here only if it broke since.
            _log.Error("The saved sender keys cannot be used ({Error}); new ones are made as needed", ex.Message);
        }
    }

    private byte[] ExportSenderKeys() => SenderKeyState.Export(_senderKeys.Values, _receivers.Values, _senderKeyReservation);

    private void DisposeGroupKeys()
    {
        foreach (var key in _senderKeys.Values)
            key.Dispose();
        _senderKeys.Clear();
        foreach (var receiver in _receivers.Values)
            receiver.Dispose();
        _receivers.Clear();
    }
}
