using System.Net;
using System.Text;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Crypto.Identity;

namespace Entice.Tests.Hostile;

/// <summary>
/// What a hostile member builds by hand: bundles with chosen (bad) keys, correctly signed by its own identity,
/// and a raw connection that says hello with them. No project client code: keys, signatures and frames only.
/// </summary>
internal static class HostileMember
{
    /// <summary>A bundle of <paramref name="who"/> whose signed prekey is <paramref name="prekey"/>, correctly signed.</summary>
    public static IdentityBundle WithPrekey(TestIdentity who, byte[] prekey) =>
        who.Bundle with { Prekey = prekey, PrekeySignature = who.Keys.Sign([.. Encoding.ASCII.GetBytes("Entice/v1/spk"), .. prekey]) };

    /// <summary>A bundle of <paramref name="who"/> whose X25519 identity key is <paramref name="dhKey"/>, correctly bound.</summary>
    public static IdentityBundle WithIdentityDhKey(TestIdentity who, byte[] dhKey) =>
        who.Bundle with { DhKey = dhKey, BindingSignature = who.Keys.Sign([.. Encoding.ASCII.GetBytes("Entice/v1/idbind"), .. dhKey]) };

    /// <summary>Connects and says hello as <paramref name="who"/> announcing <paramref name="bundle"/>; returns the connection and the server's answer.</summary>
    public static async Task<(RawClient Client, WireMessage? Answer)> HelloAsync(IPEndPoint server, TestIdentity who, IdentityBundle bundle)
    {
        var raw = await RawClient.ConnectAsync(server);
        var serverHello = Assert.IsType<ServerHello>(await raw.ReceiveAsync());
        var signature = IdentitySignatures.SignHello(who.Keys, serverHello.Challenge, who.Name);
        await raw.SendAsync(new Hello(ProtocolVersion.Current, who.Name, bundle, signature));
        return (raw, await raw.ReceiveAsync());
    }

    /// <summary>The X25519 public keys a peer must refuse: every small-order point and non-canonical encodings.</summary>
    public static IEnumerable<object[]> BadX25519Keys() =>
        new[]
        {
            "0000000000000000000000000000000000000000000000000000000000000000", // 0
            "0100000000000000000000000000000000000000000000000000000000000000", // 1
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // order 8
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p - 1
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p (= 0)
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p + 1 (= 1)
            "0000000000000000000000000000000000000000000000000000000000000080", // 0 with the top bit set
        }.Select(hex => new object[] { hex });
}
