using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Entice.Server.Cluster;

/// <summary>
/// Bound to <c>System.Object</c> in cluster mode in place of Akka's JSON fallback: a message type that
/// was never given an explicit format fails loudly the first time it would cross to another node,
/// instead of silently going out as reflection-driven JSON.
/// </summary>
public sealed class NoFallbackSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 4712;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) =>
        throw new SerializationException($"{obj?.GetType().FullName} has no explicit serializer; it may not leave this node");

    public override object FromBinary(byte[] bytes, Type type) =>
        throw new SerializationException($"refusing a message in the fallback format ({type?.FullName ?? "unknown type"})");
}
