using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Entice.Wire;

namespace Entice.Server.Cluster;

/// <summary>
/// The binary format of <see cref="IClusterMessage"/>s between server nodes. Members and envelopes
/// reuse the client wire codec (same limits, same strict decoder); actor refs travel as their paths.
/// A malformed message is a <see cref="SerializationException"/>, which Akka.Remote logs and drops.
/// </summary>
public sealed class ClusterMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string HelloManifest = "H";
    private const string PresenceManifest = "P";
    private const string MemberPresentManifest = "MP";
    private const string MemberGoneManifest = "MG";
    private const string PresenceAckManifest = "A";
    private const string DeliverManifest = "D";
    private const string StoredManifest = "S";
    private const string TakenManifest = "T";
    private const string EvictManifest = "E";
    private const string FindManifest = "F";
    private const string NotHereManifest = "N";

    public override int Identifier => 4711;

    public override string Manifest(object o) => o switch
    {
        RoomSpan.Hello => HelloManifest,
        RoomSpan.Presence => PresenceManifest,
        RoomSpan.MemberPresent => MemberPresentManifest,
        RoomSpan.MemberGone => MemberGoneManifest,
        RoomSpan.PresenceAck => PresenceAckManifest,
        RoomSpan.Deliver => DeliverManifest,
        RoomSpan.Stored => StoredManifest,
        RoomSpan.Taken => TakenManifest,
        NameEviction => EvictManifest,
        RoomSpan.Find => FindManifest,
        RoomSpan.NotHere => NotHereManifest,
        _ => throw new SerializationException($"no cluster format for {o?.GetType().Name}"),
    };

    public override byte[] ToBinary(object obj)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case RoomSpan.Hello h:
                    WriteRoomRef(w, h.Room, h.RoomRef);
                    break;
                case RoomSpan.Find f:
                    WriteRoomRef(w, f.Room, f.RoomRef);
                    break;
                case RoomSpan.NotHere n:
                    w.Write(n.Room);
                    break;
                case RoomSpan.Presence p:
                    w.Write(p.Room);
                    w.Write(p.Version);
                    w.Write(p.Members.Count);
                    foreach (var m in p.Members)
                        WriteMember(w, p.Room, m);
                    w.Write(p.Reply);
                    break;
                case RoomSpan.MemberPresent mp:
                    w.Write(mp.Room);
                    w.Write(mp.Version);
                    WriteMember(w, mp.Room, mp.Member);
                    break;
                case RoomSpan.MemberGone mg:
                    w.Write(mg.Room);
                    w.Write(mg.Version);
                    w.Write(mg.Name);
                    w.Write(mg.LeftForGood);
                    break;
                case RoomSpan.PresenceAck a:
                    w.Write(a.Room);
                    w.Write(a.Version);
                    break;
                case RoomSpan.Deliver d:
                    w.Write(d.Ticket);
                    WriteBlob(w, WireCodec.Encode(d.Envelope));
                    break;
                case RoomSpan.Taken t:
                    w.Write(t.Room);
                    w.Write(t.Ticket);
                    break;
                case RoomSpan.Stored s:
                    w.Write(s.Room);
                    w.Write(s.Recipient);
                    break;
                case NameEviction e:
                    w.Write(e.Name);
                    WriteBlob(w, e.Identity);
                    break;
                default:
                    throw new SerializationException($"no cluster format for {obj?.GetType().Name}");
            }
        }
        return buffer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            object message = manifest switch
            {
                HelloManifest => ReadRoomRef(r, (room, roomRef) => new RoomSpan.Hello(room, roomRef)),
                FindManifest => ReadRoomRef(r, (room, roomRef) => new RoomSpan.Find(room, roomRef)),
                NotHereManifest => new RoomSpan.NotHere(r.ReadString()),
                PresenceManifest => ReadPresence(r),
                MemberPresentManifest => new RoomSpan.MemberPresent(r.ReadString(), r.ReadInt64(), ReadMember(r)),
                MemberGoneManifest => new RoomSpan.MemberGone(r.ReadString(), r.ReadInt64(), r.ReadString(), r.ReadBoolean()),
                PresenceAckManifest => new RoomSpan.PresenceAck(r.ReadString(), r.ReadInt64()),
                DeliverManifest => ReadDeliver(r),
                TakenManifest => new RoomSpan.Taken(r.ReadString(), r.ReadInt64()),
                StoredManifest => new RoomSpan.Stored(r.ReadString(), r.ReadString()),
                EvictManifest => new NameEviction(r.ReadString(), ReadBlob(r)),
                _ => throw new SerializationException($"unknown cluster manifest \"{manifest}\""),
            };
            if (r.BaseStream.Position != bytes.Length)
                throw new SerializationException($"trailing bytes after a cluster message \"{manifest}\"");
            return message;
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or FormatException)
        {
            throw new SerializationException($"malformed cluster message \"{manifest}\": {ex.Message}", ex);
        }
    }

    private static void WriteRoomRef(BinaryWriter w, string room, IActorRef roomRef)
    {
        w.Write(room);
        w.Write(Serialization.SerializedActorPath(roomRef));
    }

    private T ReadRoomRef<T>(BinaryReader r, Func<string, IActorRef, T> create)
    {
        var room = r.ReadString();
        return create(room, system.Provider.ResolveActorRef(r.ReadString()));
    }

    private static RoomSpan.Deliver ReadDeliver(BinaryReader r)
    {
        var ticket = r.ReadInt64();
        return new RoomSpan.Deliver(Decode<Envelope>(ReadBlob(r)), ticket);
    }

    private static RoomSpan.Presence ReadPresence(BinaryReader r)
    {
        var room = r.ReadString();
        var version = r.ReadInt64();
        var count = r.ReadInt32();
        if (count < 0 || count > WireLimits.MaxMembers)
            throw new SerializationException($"a presence snapshot of {count} members");
        var members = new List<MemberInfo>(count);
        for (var i = 0; i < count; i++)
            members.Add(ReadMember(r));
        return new RoomSpan.Presence(room, version, members, r.ReadBoolean());
    }

    // A member travels as the client wire's MemberJoined, so the same validation applies.
    private static void WriteMember(BinaryWriter w, string room, MemberInfo member) =>
        WriteBlob(w, WireCodec.Encode(new MemberJoined(room, member)));

    private static MemberInfo ReadMember(BinaryReader r) => Decode<MemberJoined>(ReadBlob(r)).Member;

    private static void WriteBlob(BinaryWriter w, byte[] blob)
    {
        w.Write(blob.Length);
        w.Write(blob);
    }

    private static byte[] ReadBlob(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
            throw new SerializationException($"a blob of {length} bytes");
        return r.ReadBytes(length);
    }

    private static T Decode<T>(byte[] payload) where T : WireMessage =>
        WireCodec.TryDecode(payload, out var message, out var error) && message is T typed
            ? typed
            : throw new SerializationException($"bad {typeof(T).Name} in a cluster message: {error}");
}
