using System.Text.Json;
using Entice.Client;
using Entice.Client.History;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// What a JSON-RPC session knows from the chat events it saw, for a page or bot that connects later
/// or wants more than the events: who this client is and its connection (<c>status</c>), each peer's
/// key state (<c>members</c>' details), who is away, and the conversations with their unread counts
/// (<c>conversations</c>, <c>read</c>). Like the terminal UI's presenter, it learns key states from
/// events (key_changed, trusted, verified). Bounded: at most <see cref="MaxConversations"/>
/// conversations and as many peers are remembered (the least recently active go first).
/// </summary>
internal sealed class JsonRpcState
{
    public const int MaxConversations = 1000;

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<(string Room, string Name)> _away = [];
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private long _clock;

    public string? Name { get; private set; }

    public string? Fingerprint { get; private set; }

    public string? FirstRoom { get; private set; }

    /// <summary>connecting (before ready), online, reconnecting, stopped.</summary>
    public string Connection { get; private set; } = "connecting";

    public string? Server { get; private set; }

    private sealed class Conversation(string key)
    {
        public string Key { get; } = key;

        public int Unread { get; set; }

        public long Touched { get; set; }

        public DateTimeOffset? Last { get; set; }
    }

    /// <summary>The conversation key ("#room" or "@peer") of a message event.</summary>
    public static string ConversationOf(MessageEvent m) => m.Direct ? KeptMessage.DirectWith(m.From) : KeptMessage.Room(m.Room);

    public void Observe(ChatEvent e, DateTimeOffset now)
    {
        switch (e)
        {
            case ReadyEvent r:
                (Name, Fingerprint, FirstRoom, Connection) = (r.Name, r.Fingerprint, r.Room, "online");
                Touch(KeptMessage.Room(r.Room), null);
                break;
            case RoomEnteredEvent r:
                Touch(KeptMessage.Room(r.Room), null);
                break;
            case RoomExitedEvent r:
                _conversations.Remove(KeptMessage.Room(r.Room));
                _away.RemoveWhere(a => a.Room == r.Room);
                break;
            case MemberAwayEvent a:
                if (_away.Count < MaxConversations * 10)
                    _away.Add((a.Room, a.Name));
                break;
            case MemberJoinedEvent j:
                _away.Remove((j.Room, j.Name));
                break;
            case MemberLeftEvent l:
                _away.Remove((l.Room, l.Name));
                break;
            case MessageEvent m:
                Touch(ConversationOf(m), now).Unread++;
                break;
            case SentEvent s:
                Touch(s.To is null ? KeptMessage.Room(s.Room) : KeptMessage.DirectWith(s.To), now);
                break;
            case KeyChangedEvent k:
                Key(k.Peer, "changed");
                break;
            case TrustedEvent t:
                Key(t.Peer, "trusted");
                break;
            case VerifiedEvent v:
                Key(v.Peer, "verified");
                break;
            case DisconnectedEvent:
                Connection = "reconnecting";
                break;
            case ReconnectedEvent r:
                (Connection, Server) = ("online", r.Server);
                break;
            case StoppedEvent:
                Connection = "stopped";
                break;
        }
    }

    /// <summary>unverified (pinned on first use), verified, trusted (a changed key accepted) or changed (nothing is sent until trusted).</summary>
    public string KeyState(string peer) => _keys.TryGetValue(peer, out var state) ? state : "unverified";

    public bool IsAway(string room, string name) => _away.Contains((room, name));

    /// <summary>Marks a conversation read; false when it is not known.</summary>
    public bool Read(string conversation)
    {
        if (!_conversations.TryGetValue(conversation, out var c))
            return false;
        c.Unread = 0;
        return true;
    }

    /// <summary>Writes <c>{"conversation":..., "room" or "with":..., "unread":N, "last":time|null}</c> for each, most recent first.</summary>
    public void WriteConversations(Utf8JsonWriter w)
    {
        w.WriteStartArray("conversations");
        foreach (var c in _conversations.Values.OrderByDescending(c => c.Touched))
        {
            w.WriteStartObject();
            w.WriteString("conversation", c.Key);
            w.WriteString(c.Key[0] == '#' ? "room" : "with", c.Key[1..]);
            w.WriteNumber("unread", c.Unread);
            if (c.Last is { } last)
                w.WriteString("last", last.ToUniversalTime().ToString("O"));
            else
                w.WriteNull("last");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // now: the time of a message in it (null: the conversation merely appeared).
    private Conversation Touch(string key, DateTimeOffset? now)
    {
        if (!_conversations.TryGetValue(key, out var c))
        {
            if (_conversations.Count >= MaxConversations)
                _conversations.Remove(_conversations.Values.MinBy(x => x.Touched)!.Key);
            _conversations[key] = c = new Conversation(key);
        }
        c.Touched = ++_clock;
        c.Last = now ?? c.Last;
        return c;
    }

    private void Key(string peer, string state)
    {
        if (!_keys.ContainsKey(peer) && _keys.Count >= MaxConversations)
            _keys.Remove(_keys.Keys.First());
        _keys[peer] = state;
    }
}
