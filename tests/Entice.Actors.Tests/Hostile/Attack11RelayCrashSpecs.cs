using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 11 (issue 10): the relay sends a real client what no honest server would (a roster with a
/// name twice, members and rooms it never announced, envelopes for rooms the client is not in). Each
/// is an error event at most: the client keeps its state and goes on talking.
/// </summary>
public sealed class Attack11RelayCrashSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();
    private readonly FakeRelay _relay = new();

    [Fact]
    public async Task A_roster_with_a_name_twice_is_an_error_event_and_the_client_goes_on()
    {
        using var mallory = new HonestPeer("mallory");
        using var impostor = new HonestPeer("mallory");
        using var bob = new HonestPeer("bob");
        var carol = _nodes.Client("carol", _relay.Endpoint);
        await _relay.AcceptAsync();
        await _relay.ReceiveAsync<JoinRoom>();

        await _relay.SendAsync(new RoomJoined("lobby", [mallory.Member, bob.Member, impostor.Member]));

        var error = await carol.View.NextAsync<ErrorEvent>(e => e.Code == ErrorCodes.BadRoster);
        Assert.Contains("mallory", error.Message, StringComparison.Ordinal);
        await carol.ReadyAsync();
        carol.Type("still here");
        // The sender key to each member, the first "mallory" kept, then the one room-wide envelope: the chat
        // actor did not crash and restart.
        var keys = new[] { await _relay.ReceiveAsync<Envelope>(), await _relay.ReceiveAsync<Envelope>() };
        Assert.Equal(["bob", "mallory"], keys.Select(e => e.Recipient).Order(StringComparer.Ordinal));
        mallory.TakeSenderKey(keys.Single(e => e.Recipient == "mallory"), _relay.Client);
        var room = await _relay.ReceiveAsync<Envelope>();
        Assert.Equal("", room.Recipient);
        Assert.Equal("still here", mallory.ReadRoom(room, _relay.Client, [_relay.Client, mallory.Member, bob.Member]).Text);
    }

    [Fact]
    public async Task Members_rooms_and_envelopes_the_client_never_heard_of_are_at_most_errors()
    {
        using var bob = new HonestPeer("bob");
        var carol = _nodes.Client("carol", _relay.Endpoint);
        await _relay.AdmitAsync(bob.Member);
        await carol.ReadyAsync();
        var me = _relay.Client;

        // Everything here refers to rooms carol is not in, members nobody announced, or carol herself.
        var toElsewhere = bob.Message(me, "you never joined this room", room: "secret-room");
        await _relay.SendAsync(toElsewhere);
        await _relay.SendAsync(new StoredEnvelope(7, toElsewhere));
        await _relay.SendAsync(new MemberLeft("lobby", "nobody"));
        await _relay.SendAsync(new MemberLeft("nowhere", "bob"));
        await _relay.SendAsync(new MemberJoined("nowhere", bob.Member));
        await _relay.SendAsync(new MemberAway("nowhere", bob.Member));
        await _relay.SendAsync(new MemberJoined("lobby", me));
        await _relay.SendAsync(new RoomLeft("nowhere"));
        await _relay.SendAsync(new RoomJoined("lobby", [me, bob.Member, bob.Member]));
        await _relay.SendAsync(new PrekeyFor("not a name!", [new OneTimePrekey(1, new byte[32])]));
        await _relay.SendAsync(new EnvelopeAck(12345));
        await _relay.SendAsync(new GoodbyeAck());

        // The stored one is acknowledged (the server may delete it) and carol still talks to bob.
        Assert.Equal(7ul, (await _relay.ReceiveAsync<StoredAck>()).Seq);
        carol.Type("after all that");
        bob.TakeSenderKey(await _relay.ReceiveAsync<Envelope>(), me);
        var envelope = await _relay.ReceiveAsync<Envelope>();
        Assert.Equal("after all that", bob.ReadRoom(envelope, me, [me, bob.Member]).Text);
        var shown = await carol.View.DrainAsync(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(shown, e => e is MessageEvent or StoppedEvent or MemberLeftEvent);
        Assert.DoesNotContain(shown, e => e is MemberJoinedEvent { Name: "carol" });
        Assert.False(carol.Exit.IsCompleted);
    }

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _relay.DisposeAsync();
    }
}
