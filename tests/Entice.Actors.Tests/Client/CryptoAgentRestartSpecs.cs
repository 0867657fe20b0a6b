using Akka.Actor;
using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Client.Keys;

namespace Entice.Tests.Client;

/// <summary>
/// The crypto actor survives a crash: the request that failed is answered with an error naming the peer, the
/// actor restarts with its keys (it loads them from the key directory; nothing disposable sits in its Props)
/// and its saved sessions, and encryption and decryption go on in the same sessions.
/// </summary>
public sealed class CryptoAgentRestartSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{
    [Fact]
    public async Task After_a_crash_the_failed_request_is_answered_and_the_same_sessions_go_on()
    {
        var (alice, bob) = await StartPairAsync();
        Assert.Equal("before", await SendAsync(alice, bob, "before"));
        Assert.Equal("reply", await SendAsync(bob, alice, "reply"));
        Watch(alice.Ref);

        // A request the actor cannot handle (here: no envelope at all) throws inside it.
        alice.Ref.Tell(new CryptoAgent.Decrypt(null!, bob.Info, 77));
        var failed = await ExpectMsgAsync<CryptoAgent.DecryptRejected>();
        Assert.Equal(("bob", ErrorCodes.DecryptFailed, 77UL), (failed.From, failed.Code, failed.Ticket));

        // Same actor, restarted with its keys: the bundle is the one published before, and both directions work.
        alice.Ref.Tell(new CryptoAgent.GetIdentity());
        Assert.Equal(alice.Info.Identity.Prekey, (await ExpectMsgAsync<CryptoAgent.IdentityInfo>()).Bundle.Prekey);
        var after = await EncryptAsync(alice, bob.Info, "after the crash");
        Assert.Equal(0, after.Ciphertext[1]); // an ordinary message: the session survived, no new handshake
        Assert.Equal("after the crash", (await OpenAsync(bob, after, alice.Info)).Plaintext.Text);
        Assert.Equal("and back", await SendAsync(bob, alice, "and back"));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200)); // never terminated
    }
}
