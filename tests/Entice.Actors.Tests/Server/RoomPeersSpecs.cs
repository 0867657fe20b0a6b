using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Server.Cluster;

namespace Entice.Tests.Server;

/// <summary>A room's view of the same room on other nodes: who is present where, and what they acknowledged.</summary>
public sealed class RoomPeersSpecs : TestKit
{
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");

    protected override void Dispose(bool disposing)
    {
        _alice.Dispose();
        _bob.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void A_member_is_present_while_some_node_says_so()
    {
        var peers = new RoomPeers();
        IActorRef nodeB = CreateTestProbe().Ref, nodeC = CreateTestProbe().Ref;
        Assert.True(peers.Add(nodeB));
        Assert.False(peers.Add(nodeB)); // known already: no second snapshot is sent
        peers.Add(nodeC);

        peers.SetPresent(nodeB, _alice.Member);
        peers.SetPresent(nodeC, _alice.Member); // she moved from b to c before b noticed
        Assert.NotNull(peers.Remove(nodeB, "alice"));
        Assert.True(peers.IsPresent("alice"));
        Assert.Equal(nodeC, peers.Where("alice"));
        Assert.Single(peers.Members());
    }

    [Fact]
    public void A_snapshot_reports_who_is_no_longer_there_and_a_dropped_node_returns_its_members()
    {
        var peers = new RoomPeers();
        var nodeB = CreateTestProbe().Ref;
        peers.Add(nodeB);
        peers.SetPresent(nodeB, _alice.Member);
        peers.SetPresent(nodeB, _bob.Member);

        var gone = peers.Replace(nodeB, [_bob.Member]);
        Assert.Equal(["alice"], gone.Select(m => m.Name));
        Assert.False(peers.IsPresent("alice"));

        Assert.Equal(["bob"], peers.Drop(nodeB).Select(m => m.Name));
        Assert.False(peers.IsPresent("bob"));
        Assert.Empty(peers.All);
    }

    [Fact]
    public void A_room_wide_count_includes_everyone_on_other_nodes_but_the_sender()
    {
        var peers = new RoomPeers();
        IActorRef nodeB = CreateTestProbe().Ref, nodeC = CreateTestProbe().Ref;
        peers.Add(nodeB);
        peers.Add(nodeC);
        peers.SetPresent(nodeB, _alice.Member);
        peers.SetPresent(nodeC, _bob.Member);

        Assert.Equal(1, peers.Count(except: "alice"));
    }

    [Fact]
    public void Acknowledgements_only_move_forward()
    {
        var peers = new RoomPeers();
        var nodeB = CreateTestProbe().Ref;
        peers.Add(nodeB);

        Assert.Equal(0, peers.Acknowledge(nodeB, 5)); // a first ack: everything before it is covered
        Assert.Equal(5, peers.Acknowledge(nodeB, 3)); // a late, older ack changes nothing
        Assert.Equal(5, peers.Acknowledge(nodeB, 9));
    }
}
