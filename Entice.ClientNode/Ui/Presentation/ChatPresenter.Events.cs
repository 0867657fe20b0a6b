using Entice.Wire;
using Entice.Client;

namespace Entice.ClientNode.Ui.Presentation;

// Events from the chat actor, turned into lines, member and key states, and effects for the UI.
public sealed partial class ChatPresenter
{
    public IReadOnlyList<UiEffect> Apply(ChatEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (ApplyTopic(e))
            return [];
        switch (e)
        {
            case ReadyEvent r:
                Fingerprint = r.Fingerprint;
                Connection = ConnectionState.Connected;
                Select(OpenRoom(r.Room));
                Notice(Selected!, $"You are {r.Name} in #{r.Room}. Your fingerprint: {r.Fingerprint}. F1 for help.");
                break;
            case RoomEnteredEvent r:
                Select(OpenRoom(r.Room));
                Notice(Selected!, $"You are in #{V(r.Room)}.");
                break;
            case RoomExitedEvent r:
                CloseConversation(_conversations.FindIndex(c => !c.IsDirect && c.Name == r.Room));
                _members.Remove(r.Room);
                _gone.Remove(r.Room);
                if (Selected is { } now)
                    Notice(now, $"You left #{V(r.Room)}.");
                break;
            case MemberJoinedEvent j:
                MembersOf(j.Room)[j.Name] = true;
                GoneFrom(j.Room).Remove(j.Name);
                if (j.Name != Me)
                    Notice(RoomOrSystem(j.Room), $"→ {V(j.Name)} is here");
                break;
            case MemberAwayEvent a:
                MembersOf(a.Room)[a.Name] = false;
                GoneFrom(a.Room).Remove(a.Name);
                Notice(RoomOrSystem(a.Room), $"◌ {V(a.Name)} is away (messages are kept for them)");
                break;
            case MemberLeftEvent l:
                MembersOf(l.Room)[l.Name] = false;
                GoneFrom(l.Room).Add(l.Name);
                Notice(RoomOrSystem(l.Room), $"← {V(l.Name)} left");
                break;
            case MembersEvent m:
                var members = MembersOf(m.Room);
                foreach (var known in members.Keys.ToList())
                    members[known] = false;
                foreach (var present in m.Members)
                {
                    members[present] = true;
                    GoneFrom(m.Room).Remove(present);
                }
                Notice(RoomOrSystem(m.Room), $"In #{V(m.Room)}: {string.Join(", ", m.Members.Select(V))}");
                break;
            case MessageEvent m when KeptBefore(m):
                break; // shown (and kept) before a crash that came before its key state was saved: not twice
            case MessageEvent { Direct: true } m:
                var dm = OpenDirect(m.From);
                dm.ViaRoom = m.Room;
                return AddMessage(dm, V(m.From), Body(m.Text), m.SentAt, own: false, direct: true, ReceivedId(m)) ? [new UiEffect.Bell()] : [];
            case MessageEvent m:
                return AddMessage(_conversations[OpenRoom(m.Room)], V(m.From), Body(m.Text), m.SentAt, own: false, direct: false, ReceivedId(m)) ? [new UiEffect.Bell()] : [];
            case SentEvent { Tag: { } sentTag }:
                MarkOwn(sentTag, l => l with { Sent = true });
                break;
            case DeliveredEvent { Tag: { } deliveredTag }:
                MarkOwn(deliveredTag, l => l with { Sent = true, Delivered = true });
                break;
            case SafetyNumberEvent s:
                return [new UiEffect.ShowSafetyNumber(s.Peer, s.SafetyNumber, KeyOf(s.Peer) == KeyState.Changed)];
            case KeyChangedEvent k:
                _keys[k.Peer] = KeyState.Changed;
                if (!_pendingKeyWarnings.Contains(k.Peer))
                    _pendingKeyWarnings.Add(k.Peer);
                Error(CurrentOrSystem(), $"The key of {V(k.Peer)} CHANGED. Nothing is sent to {V(k.Peer)} until you accept it (/verify {V(k.Peer)}, then /trust {V(k.Peer)}).");
                return [new UiEffect.WarnKeyChanged(k.Peer)];
            case VerifiedEvent v:
                _keys[v.Peer] = KeyState.Verified;
                break;
            case TrustedEvent t:
                _keys[t.Peer] = KeyState.Trusted;
                _pendingKeyWarnings.Remove(t.Peer);
                Notice(CurrentOrSystem(), $"You now trust the current key of {V(t.Peer)}.");
                break;
            case GapEvent g:
                Error(CurrentOrSystem(), g.Late
                    ? $"A message from {g.From} arrived out of order (after later ones); it follows."
                    : $"{g.Missing} message(s) from {g.From} are missing (lost, or held back by the relay).");
                break;
            case ErrorEvent err:
                if (err.Code is ErrorCodes.Disconnected or ErrorCodes.ServerUnreachable)
                    Connection = ConnectionState.Disconnected;
                Error(CurrentOrSystem(), $"{V(err.Message)} ({V(err.Code)})");
                break;
            case DisconnectedEvent d:
                // The status bar shows the connection (with the countdown and the reason); a pane line
                // for every failed attempt would bury the conversation.
                Connection = ConnectionState.Reconnecting;
                RetryAt = _now() + d.RetryIn;
                ConnectionProblem = V(d.Reason);
                break;
            case ReconnectedEvent r:
                Connection = ConnectionState.Connected;
                RetryAt = null;
                ConnectionProblem = null;
                Server = V(r.Server);
                break;
            case StoppedEvent s:
                Connection = ConnectionState.Stopped;
                Notice(CurrentOrSystem(), $"Stopped: {s.Reason}");
                return [new UiEffect.Close(s.ExitCode, s.Reason)];
        }
        return [];
    }
}
