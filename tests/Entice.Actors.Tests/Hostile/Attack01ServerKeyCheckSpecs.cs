using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 1, the server's part: a member publishes a correctly signed low-order X25519 prekey (32 zero
/// bytes) so that everyone who encrypts to it fails. The relay refuses such keys at the hello and drops
/// them from published one-time prekeys, so they never reach a peer. (Clients check too: the crypto side.)
/// </summary>
public sealed class Attack01ServerKeyCheckSpecs : IAsyncLifetime
{
    private readonly TestNodes _nodes = new();
    private System.Net.IPEndPoint _server = null!;
    private string _data = "";

    public async Task InitializeAsync()
    {
        _data = _nodes.Dir("entice-test-data-");
        (_, _server) = await _nodes.ServerAsync(dataDir: _data);
    }

    public static TheoryData<string> LowOrder => new()
    {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p: non-canonical 0
        "0900000000000000000000000000000000000000000000000000000000000080", // top bit set: non-canonical
    };

    [Theory]
    [MemberData(nameof(LowOrder))]
    public async Task A_hello_with_a_correctly_signed_low_order_prekey_is_refused(string hex)
    {
        using var mallory = new TestIdentity("mallory");
        var bad = Convert.FromHexString(hex);
        var bundle = mallory.Bundle with { Prekey = bad, PrekeySignature = mallory.Keys.Sign(IdentitySignatures.SignedPrekeyMessage(bad)) };
        // Signed by mallory's real identity key: only the key itself is bad, and the relay says so.
        using var c = await RawClient.ConnectAsync(_server);
        var serverHello = await c.ReceiveAsync<ServerHello>();

        await c.SendAsync(new Hello(ProtocolVersion.Current, "mallory", bundle, IdentitySignatures.SignHello(mallory.Keys, serverHello.Challenge, "mallory")));

        var refused = Assert.IsType<ErrorMessage>(await c.ReceiveAsync());
        Assert.Equal(ErrorCodes.BadHello, refused.Code);
        Assert.Contains("signed prekey is a low-order or non-canonical X25519 point", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Low_order_one_time_prekeys_are_dropped_and_never_handed_out()
    {
        using var mallory = new TestIdentity("mallory");
        using var alice = new TestIdentity("alice");
        using var m = await RawClient.JoinedAsync(_server, mallory);
        await m.SendAsync(new PublishPrekeys([new OneTimePrekey(1, new byte[32]), new OneTimePrekey(2, [.. Enumerable.Repeat((byte)9, 32)])]));
        using var a = await RawClient.JoinedAsync(_server, alice);

        await a.SendAsync(new FetchPrekey("mallory"));
        Assert.Equal(2u, Assert.Single((await a.ReceiveAsync<PrekeyFor>()).Prekeys).Id);
        await a.SendAsync(new FetchPrekey("mallory"));
        Assert.Empty((await a.ReceiveAsync<PrekeyFor>()).Prekeys);
    }

    [Fact]
    public void Good_keys_pass_and_each_listed_point_is_refused()
    {
        using var honest = new TestIdentity("honest");
        Assert.Null(PublicKeyCheck.Problem(honest.Bundle));
        Assert.False(PublicKeyCheck.IsUsableEd25519(Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")));
        Assert.False(PublicKeyCheck.IsUsableEd25519(Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"))); // sign bit set
        Assert.False(PublicKeyCheck.IsUsableX25519(Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157")));
        Assert.False(PublicKeyCheck.IsUsableX25519(new byte[31]));
    }

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();
}
