using System.Buffers;
using Akka.Actor;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// Room-wide envelopes routed in one burst (those already in the room's mailbox when the first of them is
/// routed), handed to each member's transport as one <see cref="ClientTransport.Send"/> of many frames
/// instead of one per envelope: one mailbox message per member per burst, and the transport writes the
/// burst as one batch (one <c>sendmsg</c>, one channel record) instead of as many small ones. Owned by the
/// <see cref="RoomActor"/> and called on its thread only. The room flushes it when its <see cref="Flush"/>
/// message comes round, before it handles any other message (so what it sends stays in order, and
/// membership cannot change within a burst), and as soon as <see cref="MaxBytes"/> are pending.
/// Members who sent none of the burst's envelopes share one array; a sender gets the others' envelopes
/// followed by the acknowledgements of its own.
/// </summary>
internal sealed class RoomFanout
{
    /// <summary>To the room itself: the burst is over (everything routed before it is in the fan-out).</summary>
    internal sealed class Flush
    {
        public static readonly Flush Instance = new();

        private Flush() { }
    }

    /// <summary>Pending bytes that end a burst early: half a write batch, so a burst is one channel record.</summary>
    public const int MaxBytes = 32 * 1024;

    private static readonly int AckFrameBytes = WireCodec.FrameSize(new EnvelopeAck(0));

    private readonly List<(string Sender, int Start, int Length)> _frames = [];
    private readonly List<(string Sender, ulong Id)> _acks = [];
    private readonly HashSet<string> _senders = new(StringComparer.Ordinal);
    private byte[]? _buffer;
    private int _length;

    public bool IsEmpty => _frames.Count == 0 && _acks.Count == 0;

    /// <summary>Bytes of frames pending.</summary>
    public int Bytes => _length;

    /// <summary>
    /// Adds a room-wide envelope for every member present but its sender; true when it is the first of a
    /// burst (the caller then sends itself <see cref="Flush"/>). <paramref name="size"/>: its
    /// <see cref="WireCodec.FrameSize"/>; the caller flushes first when it would take the pending bytes past <see cref="MaxBytes"/>.
    /// </summary>
    public bool Add(Envelope envelope, int size)
    {
        var first = IsEmpty;
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(MaxBytes, size));
        }
        else if (_length + size > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_length + size);
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        WireCodec.EncodeFrame(envelope, _buffer.AsSpan(_length));
        _frames.Add((envelope.Sender, _length, size));
        _senders.Add(envelope.Sender);
        _length += size;
        return first;
    }

    /// <summary>The sender's <see cref="EnvelopeAck"/>, sent after the burst's envelopes to it.</summary>
    public void Acknowledge(string sender, ulong id)
    {
        _acks.Add((sender, id));
        _senders.Add(sender);
    }

    /// <summary>Hands what is pending to the transports of <paramref name="present"/> and starts a new burst.</summary>
    public void SendTo(IEnumerable<RoomMembers.Present> present)
    {
        if (IsEmpty)
            return;
        ClientTransport.Send? shared = _length > 0 ? new ClientTransport.Send(_buffer.AsSpan(0, _length).ToArray()) : null;
        foreach (var member in present)
        {
            if (!_senders.Contains(member.Info.Name))
            {
                if (shared is not null)
                    member.Transport.Tell(shared);
            }
            else if (ForSender(member.Info.Name) is { Length: > 0 } own)
            {
                member.Transport.Tell(new ClientTransport.Send(own));
            }
        }
        _frames.Clear();
        _acks.Clear();
        _senders.Clear();
        _length = 0;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    // The others' frames in routing order, then the acknowledgements of the sender's own.
    private byte[] ForSender(string sender)
    {
        var size = 0;
        foreach (var f in _frames)
            if (f.Sender != sender)
                size += f.Length;
        foreach (var a in _acks)
            if (a.Sender == sender)
                size += AckFrameBytes;
        var bytes = new byte[size];
        var at = 0;
        foreach (var f in _frames)
        {
            if (f.Sender == sender)
                continue;
            _buffer.AsSpan(f.Start, f.Length).CopyTo(bytes.AsSpan(at));
            at += f.Length;
        }
        foreach (var a in _acks)
            if (a.Sender == sender)
                at += WireCodec.EncodeFrame(new EnvelopeAck(a.Id), bytes.AsSpan(at));
        return bytes;
    }
}
