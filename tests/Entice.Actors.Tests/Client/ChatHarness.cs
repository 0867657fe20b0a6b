using System.Net;
using Akka.Actor;
using Akka.TestKit;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Tests.Support;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Tests.Client;

/// <summary>
/// A chat actor whose crypto actor, view and connections are probes: the spec plays the relay (through
/// the connection probes, one per connection the chat actor opens) and the crypto actor. Alice is the
/// client; bob is in the lobby with her.
/// </summary>
internal sealed class ChatHarness : IDisposable
{
    private const int MaxConnections = 4;
    private readonly List<TestProbe> _connections = [];
    private readonly List<TaskCompletionSource> _opened = [];

    public ChatHarness(TestKitBase kit, Func<ClientSettings, ClientSettings>? configure = null, string name = "chat")
    {
        Crypto = kit.CreateTestProbe($"{name}-crypto");
        View = kit.CreateTestProbe($"{name}-view");
        for (var i = 0; i < MaxConnections; i++)
        {
            _connections.Add(kit.CreateTestProbe($"{name}-connection-{i + 1}"));
            _opened.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        var settings = new ClientSettings
        {
            Name = "alice",
            Room = "lobby",
            Servers = [new DnsEndPoint("127.0.0.1", 1)],
            ReconnectInitial = TimeSpan.FromMilliseconds(50),
            ReconnectMax = TimeSpan.FromMilliseconds(200),
        };
        settings = configure?.Invoke(settings) ?? settings;
        Chat = kit.Sys.ActorOf(ChatClient.Props(settings, Crypto.Ref, View.Ref, (_, _, generation) =>
        {
            _opened[generation - 1].TrySetResult();
            return _connections[generation - 1].Ref;
        }), name);
    }

    public IActorRef Chat { get; }

    public TestProbe Crypto { get; }

    public TestProbe View { get; }

    public TestIdentity Alice { get; } = new("alice");

    public TestIdentity Bob { get; } = new("bob");

    /// <summary>The probe that stands for connection number <paramref name="generation"/> (from 1).</summary>
    public TestProbe Connection(int generation) => _connections[generation - 1];

    /// <summary>The crypto actor answers the chat actor's first question: who am I.</summary>
    public async Task GiveIdentityAsync()
    {
        await Crypto.ExpectMsgAsync<CryptoAgent.GetIdentity>();
        Crypto.Reply(new CryptoAgent.IdentityInfo(Alice.Bundle, "d672 853a"));
    }

    /// <summary>Connection <paramref name="generation"/> is opened, connects and goes through the handshake up to Welcome.</summary>
    public async Task HandshakeAsync(int generation)
    {
        await _opened[generation - 1].Task.WaitAsync(TimeSpan.FromSeconds(15));
        var connection = Connection(generation);
        connection.Send(Chat, new ServerConnection.Connected(new IPEndPoint(IPAddress.Loopback, 1), 0));
        FromServer(generation, new ServerHello(ProtocolVersion.Current, new byte[32]));
        await Crypto.FishForMessageAsync<CryptoAgent.SignHello>(_ => true);
        Crypto.Reply(new CryptoAgent.HelloSigned(new byte[64]));
        Assert.Equal("alice", (await SentAsync<Hello>(generation)).Name);
        FromServer(generation, new Welcome("alice"));
    }

    /// <summary>The server answers the join on connection <paramref name="generation"/> with bob in the room; the roster is complete.</summary>
    public async Task JoinAsync(int generation)
    {
        Assert.Equal("lobby", (await SentAsync<JoinRoom>(generation)).Room);
        FromServer(generation, new RoomJoined("lobby", [Bob.Member]));
        var barrier = await SentAsync<Ping>(generation);
        FromServer(generation, new Pong(barrier.Nonce));
    }

    /// <summary>The start-and-await-ready preamble: identity, handshake, the lobby with bob.</summary>
    public async Task AdmitAsync()
    {
        await GiveIdentityAsync();
        await HandshakeAsync(1);
        await JoinAsync(1);
        await View.ExpectMsgAsync<ReadyEvent>();
        Assert.Equal("bob", (await View.ExpectMsgAsync<MemberJoinedEvent>()).Name);
    }

    public void FromServer(int generation, WireMessage message) =>
        Connection(generation).Send(Chat, new ServerConnection.Received(message));

    /// <summary>The next message of type <typeparamref name="T"/> the chat actor sent on connection <paramref name="generation"/> (others skipped).</summary>
    public async Task<T> SentAsync<T>(int generation) where T : WireMessage =>
        (T)(await Connection(generation).FishForMessageAsync<ServerConnection.Send>(s => s.Message is T, TimeSpan.FromSeconds(15))).Message;

    /// <summary>The crypto actor encrypts the next request for a text as an envelope and answers.</summary>
    public async Task<Envelope> EncryptNextAsync()
    {
        var request = await Crypto.FishForMessageAsync<object>(m => m is CryptoAgent.Encrypt or CryptoAgent.EncryptRoom, TimeSpan.FromSeconds(15));
        var envelope = request switch
        {
            CryptoAgent.Encrypt e => new Envelope(e.Room, "alice", e.Recipient.Name, e.EnvelopeId, e.Direct, [1, 2, 3]),
            CryptoAgent.EncryptRoom r => new Envelope(r.Room, "alice", "", r.EnvelopeId, false, [1, 2, 3]),
            _ => throw new InvalidOperationException(),
        };
        Crypto.Reply(new CryptoAgent.Encrypted(envelope));
        return envelope;
    }

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
    }
}
