using System.Buffers.Binary;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Server;

/// <summary>
/// The relay over real loopback TCP, fed by hand: hostile or broken input costs only the connection that
/// sent it, with a clear error, while an honest conversation goes on.
/// </summary>
public sealed class RelayServerSpecs : IAsyncLifetime
{
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private Akka.Actor.ActorSystem _server = null!;
    private System.Net.IPEndPoint _endpoint = null!;

    public async Task InitializeAsync() => (_server, _endpoint) = await LocalNodes.StartServerAsync();

    public async Task DisposeAsync()
    {
        await _server.Terminate();
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public async Task A_valid_hello_is_welcomed_and_a_room_can_be_joined()
    {
        using var alice = await RawClient.ConnectAsync(_endpoint);
        Assert.Equal("alice", Assert.IsType<Welcome>(await alice.HelloAsync(_alice)).Name);

        await alice.SendAsync(new JoinRoom("lobby"));

        var joined = Assert.IsType<RoomJoined>(await alice.ReceiveAsync());
        Assert.Equal("lobby", joined.Room);
        Assert.Empty(joined.Members);
    }

    [Fact]
    public async Task A_hello_signed_for_another_challenge_is_refused()
    {
        using var c = await RawClient.ConnectAsync(_endpoint);
        await c.ReceiveAsync<ServerHello>();
        var wrongChallenge = new byte[32];
        var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(_alice.Keys, wrongChallenge, "alice");

        await c.SendAsync(new Hello(ProtocolVersion.Current, "alice", _alice.Bundle, signature));

        Assert.Equal(ErrorCodes.BadHello, Assert.IsType<ErrorMessage>(await c.ReceiveAsync()).Code);
        Assert.True(await c.ClosedByServerAsync());
    }

    [Fact]
    public async Task A_hello_claiming_someone_elses_keys_is_refused()
    {
        using var c = await RawClient.ConnectAsync(_endpoint);
        var hello = await c.ReceiveAsync<ServerHello>();
        // Mallory presents alice's public keys but can only sign with her own key.
        using var mallory = new TestIdentity("mallory");
        var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(mallory.Keys, hello.Challenge, "alice");

        await c.SendAsync(new Hello(ProtocolVersion.Current, "alice", _alice.Bundle, signature));

        Assert.Equal(ErrorCodes.BadHello, Assert.IsType<ErrorMessage>(await c.ReceiveAsync()).Code);
    }

    [Fact]
    public async Task A_wrong_protocol_version_gets_a_clear_error()
    {
        using var c = await RawClient.ConnectAsync(_endpoint);
        var hello = await c.ReceiveAsync<ServerHello>();
        var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(_alice.Keys, hello.Challenge, "alice");

        await c.SendAsync(new Hello(99, "alice", _alice.Bundle, signature));

        Assert.Equal(ErrorCodes.UnsupportedVersion, Assert.IsType<ErrorMessage>(await c.ReceiveAsync()).Code);
        Assert.True(await c.ClosedByServerAsync());
    }

    [Fact]
    public async Task Talking_before_hello_is_refused()
    {
        using var c = await RawClient.ConnectAsync(_endpoint);
        await c.ReceiveAsync<ServerHello>();

        await c.SendAsync(new JoinRoom("lobby"));

        Assert.Equal(ErrorCodes.NotAuthenticated, Assert.IsType<ErrorMessage>(await c.ReceiveAsync()).Code);
        Assert.True(await c.ClosedByServerAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64 * 1024 + 1)]
    [InlineData(-1)]
    public async Task A_zero_oversize_or_negative_frame_length_aborts_only_that_connection(int length)
    {
        using var alice = await ConnectedAsync(_alice, "lobby");
        using var bob = await ConnectedAsync(_bob, "lobby");
        await alice.ReceiveAsync<MemberJoined>();
        using var hostile = await RawClient.ConnectAsync(_endpoint);
        await hostile.ReceiveAsync<ServerHello>();

        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, length);
        await hostile.SendRawAsync(header);

        var error = Assert.IsType<ErrorMessage>(await hostile.ReceiveAsync());
        Assert.Contains(error.Code, new[] { ErrorCodes.BadFrame, ErrorCodes.FrameTooLarge });
        Assert.True(await hostile.ClosedByServerAsync());
        await AssertConversationWorksAsync(alice, bob);
    }

    [Fact]
    public async Task Garbage_after_hello_aborts_only_that_connection()
    {
        using var alice = await ConnectedAsync(_alice, "lobby");
        using var bob = await ConnectedAsync(_bob, "lobby");
        await alice.ReceiveAsync<MemberJoined>();

        await bob.SendRawAsync([0, 0, 0, 3, 0xEE, 0xFF, 0x00]);

        Assert.Equal(ErrorCodes.BadFrame, (await bob.ReceiveAsync<ErrorMessage>()).Code);
        Assert.True(await bob.ClosedByServerAsync());
        // bob's connection is gone; the room remembers him as away (messages to him are kept).
        Assert.Equal("bob", (await alice.ReceiveAsync<MemberAway>()).Member.Name);
    }

    [Fact]
    public async Task The_same_name_twice_is_refused_while_the_first_stays_connected()
    {
        using var alice = await ConnectedAsync(_alice, "lobby");
        using var second = await RawClient.ConnectAsync(_endpoint);
        using var sameName = new TestIdentity("alice"); // other keys, same name

        var reply = await second.HelloAsync(sameName);

        Assert.Equal(ErrorCodes.NameOwned, Assert.IsType<ErrorMessage>(reply).Code);
        await alice.SendAsync(new Ping(5));
        Assert.Equal(5UL, (await alice.ReceiveAsync<Pong>()).Nonce);
    }

    [Fact]
    public async Task The_same_identity_connecting_again_replaces_its_stale_connection()
    {
        using var stale = await ConnectedAsync(_alice, "lobby"); // e.g. a phone that changed Wi-Fi
        using var again = await RawClient.ConnectAsync(_endpoint);

        Assert.IsType<Welcome>(await again.HelloAsync(_alice));

        Assert.Equal(ErrorCodes.Replaced, (await stale.ReceiveAsync<ErrorMessage>()).Code);
        Assert.True(await stale.ClosedByServerAsync());
        await again.SendAsync(new Ping(6));
        Assert.Equal(6UL, (await again.ReceiveAsync<Pong>()).Nonce);
    }

    [Fact]
    public async Task A_name_is_free_again_once_its_connection_is_gone()
    {
        var first = await ConnectedAsync(_alice, "lobby");
        first.Dispose();

        await Eventually.HoldsAsync(async () =>
        {
            using var again = await RawClient.ConnectAsync(_endpoint);
            return await again.HelloAsync(_alice) is Welcome;
        });
    }

    [Fact]
    public async Task An_envelope_split_into_single_bytes_is_reassembled_and_relayed()
    {
        using var alice = await ConnectedAsync(_alice, "lobby");
        using var bob = await ConnectedAsync(_bob, "lobby");
        await alice.ReceiveAsync<MemberJoined>();
        var frame = WireCodec.EncodeFrame(new Envelope("lobby", "", "bob", 11, false, new byte[3000]));

        foreach (var b in frame)
            await alice.SendRawAsync([b]);

        var env = await bob.ReceiveAsync<Envelope>();
        Assert.Equal((11UL, "alice", 3000), (env.Id, env.Sender, env.Ciphertext.Length));
    }

    private async Task<RawClient> ConnectedAsync(TestIdentity who, string room)
    {
        var c = await RawClient.ConnectAsync(_endpoint);
        Assert.IsType<Welcome>(await c.HelloAsync(who));
        await c.SendAsync(new JoinRoom(room));
        await c.ReceiveAsync<RoomJoined>();
        return c;
    }

    private static async Task AssertConversationWorksAsync(RawClient alice, RawClient bob)
    {
        await alice.SendAsync(new Envelope("lobby", "", "", 77, false, [1, 2, 3, 4]));
        var env = await bob.ReceiveAsync<Envelope>();
        Assert.Equal((77UL, "alice"), (env.Id, env.Sender));
    }

}
