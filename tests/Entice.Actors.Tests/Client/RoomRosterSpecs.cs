using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Client;

public sealed class RoomRosterSpecs : IDisposable
{
    private readonly TestIdentity _bob = new("bob");
    private readonly TestIdentity _carol = new("carol");

    [Fact]
    public void A_direct_peer_is_found_in_the_selected_room_first_then_in_any_shared_room()
    {
        var roster = new RoomRoster();
        roster.Enter("lobby", [_bob.Member]);
        roster.Enter("games", [_bob.Member, _carol.Member]);

        Assert.Equal("games", roster.FindPeer("bob", "games")!.Value.Room);
        Assert.Equal("games", roster.FindPeer("carol", "lobby")!.Value.Room);
        Assert.Null(roster.FindPeer("mallory", "lobby"));
    }

    [Fact]
    public void Members_come_and_go_per_room()
    {
        var roster = new RoomRoster();
        roster.Enter("lobby", [_bob.Member]);
        roster.Add("lobby", _carol.Member);
        roster.Remove("lobby", "bob");
        roster.Add("elsewhere", _bob.Member); // not in that room: ignored

        Assert.Equal(["carol"], roster.Members("lobby").Select(m => m.Name));
        Assert.Empty(roster.Members("elsewhere"));
        roster.Leave("lobby");
        Assert.False(roster.IsIn("lobby"));
    }

    [Fact]
    public void The_member_list_is_the_same_object_until_the_members_change_and_then_shows_the_change()
    {
        // The crypto actor takes "the same list object" as "the same members" (no per-message compare).
        var roster = new RoomRoster();
        roster.Enter("lobby", [_bob.Member]);
        var first = roster.MemberList("lobby");
        Assert.Same(first, roster.MemberList("lobby"));

        roster.Add("lobby", _carol.Member);
        var joined = roster.MemberList("lobby");
        Assert.Equal(["bob", "carol"], joined.Select(m => m.Name).Order());

        roster.AddAway("lobby", _bob.Member);
        Assert.NotSame(joined, roster.MemberList("lobby"));
        roster.Remove("lobby", "carol");
        Assert.Equal(["bob"], roster.MemberList("lobby").Select(m => m.Name));
        roster.Enter("lobby", [_carol.Member]);
        Assert.Equal(["carol"], roster.MemberList("lobby").Select(m => m.Name));
        roster.Leave("lobby");
        Assert.Empty(roster.MemberList("lobby"));
    }

    [Fact]
    public void A_roster_from_the_relay_with_a_name_twice_or_its_own_name_is_taken_without_a_crash()
    {
        using var impostor = new TestIdentity("bob");
        var roster = new RoomRoster();

        var problems = roster.Enter("lobby", [_bob.Member, impostor.Member, new MemberInfo("alice", _carol.Bundle), new MemberInfo("not a name", _carol.Bundle)], self: "alice");

        Assert.Equal(3, problems.Count); // the second bob, itself, and a name no server accepts
        Assert.True(roster.TryGet("lobby", "bob", out var bob));
        Assert.Same(_bob.Bundle, bob.Identity); // the first entry wins
        Assert.Equal(["bob"], roster.Members("lobby").Select(m => m.Name));
    }

    public void Dispose()
    {
        _bob.Dispose();
        _carol.Dispose();
    }
}
