using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Client.Keys;
using Entice.Crypto.Storage;

namespace Entice.Tests.Client;

/// <summary>
/// Two crypto actors talking through a simulated relay (this test): what one encrypts the other reads;
/// what a hostile relay alters, replays or re-addresses is rejected and never shown.
/// </summary>
public sealed class CryptoAgentSpecs : TestKit
{
    private readonly TempDirs _dirs = new();

    public CryptoAgentSpecs(ITestOutputHelper output) : base("akka.loglevel = WARNING", output: output)
    {
    }

    [Fact]
    public async Task Alice_and_bob_exchange_messages_in_both_directions()
    {
        var (alice, aliceInfo) = await StartAgentAsync("alice");
        var (bob, bobInfo) = await StartAgentAsync("bob");
        await MeetAsync(alice, bobInfo);
        await MeetAsync(bob, aliceInfo);

        var toBob = await EncryptAsync(alice, bobInfo, "hello bob", direct: false);
        Assert.Equal("hello bob", (await DecryptAsync(bob, toBob, aliceInfo)).Plaintext.Text);

        var toAlice = await EncryptAsync(bob, aliceInfo, "hi alice, 你好 🙂", direct: true);
        var got = await DecryptAsync(alice, toAlice, bobInfo);
        Assert.Equal(("hi alice, 你好 🙂", true, "bob"), (got.Plaintext.Text, got.Direct, got.From));
    }

    [Fact]
    public async Task Plaintext_never_appears_in_the_envelope()
    {
        var (alice, _) = await StartAgentAsync("alice");
        var (_, bobInfo) = await StartAgentAsync("bob");
        await MeetAsync(alice, bobInfo);

        var env = await EncryptAsync(alice, bobInfo, "the secret plan is here", direct: false);

        Assert.DoesNotContain("secret plan", System.Text.Encoding.UTF8.GetString(env.Ciphertext), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_altered_envelope_is_rejected_and_later_messages_still_decrypt()
    {
        var (alice, aliceInfo) = await StartAgentAsync("alice");
        var (bob, bobInfo) = await StartAgentAsync("bob");
        await MeetAsync(alice, bobInfo);
        await MeetAsync(bob, aliceInfo);
        var first = await EncryptAsync(alice, bobInfo, "one", direct: false);
        var second = await EncryptAsync(alice, bobInfo, "two", direct: false);

        var tampered = (byte[])first.Ciphertext.Clone();
        tampered[^5] ^= 0x40;
        bob.Tell(new CryptoAgent.Decrypt(first with { Ciphertext = tampered }, aliceInfo));
        Assert.Equal(ErrorCodes.DecryptFailed, (await ExpectMsgAsync<CryptoAgent.DecryptRejected>()).Code);

        Assert.Equal("one", (await DecryptAsync(bob, first, aliceInfo)).Plaintext.Text);
        Assert.Equal("two", (await DecryptAsync(bob, second, aliceInfo)).Plaintext.Text);
    }

    [Fact]
    public async Task A_replayed_envelope_is_rejected_and_never_shown_twice()
    {
        var (alice, aliceInfo) = await StartAgentAsync("alice");
        var (bob, bobInfo) = await StartAgentAsync("bob");
        await MeetAsync(alice, bobInfo);
        await MeetAsync(bob, aliceInfo);
        var env = await EncryptAsync(alice, bobInfo, "pay 10 coins", direct: true);
        await DecryptAsync(bob, env, aliceInfo);

        bob.Tell(new CryptoAgent.Decrypt(env, aliceInfo));

        Assert.Equal(ErrorCodes.Replay, (await ExpectMsgAsync<CryptoAgent.DecryptRejected>()).Code);
    }

    [Fact]
    public async Task A_direct_message_turned_into_a_room_message_by_the_relay_is_rejected()
    {
        var (alice, aliceInfo) = await StartAgentAsync("alice");
        var (bob, bobInfo) = await StartAgentAsync("bob");
        await MeetAsync(alice, bobInfo);
        await MeetAsync(bob, aliceInfo);
        var env = await EncryptAsync(alice, bobInfo, "only for you", direct: true);

        bob.Tell(new CryptoAgent.Decrypt(env with { Direct = false }, aliceInfo));
        await ExpectMsgAsync<CryptoAgent.DecryptRejected>();
        bob.Tell(new CryptoAgent.Decrypt(env with { Room = "elsewhere" }, aliceInfo));
        await ExpectMsgAsync<CryptoAgent.DecryptRejected>();
    }

    [Fact]
    public async Task A_changed_key_is_reported_and_nothing_is_sent_until_the_user_trusts_it()
    {
        var (alice, _) = await StartAgentAsync("alice");
        var bobDir = NewDir();
        var (_, bobInfo) = await StartAgentAsync("bob", bobDir);
        await MeetAsync(alice, bobInfo);

        // "bob" comes back with a different identity (a reinstall, or a relay swapping keys).
        var (_, impostor) = await StartAgentAsync("bob");
        alice.Tell(new CryptoAgent.ObservePeer(impostor));
        Assert.Equal(PeerKeyStatus.Changed, (await ExpectMsgAsync<CryptoAgent.PeerObserved>()).Status);

        alice.Tell(new CryptoAgent.Encrypt(impostor, "lobby", false, "are you there?", 1));
        Assert.Equal(ErrorCodes.UntrustedKey, (await ExpectMsgAsync<CryptoAgent.EncryptRefused>()).Code);

        alice.Tell(new CryptoAgent.Trust(impostor));
        await ExpectMsgAsync<CryptoAgent.TrustAccepted>();
        alice.Tell(new CryptoAgent.Encrypt(impostor, "lobby", false, "now it goes", 2));
        await ExpectMsgAsync<CryptoAgent.Encrypted>();
    }

    [Fact]
    public async Task Messages_from_a_changed_key_wait_unread_until_trusted()
    {
        var (alice, _) = await StartAgentAsync("alice");
        var (_, bobInfo) = await StartAgentAsync("bob");
        await MeetAsync(alice, bobInfo);
        var (newBob, newBobInfo) = await StartAgentAsync("bob");
        alice.Tell(new CryptoAgent.ObservePeer(newBobInfo));
        await ExpectMsgAsync<CryptoAgent.PeerObserved>();

        alice.Tell(new CryptoAgent.GetIdentity());
        var aliceIdentity = await ExpectMsgAsync<CryptoAgent.IdentityInfo>();
        var aliceMember = new MemberInfo("alice", aliceIdentity.Bundle);
        await MeetAsync(newBob, aliceMember);
        var env = await EncryptAsync(newBob, aliceMember, "it's me, new phone", direct: false);
        alice.Tell(new CryptoAgent.Decrypt(env, newBobInfo));
        await ExpectMsgAsync<CryptoAgent.DecryptHeld>();

        alice.Tell(new CryptoAgent.Trust(newBobInfo));
        await ExpectMsgAsync<CryptoAgent.TrustAccepted>();
        Assert.Equal("it's me, new phone", (await ExpectMsgAsync<CryptoAgent.Decrypted>()).Plaintext.Text);
    }

    [Fact]
    public async Task Both_sides_compute_the_same_safety_number()
    {
        var (alice, aliceInfo) = await StartAgentAsync("alice");
        var (bob, bobInfo) = await StartAgentAsync("bob");

        alice.Tell(new CryptoAgent.ComputeSafetyNumber(bobInfo));
        var a = await ExpectMsgAsync<CryptoAgent.SafetyNumberComputed>();
        bob.Tell(new CryptoAgent.ComputeSafetyNumber(aliceInfo));
        var b = await ExpectMsgAsync<CryptoAgent.SafetyNumberComputed>();

        Assert.Equal(60, a.Digits.Length);
        Assert.True(a.Digits.All(char.IsAsciiDigit));
        Assert.Equal(a.Digits, b.Digits);
    }

    private async Task<(IActorRef Agent, MemberInfo Info)> StartAgentAsync(string name, string? dir = null)
    {
        var keys = new KeyDirectory(dir ?? NewDir());
        var agent = Sys.ActorOf(CryptoAgent.Props(name, keys, new CryptoAgent.Options { MaxSkip = 1000, ShowBeforeSave = false }));
        agent.Tell(new CryptoAgent.GetIdentity());
        var info = await ExpectMsgAsync<CryptoAgent.IdentityInfo>();
        return (agent, new MemberInfo(name, info.Bundle));
    }

    private async Task MeetAsync(IActorRef agent, MemberInfo peer)
    {
        agent.Tell(new CryptoAgent.ObservePeer(peer));
        await ExpectMsgAsync<CryptoAgent.PeerObserved>();
    }

    private async Task<Envelope> EncryptAsync(IActorRef agent, MemberInfo to, string text, bool direct)
    {
        agent.Tell(new CryptoAgent.Encrypt(to, "lobby", direct, text, 1));
        return (await ExpectMsgAsync<CryptoAgent.Encrypted>()).Envelope;
    }

    private async Task<CryptoAgent.Decrypted> DecryptAsync(IActorRef agent, Envelope env, MemberInfo from)
    {
        agent.Tell(new CryptoAgent.Decrypt(env, from));
        return await ExpectMsgAsync<CryptoAgent.Decrypted>();
    }

    private string NewDir() => _dirs.New();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _dirs.Dispose();
    }
}
