using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Server.Connections;
using Entice.Server.Names;
using Entice.Tests.Support;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Tests.Transport;

/// <summary>
/// The protocol side of a client connection on its own, with no socket: a recording link stands in for
/// the socket side, probes for the name registry and the rooms. What it sends, when it closes and when it
/// moves the connection on are what a client would see.
/// </summary>
public sealed class ClientProtocolSpecs : TestKit
{
    private readonly ServerSettings _settings = new() { EnvelopesPerSecond = 0 };

    public ClientProtocolSpecs() : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public void A_hello_with_another_protocol_version_is_refused_and_no_name_is_claimed()
    {
        var (link, names, protocol, challenge) = Start();
        using var who = new TestIdentity("old");
        protocol.OnHello(new Hello((ushort)(ProtocolVersion.Current + 1), "old", who.Bundle,
            Entice.Crypto.Identity.IdentitySignatures.SignHello(who.Keys, challenge, "old")));

        Assert.Equal(ErrorCodes.UnsupportedVersion, Assert.Single(link.Closed).Code);
        Assert.False(link.Accepted);
        names.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_hello_signed_for_another_challenge_is_refused()
    {
        var (link, _, protocol, _) = Start();
        using var who = new TestIdentity("mallory");
        protocol.OnHello(new Hello(ProtocolVersion.Current, "mallory", who.Bundle,
            Entice.Crypto.Identity.IdentitySignatures.SignHello(who.Keys, new byte[32], "mallory")));

        Assert.Equal(ErrorCodes.BadHello, Assert.Single(link.Closed).Code);
        Assert.False(link.Accepted);
    }

    [Fact]
    public async Task A_valid_hello_claims_the_name_and_the_claim_welcomes_the_client()
    {
        var (link, names, protocol, challenge) = Start();
        using var who = new TestIdentity("alice");
        protocol.OnHello(new Hello(ProtocolVersion.Current, "alice", who.Bundle,
            Entice.Crypto.Identity.IdentitySignatures.SignHello(who.Keys, challenge, "alice")));

        Assert.True(link.Accepted);
        var claim = await names.ExpectMsgAsync<NameRegistry.Claim>();
        Assert.Equal("alice", claim.Name);
        Assert.Equal(link.Self, claim.Owner);
        Assert.False(link.Welcomed);

        Assert.True(protocol.OnReply(new NameRegistry.Claimed("alice")));
        Assert.True(link.Welcomed);
        Assert.Equal("alice", Assert.IsType<Welcome>(link.Sent[^1]).Name);

        // Not in the room: refused with a reason, the connection stays open.
        protocol.OnMessage(new Envelope("lobby", "alice", "", 9, false, [1, 2, 3]));
        var refused = Assert.IsType<EnvelopeRefused>(link.Sent[^1]);
        Assert.Equal((9UL, ErrorCodes.NotInRoom), (refused.Id, refused.Code));
        Assert.Empty(link.Closed);
        Assert.False(protocol.OnReply("not for the protocol"));
    }

    private (RecordingLink Link, Akka.TestKit.TestProbe Names, ClientProtocol Protocol, byte[] Challenge) Start()
    {
        var names = CreateTestProbe();
        var rooms = CreateTestProbe();
        var link = new RecordingLink(CreateTestProbe().Ref, Sys.Log);
        var protocol = new ClientProtocol(link, _settings, names.Ref, rooms.Ref, store: null);
        protocol.Start();
        var hello = Assert.IsType<ServerHello>(Assert.Single(link.Sent));
        return (link, names, protocol, hello.Challenge);
    }

    private sealed class RecordingLink(IActorRef self, ILoggingAdapter log) : IClientLink
    {
        public List<WireMessage> Sent { get; } = [];

        public List<(string Code, string Message)> Closed { get; } = [];

        public bool Accepted { get; private set; }

        public bool Welcomed { get; private set; }

        public IActorRef Self => self;

        public EndPoint Remote { get; } = new IPEndPoint(IPAddress.Loopback, 5555);

        public ILoggingAdapter Log => log;

        public void Send(WireMessage message) => Sent.Add(message);

        public void Close(string code, string message, string logReason) => Closed.Add((code, message));

        public void CloseWhenSent() => Closed.Add(("", "when sent"));

        void IClientLink.HelloAccepted() => Accepted = true;

        void IClientLink.Welcomed() => Welcomed = true;

        public void Watch(IActorRef actor)
        {
        }

        public void Unwatch(IActorRef actor)
        {
        }
    }
}
