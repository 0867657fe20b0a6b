using Akka.Actor;
using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Client.Keys;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 1 when the relay itself announces the bad keys (it can: it forwards bundles): every low-order or
/// non-canonical X25519 key, in the identity or the signed prekey, correctly signed, is refused at the bundle
/// with an answer naming the member, pins nothing, and every other conversation goes on.
/// </summary>
public sealed class Attack01LowOrderPrekeyAgentSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{
    public static IEnumerable<object[]> BadKeys() => HostileMember.BadX25519Keys();

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_relay_announcing_a_bad_signed_prekey_gets_it_refused_and_the_other_conversations_go_on(string badKey)
    {
        await RefusedAndOthersGoOnAsync(m => HostileMember.WithPrekey(m, Convert.FromHexString(badKey)));
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_relay_announcing_a_bad_identity_key_gets_it_refused_and_the_other_conversations_go_on(string badKey)
    {
        await RefusedAndOthersGoOnAsync(m => HostileMember.WithIdentityDhKey(m, Convert.FromHexString(badKey)));
    }

    private async Task RefusedAndOthersGoOnAsync(Func<TestIdentity, IdentityBundle> bundleOf)
    {
        var (alice, bob) = await StartPairAsync();
        using var mallory = new TestIdentity("mallory");
        var bad = new MemberInfo("mallory", bundleOf(mallory));

        Assert.Equal(PeerKeyStatus.Invalid, (await MeetAsync(alice, bad)).Status);
        alice.Ref.Tell(new CryptoAgent.Encrypt(bad, "lobby", false, "hi all", 41));
        var refused = await ExpectMsgAsync<CryptoAgent.EncryptRefused>();
        Assert.Equal(("mallory", CryptoAgent.InvalidKeyCode, 41UL), (refused.Recipient, refused.Code, refused.EnvelopeId));
        Assert.Contains("mallory", refused.Reason, StringComparison.Ordinal);

        Assert.Equal("hi all", await SendAsync(alice, bob, "hi all"));
        Assert.Equal("still here", await SendAsync(bob, alice, "still here"));
        // Nothing was pinned for the refused keys: mallory's real keys, announced later, are simply new.
        Assert.Equal(PeerKeyStatus.New, (await MeetAsync(alice, mallory.Member)).Status);
    }
}
