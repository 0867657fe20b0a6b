using System.Security.Cryptography;
using Entice.Config;
using Entice.Crypto.Group;

namespace Entice.Tests.Crypto.Group;

public sealed class RosterAndRotationSpecs
{
    private static readonly DateTimeOffset Made = GroupRoom.Now;

    [Fact]
    public void The_member_set_hash_ignores_input_order_but_changes_with_any_name_or_key()
    {
        using var room = new GroupRoom("alice", "bob", "carol");
        var members = room.View.Members;
        var reordered = RosterView.Create(room.View.Epoch, members.Reverse());
        var otherKey = RosterView.Create(room.View.Epoch, [members[0], members[1], new RosterMember("carol", RandomNumberGenerator.GetBytes(32))]);
        var otherName = RosterView.Create(room.View.Epoch, [members[0], members[1], new RosterMember("carl", members[2].Fingerprint)]);

        Assert.Equal(room.View.MemberSetHash, reordered.MemberSetHash);
        Assert.NotEqual(room.View.MemberSetHash, otherKey.MemberSetHash);
        Assert.NotEqual(room.View.MemberSetHash, otherName.MemberSetHash);
        Assert.Throws<ArgumentException>(() => RosterView.Create(1, [members[0], members[0]]));
    }

    [Fact]
    public void Leaving_changing_keys_and_joining_force_a_new_key_before_the_healing_limits()
    {
        using var room = new GroupRoom("alice", "bob", "carol");
        var made = room.View;
        var options = SenderKeyOptions.Default;
        RotationReason Check(RosterView now, long sent = 0, TimeSpan? age = null) =>
            RotationPolicy.Check(made, now, sent, Made, Made + (age ?? TimeSpan.Zero), options);

        Assert.Equal(RotationReason.None, Check(made, sent: 999, age: TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1)));
        Assert.Equal(RotationReason.MemberLeft, Check(RosterView.Create(2, made.Members.Where(m => m.Name != "carol")), sent: 5000));
        Assert.Equal(RotationReason.MemberKeyChanged, Check(RosterView.Create(2, [made.Members[0], made.Members[1], new RosterMember("carol", RandomNumberGenerator.GetBytes(32))])));
        Assert.Equal(RotationReason.MemberJoined, Check(RosterView.Create(2, made.Members.Append(new RosterMember("dave", RandomNumberGenerator.GetBytes(32))))));
        Assert.Equal(RotationReason.EpochChanged, Check(RosterView.Create(2, made.Members)));
        Assert.Equal(RotationReason.MessageLimit, Check(made, sent: 1000));
        Assert.Equal(RotationReason.Age, Check(made, age: TimeSpan.FromDays(7)));
        Assert.Equal(RotationReason.Age, Check(made, age: TimeSpan.FromMinutes(-1)));
    }

    [Fact]
    public void A_sender_key_counts_its_own_messages_for_the_limit()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", room.View, GroupRoom.Now);
        var options = new SenderKeyOptions { RotateAfterMessages = 3 };
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RotationReason.None, alice.RotationNeeded(room.View, GroupRoom.Now, options));
            alice.Encrypt(GroupRoom.Text("x"), (ulong)i);
        }

        Assert.Equal(RotationReason.MessageLimit, alice.RotationNeeded(room.View, GroupRoom.Now, options));
    }

    [Fact]
    public void The_knobs_come_from_client_conf_with_the_documented_defaults()
    {
        var options = SenderKeyOptions.FromConfig(EnticeConfig.Client());

        Assert.Equal(new SenderKeyOptions { RotateAfterMessages = 1000, RotateAfter = TimeSpan.FromDays(7), MaxSkip = 2000, MaxSkippedKept = 250 }, options);
        var custom = Akka.Configuration.ConfigurationFactory.ParseString("entice.client.sender-keys { rotate-after-messages = 10, rotate-after = 1h, max-skip = 5, max-skipped-kept = 2 }");
        Assert.Equal(new SenderKeyOptions { RotateAfterMessages = 10, RotateAfter = TimeSpan.FromHours(1), MaxSkip = 5, MaxSkippedKept = 2 }, SenderKeyOptions.FromConfig(custom));
        Assert.Throws<ArgumentOutOfRangeException>(() => SenderKeyOptions.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("entice.client.sender-keys.rotate-after-messages = 0")));
    }
}
