using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 14 of issue 10: one invalid bundle announced by the relay left the peer blocked, so its valid,
/// unchanged keys announced next showed KEY CHANGED (training people to /trust blindly). Now an invalid
/// bundle is refused with an error and nothing else: the pin and the block list are untouched.
/// </summary>
public sealed class Attack14FalseAlarmSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task An_invalid_bundle_is_refused_and_the_valid_unchanged_keys_after_it_raise_no_alarm()
    {
        await using var relay = new FakeRelay();
        using var alice = new HonestPeer("alice");
        var bob = _nodes.Client("bob", relay.Endpoint);
        var room = await relay.AdmitAsync(alice.Member);
        await bob.ReadyAsync();
        await relay.SendAsync(alice.Message(relay.Client, "hello", 1));
        Assert.Equal("hello", (await bob.View.NextAsync<MessageEvent>()).Text);

        // The relay announces alice with a broken prekey signature, then with her real keys again.
        var broken = alice.Member.Identity with { PrekeySignature = new byte[64] };
        await relay.SendAsync(new MemberJoined(room, new MemberInfo("alice", broken)));
        var refused = await bob.View.NextAsync<ErrorEvent>(e => e.Message.Contains("alice", StringComparison.Ordinal));
        Assert.Equal(ErrorCodes.UntrustedKey, refused.Code);
        await relay.SendAsync(new MemberJoined(room, alice.Member));
        await relay.SendAsync(alice.Message(relay.Client, "still me", 2));

        Assert.Equal("still me", (await bob.View.NextAsync<MessageEvent>()).Text);
        Assert.DoesNotContain("KeyChanged", bob.View.Seen, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
