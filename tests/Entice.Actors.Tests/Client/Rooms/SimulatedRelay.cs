using Akka.Actor;
using Entice.Client.Keys;
using Entice.Wire;

namespace Entice.Tests.Client.Rooms;

/// <summary>
/// A relay for real crypto actors, as the room actor routes: it asks a member's crypto actor to encrypt a room
/// message for the members it shows that member, hands each pairwise envelope to its recipient and fans the
/// room-wide envelope out to every other member present, each with the roster it shows them. It can lie: a
/// ghost in one member's view, a member hidden from one member's view. Every answer goes to the spec as
/// <see cref="Got"/>.
/// </summary>
internal sealed class SimulatedRelay : ReceiveActor
{
    public const string Room = "lobby";

    public sealed record Member(string Name, IActorRef Agent, MemberInfo Info);

    public sealed record Join(Member Who);

    public sealed record Leave(string Name);

    /// <summary><paramref name="Viewer"/> is shown <paramref name="Ghost"/> as a member, nobody else is.</summary>
    public sealed record ShowGhost(string Viewer, MemberInfo Ghost);

    /// <summary><paramref name="Hidden"/> is left out of what <paramref name="Viewer"/> is shown.</summary>
    public sealed record Hide(string Viewer, string Hidden);

    public sealed record Say(string From, string Text);

    /// <summary>Hand a (copied, altered) room envelope to <paramref name="To"/>, present or not, with the view it is shown.</summary>
    public sealed record Deliver(string To, Envelope Envelope);

    /// <summary>While on, room-wide envelopes only go to the spec (which delivers them with <see cref="Deliver"/>).</summary>
    public sealed record HoldRoomWide(bool On);

    /// <summary>The room-wide envelope a member's crypto actor produced.</summary>
    public sealed record Sent(Envelope Envelope, int Distributions);

    /// <summary>What a member's crypto actor answered about an envelope (room-wide or pairwise).</summary>
    public sealed record Got(string Member, bool RoomWide, object Answer);

    private readonly IActorRef _spec;
    private readonly Dictionary<string, Member> _present = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _names = [];
    private readonly Dictionary<string, Member> _ever = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MemberInfo>> _ghosts = new(StringComparer.Ordinal);
    private readonly HashSet<(string Viewer, string Hidden)> _hidden = [];
    private readonly Dictionary<ulong, bool> _roomWideTickets = [];
    private readonly Dictionary<string, int> _distributions = new(StringComparer.Ordinal);
    private bool _hold;
    private ulong _nextId = 1;
    private ulong _nextTicket = 1;

    public SimulatedRelay(IActorRef spec)
    {
        _spec = spec;
        Receive<Join>(j =>
        {
            _present[j.Who.Name] = j.Who;
            _ever[j.Who.Name] = j.Who;
            _names[j.Who.Agent] = j.Who.Name;
        });
        Receive<Leave>(l => _present.Remove(l.Name));
        Receive<HoldRoomWide>(h => _hold = h.On);
        Receive<ShowGhost>(g => (_ghosts.TryGetValue(g.Viewer, out var list) ? list : _ghosts[g.Viewer] = []).Add(g.Ghost));
        Receive<Hide>(h => _hidden.Add((h.Viewer, h.Hidden)));
        Receive<Say>(s =>
        {
            var members = ViewOf(s.From);
            var id = _nextId;
            _nextId += (ulong)members.Count + 1;
            _distributions[s.From] = 0;
            _present[s.From].Agent.Tell(new CryptoAgent.EncryptRoom(Room, members, s.Text, id, id + 1));
        });
        Receive<CryptoAgent.Encrypted>(OnEncrypted);
        Receive<CryptoAgent.EncryptRefused>(r => _spec.Tell(new Got(NameOf(Sender), false, r)));
        Receive<Deliver>(d =>
        {
            var to = _ever[d.To];
            Fan(d.Envelope, to);
        });
        Receive<CryptoAgent.Decrypted>(d => Answered(d.Ticket, d));
        Receive<CryptoAgent.DecryptRejected>(d => Answered(d.Ticket, d));
        Receive<CryptoAgent.SenderKeyTaken>(d => Answered(d.Ticket, d));
        Receive<CryptoAgent.DecryptHeld>(d => Answered(d.Ticket, d));
    }

    private string NameOf(IActorRef agent) => _names.TryGetValue(agent, out var name) ? name : "?";

    private List<MemberInfo> ViewOf(string viewer) =>
        [.. _present.Values.Where(m => m.Name != viewer && !_hidden.Contains((viewer, m.Name))).Select(m => m.Info),
         .. _ghosts.GetValueOrDefault(viewer) ?? []];

    private void OnEncrypted(CryptoAgent.Encrypted e)
    {
        var envelope = e.Envelope;
        if (envelope.Recipient.Length > 0)
        {
            _distributions[envelope.Sender] = _distributions.GetValueOrDefault(envelope.Sender) + 1;
            // A ghost's key goes nowhere (the relay keeps it: what a lying relay would do).
            if (_present.TryGetValue(envelope.Recipient, out var to))
                to.Agent.Tell(new CryptoAgent.Decrypt(envelope, _ever[envelope.Sender].Info, Ticket(roomWide: false)));
            return;
        }
        _spec.Tell(new Sent(envelope, _distributions.GetValueOrDefault(envelope.Sender)));
        if (_hold)
            return;
        foreach (var member in _present.Values.Where(m => m.Name != envelope.Sender).ToList())
            Fan(envelope, member);
    }

    private void Fan(Envelope envelope, Member to) =>
        to.Agent.Tell(new CryptoAgent.Decrypt(envelope, _ever[envelope.Sender].Info, Ticket(roomWide: true), ViewOf(to.Name)));

    private ulong Ticket(bool roomWide)
    {
        var ticket = _nextTicket++;
        _roomWideTickets[ticket] = roomWide;
        return ticket;
    }

    private void Answered(ulong ticket, object answer)
    {
        _roomWideTickets.Remove(ticket, out var roomWide);
        _spec.Tell(new Got(NameOf(Sender), roomWide, answer));
    }
}
