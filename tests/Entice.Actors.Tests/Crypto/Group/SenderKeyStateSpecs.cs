using Entice.Crypto.Group;

namespace Entice.Tests.Crypto.Group;

/// <summary>The saved form of sender keys (senderkeys.bin): a restored chain goes on, a damaged one is a named problem.</summary>
public sealed class SenderKeyStateSpecs
{
    [Fact]
    public void A_restored_state_sends_the_next_iteration_and_reads_the_late_and_new_messages_once()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var bob = room.Receiver("bob");
        var late = alice.Encrypt(GroupRoom.Text("late"), 1);
        Assert.True(bob.Decrypt("alice", 2, alice.Encrypt(GroupRoom.Text("early"), 2), room.View).Succeeded);

        var aliceState = SenderKeyState.Export([alice], []);
        var bobState = SenderKeyState.Export([], [bob]);
        Assert.True(SenderKeyState.TryImport(aliceState, "alice", GroupRoom.Options, out var aliceOwn, out _, out var problem), problem);
        Assert.True(SenderKeyState.TryImport(bobState, "bob", GroupRoom.Options, out _, out var bobReceivers, out problem), problem);
        using var alice2 = Assert.Single(aliceOwn);
        using var bob2 = Assert.Single(bobReceivers);

        Assert.Equal((alice.KeyId, 2u, 2L), (alice2.KeyId, alice2.Iteration, alice2.MessagesSent));
        Assert.Equal(alice.SigningPublicKey, alice2.SigningPublicKey);
        var next = alice2.Encrypt(GroupRoom.Text("after"), 3);
        var result = bob2.Decrypt("alice", 3, next, room.View);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(2u, result.Iteration);
        Assert.True(bob2.Decrypt("alice", 1, late, room.View).Succeeded); // the kept skipped key came along
        Assert.Equal(GroupDecryptFailure.Replay, bob2.Decrypt("alice", 1, late, room.View).Failure);
    }

    [Fact]
    public void Every_truncation_and_a_flipped_byte_are_refused_with_a_reason_never_an_exception()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var bob = room.Receiver("bob");
        Assert.True(bob.Decrypt("alice", 2, alice.Encrypt(GroupRoom.Text("x"), 2), room.View).Succeeded);
        var state = SenderKeyState.Export([alice], [bob]);

        for (var length = 0; length < state.Length; length++)
        {
            Assert.False(SenderKeyState.TryImport(state.AsSpan(0, length), "alice", GroupRoom.Options, out _, out _, out var problem));
            Assert.False(string.IsNullOrEmpty(problem));
        }

        // Another owner: the own key names alice, not bob.
        Assert.False(SenderKeyState.TryImport(state, "bob", GroupRoom.Options, out _, out _, out _));
        var flipped = state.ToArray();
        flipped[0] ^= 1;
        Assert.False(SenderKeyState.TryImport(flipped, "alice", GroupRoom.Options, out _, out _, out _));
    }
}
