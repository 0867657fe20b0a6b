using System.Buffers.Binary;
using Akka.Actor;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Crypto.Storage;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Client;

/// <summary>
/// Issue 12: sender keys are saved with the rest of the key state (senderkeys.bin, through the key writer,
/// answered only after the save). A client restarted over the same key directory goes on with the same chain
/// (no message key used twice: the iteration continues) and still reads the keys others gave it before.
/// </summary>
public sealed class SenderKeyPersistenceSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{

    [Fact]
    public async Task A_restart_mid_conversation_continues_the_chain_and_keeps_reading_the_others_keys()
    {
        var (alice, bob) = await StartPairAsync();
        var (distributions, first) = await RoomSendAsync(alice, [bob.Info], "before");
        Assert.Single(distributions);
        bob.Ref.Tell(new CryptoAgent.Decrypt(distributions[0], alice.Info));
        await ExpectMsgAsync<CryptoAgent.SenderKeyTaken>();
        Assert.Equal("before", await ReadRoomAsync(bob, first, alice, [alice.Info]));

        // What a crash right after the answer would leave: the files as they are at that instant.
        var crashed = NewDir();
        CopyDirectory(alice.KeyDir, crashed);
        await StopAsync(alice);
        await StopAsync(bob);
        var alice2 = await StartAsync("alice", crashed);
        var bob2 = await StartAsync("bob", bob.KeyDir);

        var (again, second) = await RoomSendAsync(alice2, [bob2.Info], "after");
        Assert.Empty(again); // the same key: nothing to hand out again
        Assert.Equal(KeyId(first), KeyId(second));
        // The chain goes on from the saved reservation (issue 17): no message key reused, within what bob may skip.
        Assert.InRange(Iteration(second), Iteration(first) + 1, Iteration(first) + 1 + 32);
        Assert.Equal("after", await ReadRoomAsync(bob2, second, alice2, [alice2.Info]));

        // Bob's saved receiver remembers what it read: the first message again is a replay.
        var replay = Assert.IsType<CryptoAgent.DecryptRejected>(await DecryptRoomAsync(bob2, first, alice2.Info, [alice2.Info]));
        Assert.Equal(ErrorCodes.Replay, replay.Code);
    }

    [Fact]
    public async Task A_damaged_sender_key_file_is_a_named_problem_and_never_a_crash()
    {
        var (alice, bob) = await StartPairAsync();
        await RoomSendAsync(alice, [bob.Info], "before");
        await StopAsync(alice);
        var file = Path.Combine(alice.KeyDir, KeyDirectory.SenderKeysFileName);
        Assert.True(File.Exists(file));
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0x5a;
        File.WriteAllBytes(file, bytes[..^3]);

        var problem = new KeyDirectory(alice.KeyDir).Validate("alice");
        Assert.NotNull(problem);
        Assert.Equal(KeyDirectory.SenderKeysFileName, problem.File);
        var damaged = Assert.Throws<KeyDirectoryCheck.DamagedFileException>(() => KeyDirectoryCheck.Open(new KeyDirectory(alice.KeyDir), "alice"));
        Assert.Contains(KeyDirectory.SenderKeysFileName, damaged.Message, StringComparison.Ordinal);

        // Started anyway (the file broke after the check): it goes on with a new key, it does not fail.
        var alice2 = await StartAsync("alice", alice.KeyDir);
        var (distributions, message) = await RoomSendAsync(alice2, [bob.Info], "still here");
        Assert.Single(distributions);
        Assert.Equal("", message.Recipient);
    }

    private async Task<object> DecryptRoomAsync(Agent to, Envelope envelope, MemberInfo from, IReadOnlyList<MemberInfo> members)
    {
        to.Ref.Tell(new CryptoAgent.Decrypt(envelope, from, 0, members));
        return await ExpectMsgAsync<object>(m => m is CryptoAgent.Decrypted or CryptoAgent.DecryptRejected or CryptoAgent.DecryptHeld, TimeSpan.FromSeconds(10));
    }

    private async Task<string> ReadRoomAsync(Agent to, Envelope envelope, Agent from, IReadOnlyList<MemberInfo> members) =>
        Assert.IsType<CryptoAgent.Decrypted>(await DecryptRoomAsync(to, envelope, from.Info, members)).Plaintext.Text;

    // The room message header: 0x11 || key id (u32) || iteration (u32) || ...
    private static uint KeyId(Envelope e) => BinaryPrimitives.ReadUInt32BigEndian(e.Ciphertext.AsSpan(1, 4));

    private static uint Iteration(Envelope e) => BinaryPrimitives.ReadUInt32BigEndian(e.Ciphertext.AsSpan(5, 4));
}
