using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Entice.Config;
using Entice.Server;
using Entice.Server.Cluster;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Server.Names;
using Entice.Server.Rooms;

namespace Entice.Tests.Cluster;

/// <summary>What crosses between server nodes: every message in an explicit format, nothing as JSON.</summary>
public sealed class ClusterSerializationSpecs(ClusterSerializationSpecs.ClusterSystem fixture)
    : IClassFixture<ClusterSerializationSpecs.ClusterSystem>, IDisposable
{
    /// <summary>One actor system configured as a cluster node (serializers bound as in production).</summary>
    public sealed class ClusterSystem : IDisposable
    {
        public ActorSystem System { get; } = ActorSystem.Create(ClusterSettings.SystemName,
            ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.loggers = [\"Akka.Event.DefaultLogger\"]")
                .WithFallback(new ClusterSettings { Port = 0 }.ToAkkaConfig())
                .WithFallback(EnticeConfig.Cluster()));

        public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private readonly ActorSystem _system = fixture.System;
    private readonly TestIdentity _alice = new("alice");

    public void Dispose() => _alice.Dispose();

    public static TheoryData<string> MessageKinds => ["hello", "presence", "present", "gone", "ack", "deliver", "taken", "stored", "evict", "find", "not-here"];

    [Theory]
    [MemberData(nameof(MessageKinds))]
    public void Every_cluster_message_round_trips_through_the_explicit_serializer(string kind)
    {
        var message = Sample(kind);
        var serializer = _system.Serialization.FindSerializerFor(message);
        Assert.IsType<ClusterMessageSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var back = _system.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));

        Assert.Equal(Describe(message), Describe(back));
    }

    [Theory]
    [MemberData(nameof(MessageKinds))]
    public void A_truncated_or_padded_cluster_message_is_refused_not_half_read(string kind)
    {
        var message = Sample(kind);
        var serializer = (ClusterMessageSerializer)_system.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var manifest = serializer.Manifest(message);

        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes[..^1], manifest));
        Assert.Throws<SerializationException>(() => serializer.FromBinary([.. bytes, 0], manifest));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "no-such-manifest"));
    }

    [Fact]
    public void A_message_without_an_explicit_format_cannot_leave_the_node_as_json()
    {
        var stray = new Room.Route(new Envelope("lobby", "alice", "", 1, false, [1, 2, 3]));
        var serializer = _system.Serialization.FindSerializerFor(stray);

        Assert.IsType<NoFallbackSerializer>(serializer);
        var refused = Assert.Throws<SerializationException>(() => serializer.ToBinary(stray));
        Assert.Contains(nameof(Room.Route), refused.Message, StringComparison.Ordinal);
    }

    private object Sample(string kind)
    {
        var roomRef = _system.DeadLetters;
        return kind switch
        {
            "hello" => new RoomSpan.Hello("lobby", roomRef),
            "presence" => new RoomSpan.Presence("lobby", 7, [_alice.Member], Reply: true),
            "present" => new RoomSpan.MemberPresent("lobby", 8, _alice.Member),
            "gone" => new RoomSpan.MemberGone("lobby", 9, "alice", LeftForGood: true),
            "ack" => new RoomSpan.PresenceAck("lobby", 9),
            "deliver" => new RoomSpan.Deliver(new Envelope("lobby", "alice", "bob", 42, true, [9, 8, 7, 6]), 17),
            "taken" => new RoomSpan.Taken("lobby", 17),
            "stored" => new RoomSpan.Stored("lobby", "bob"),
            "evict" => new NameEviction("alice", _alice.Bundle.SigningKey),
            "find" => new RoomSpan.Find("lobby", roomRef),
            "not-here" => new RoomSpan.NotHere("lobby"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    // Records hold lists and byte arrays, which compare by reference: compare their encoded form.
    private static string Describe(object message) => message switch
    {
        RoomSpan.Presence p => $"{p.Room} {p.Version} {string.Join(",", p.Members.Select(Hex))} {p.Reply}",
        RoomSpan.MemberPresent p => $"{p.Room} {p.Version} {Hex(p.Member)}",
        RoomSpan.Deliver d => $"{d.Ticket} {Convert.ToHexString(WireCodec.Encode(d.Envelope))}",
        NameEviction e => $"{e.Name} {Convert.ToHexString(e.Identity)}",
        _ => message.ToString()!,
    };

    private static string Hex(MemberInfo m) => Convert.ToHexString(WireCodec.Encode(new MemberJoined("x", m)));
}
