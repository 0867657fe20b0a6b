using Entice.Crypto.Group;

namespace Entice.Tests.Crypto.Group;

public sealed class SenderKeyDistributionSpecs
{
    [Fact]
    public void A_distribution_round_trips_every_field()
    {
        using var room = new GroupRoom("alice", "bob", "carol");
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", room.View, GroupRoom.Now);
        alice.Encrypt(GroupRoom.Text("advance"), 1);
        var sent = alice.Distribution();

        var parsed = SenderKeyDistribution.Parse(sent.Encode());

        Assert.True(parsed.Succeeded, parsed.ToString());
        var got = parsed.Distribution;
        Assert.Equal((sent.Room, sent.Sender, sent.KeyId, 1u, sent.Epoch), (got.Room, got.Sender, got.KeyId, got.Iteration, got.Epoch));
        Assert.Equal(sent.ChainKey, got.ChainKey);
        Assert.Equal(alice.SigningPublicKey, got.SigningKey);
        Assert.Equal(room.View.Members, got.Members);
    }

    [Fact]
    public void Every_truncation_and_any_trailing_byte_is_malformed()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", room.View, GroupRoom.Now);
        var bytes = alice.Distribution().Encode();

        for (var length = 0; length < bytes.Length; length++)
            Assert.Equal(DistributionFailure.Malformed, SenderKeyDistribution.Parse(bytes.AsSpan(0, length)).Failure);
        Assert.Equal(DistributionFailure.Malformed, SenderKeyDistribution.Parse([.. bytes, 0]).Failure);
    }

    [Theory]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // identity (small order)
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // order 2
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p, non-canonical
    public void A_small_order_or_non_canonical_signing_key_is_refused(string badKey)
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", room.View, GroupRoom.Now);
        var d = alice.Distribution();
        var forged = new SenderKeyDistribution(d.Room, d.Sender, d.KeyId, d.Iteration, d.ChainKey, Convert.FromHexString(badKey), d.Epoch, d.Members);

        Assert.Equal(DistributionFailure.BadSigningKey, SenderKeyDistribution.Parse(forged.Encode()).Failure);
    }

    [Fact]
    public void A_member_list_out_of_order_with_a_duplicate_or_without_the_sender_is_a_bad_roster()
    {
        using var room = new GroupRoom("alice", "bob", "carol");
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", room.View, GroupRoom.Now);
        var d = alice.Distribution();
        SenderKeyDistribution With(IReadOnlyList<RosterMember> members) =>
            new(d.Room, d.Sender, d.KeyId, d.Iteration, d.ChainKey.ToArray(), d.SigningKey, d.Epoch, members);

        Assert.Equal(DistributionFailure.BadRoster, SenderKeyDistribution.Parse(With(d.Members.Reverse().ToArray()).Encode()).Failure);
        Assert.Equal(DistributionFailure.BadRoster, SenderKeyDistribution.Parse(With([d.Members[0], d.Members[0], d.Members[1]]).Encode()).Failure);
        Assert.Equal(DistributionFailure.BadRoster, SenderKeyDistribution.Parse(With([d.Members[1], d.Members[2]]).Encode()).Failure);
    }

    [Fact]
    public void A_zero_key_id_or_an_invalid_name_is_malformed()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", room.View, GroupRoom.Now);
        var d = alice.Distribution();

        Assert.Equal(DistributionFailure.Malformed, SenderKeyDistribution.Parse(new SenderKeyDistribution(d.Room, d.Sender, 0, d.Iteration, d.ChainKey.ToArray(), d.SigningKey, d.Epoch, d.Members).Encode()).Failure);
        Assert.Equal(DistributionFailure.Malformed, SenderKeyDistribution.Parse(new SenderKeyDistribution(d.Room, "Alice\u0007", d.KeyId, d.Iteration, d.ChainKey.ToArray(), d.SigningKey, d.Epoch, d.Members).Encode()).Failure);
    }
}
