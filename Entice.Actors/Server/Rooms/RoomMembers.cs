using Akka.Actor;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// Who a room knows, owned by its <see cref="RoomActor"/> (plain state, called on the room's thread):
/// members present here (with their member actor and transport) and members away (remembered, with
/// when they went, so the cap forgets the longest away first). It also hands frames to the transports
/// of the members present here; deciding who joins, leaves or is forgotten is the room's.
/// </summary>
internal sealed class RoomMembers
{
    /// <summary>A member present here: their info, their member actor (the room's child) and their transport.</summary>
    internal sealed record Present(MemberInfo Info, IActorRef Actor, IActorRef Transport, long JoinedAt);

    private readonly Dictionary<string, Present> _present = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberInfo> _away = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _awaySince = new(StringComparer.Ordinal);

    public int Count => _present.Count;

    public IEnumerable<Present> All => _present.Values;

    public IEnumerable<MemberInfo> Away => _away.Values;

    public int AwayCount => _away.Count;

    public bool IsHere(string name) => _present.ContainsKey(name);

    public bool TryGet(string name, out Present member) => _present.TryGetValue(name, out member!);

    public bool IsAway(string name) => _away.ContainsKey(name);

    public Present? ByActor(IActorRef actor) => _present.Values.FirstOrDefault(m => m.Actor.Equals(actor));

    /// <summary>Present here from now on (no longer away).</summary>
    public void Arrive(Present member)
    {
        _away.Remove(member.Info.Name);
        _present[member.Info.Name] = member;
    }

    public bool Remove(string name, out Present member) => _present.Remove(name, out member!);

    public void GoAway(MemberInfo member, DateTimeOffset since)
    {
        _away[member.Name] = member;
        _awaySince[member.Name] = since;
    }

    /// <summary>Away without a known time (found in the store by name): first in line to be forgotten.</summary>
    public void GoAway(MemberInfo member) => _away[member.Name] = member;

    public void NotAway(string name) => _away.Remove(name);

    /// <summary>Whether a member away now went away at most <paramref name="window"/> before <paramref name="now"/>.</summary>
    public bool WentAwayWithin(TimeSpan window, DateTimeOffset now) =>
        _away.Keys.Any(n => _awaySince.TryGetValue(n, out var since) && now - since <= window);

    /// <summary>
    /// Removes and returns the away members that are away longer than <paramref name="cutoff"/> allows,
    /// and the longest away beyond <paramref name="max"/>.
    /// </summary>
    public List<string> ForgetAway(DateTimeOffset cutoff, int max)
    {
        var expired = _away.Keys.Where(n => _awaySince.GetValueOrDefault(n) < cutoff).ToList();
        var excess = _away.Count - expired.Count - max;
        if (excess > 0)
        {
            expired.AddRange(_away.Keys.Except(expired).OrderBy(n => _awaySince.GetValueOrDefault(n)).ThenBy(n => n, StringComparer.Ordinal).Take(excess));
        }
        foreach (var name in expired)
        {
            _away.Remove(name);
            _awaySince.Remove(name);
        }
        return expired;
    }

    /// <summary>A room-wide envelope to every member connected here but its sender; returns how many.</summary>
    public int DeliverLocally(Envelope envelope)
    {
        var frame = new ClientTransport.Send(WireCodec.EncodeFrame(envelope));
        var count = 0;
        foreach (var m in _present.Values)
        {
            if (m.Info.Name == envelope.Sender)
                continue;
            m.Transport.Tell(frame);
            count++;
        }
        return count;
    }

    public void Announce(byte[] frame, string? except)
    {
        var send = new ClientTransport.Send(frame);
        foreach (var m in _present.Values)
        {
            if (m.Info.Name != except)
                m.Transport.Tell(send);
        }
    }

    /// <summary>Everyone present here or (from <paramref name="elsewhere"/>) on another node, but <paramref name="name"/>.</summary>
    public List<MemberInfo> Others(string name, IEnumerable<MemberInfo> elsewhere) =>
        _present.Values.Select(m => m.Info).Concat(elsewhere.Where(m => !_present.ContainsKey(m.Name)))
            .Where(m => m.Name != name).ToList();
}
