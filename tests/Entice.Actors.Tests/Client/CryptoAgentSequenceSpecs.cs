using Akka.Actor;
using Entice.Client;
using Entice.Tests.Support;
using Xunit.Abstractions;
using Entice.Client.Keys;

namespace Entice.Tests.Client;

/// <summary>
/// What the chat actor gets to spot gaps and reorders: every decrypted message carries its sender's number in
/// its conversation (room, or the direct conversation of the two), authenticated, counting on across the
/// sender's restarts; receipts are not numbered.
/// </summary>
public sealed class CryptoAgentSequenceSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{
    [Fact]
    public async Task Each_conversation_numbers_a_senders_messages_from_1_and_a_restart_continues_the_count()
    {
        var (alice, bob) = await StartPairAsync();

        var lobby1 = await OpenAsync(bob, await EncryptAsync(alice, bob.Info, "l1"), alice.Info);
        var lobby2 = await OpenAsync(bob, await EncryptAsync(alice, bob.Info, "l2"), alice.Info);
        var games1 = await OpenAsync(bob, await EncryptAsync(alice, bob.Info, "g1", room: "games"), alice.Info);
        var direct1 = await OpenAsync(bob, await EncryptAsync(alice, bob.Info, "d1", direct: true), alice.Info);
        alice.Ref.Tell(new CryptoAgent.Encrypt(bob.Info, "lobby", true, "", 900, [1UL]));
        var receipt = await OpenAsync(bob, (await ExpectMsgAsync<CryptoAgent.Encrypted>()).Envelope, alice.Info);

        Assert.Equal(("#lobby", 1UL), (lobby1.Conversation, lobby1.Sequence));
        Assert.Equal(("#lobby", 2UL), (lobby2.Conversation, lobby2.Sequence));
        Assert.Equal(("#games", 1UL), (games1.Conversation, games1.Sequence));
        Assert.Equal(("@alice|bob", 1UL), (direct1.Conversation, direct1.Sequence));
        Assert.Equal(0UL, receipt.Sequence);

        await StopAsync(alice);
        var again = await StartAsync("alice", alice.KeyDir);
        var lobby3 = await OpenAsync(bob, await EncryptAsync(again, bob.Info, "l3"), again.Info);
        Assert.Equal(("#lobby", 3UL), (lobby3.Conversation, lobby3.Sequence));
    }
}
