using Akka.Actor;
using Akka.IO;

namespace Entice.Transport;

/// <summary>
/// Writes frames to a connection with explicit backpressure: one batch in flight, the next only after
/// the previous one is written (Akka.IO's acknowledgement, or the socket's send completing), and
/// everything else in a bounded <see cref="OutboundQueue"/>. Used by the actor that owns the connection,
/// from its own thread only.
/// </summary>
public sealed class AckedWriter
{
    private readonly OutboundQueue _queue;
    private readonly IFrameLayer _layer;
    private IConnectionIo? _connection;
    private bool _writing;
    private bool _closeWhenDrained;
    private bool _closeSent;

    /// <param name="layer">Seals each batch as it is written (many frames, one record run); null: bytes as queued.</param>
    public AckedWriter(long maxQueueBytes, IFrameLayer? layer = null)
    {
        _layer = layer ?? PlainFrameLayer.Instance;
        // Each ack round writes one batch; with the channel, one batch is sealed as one record.
        _queue = new OutboundQueue(maxQueueBytes, _layer is NoiseFrameLayer ? NoiseFrameLayer.MaxBatchBytes : OutboundQueue.DefaultMaxBatchBytes);
    }

    /// <summary>The acknowledgement sent back for each batch written asynchronously; route it to <see cref="OnAck"/>.</summary>
    public sealed class Ack : Tcp.Event
    {
        public static readonly Ack Instance = new();
    }

    public long QueuedBytes => _queue.QueuedBytes;

    public long MaxQueueBytes => _queue.MaxBytes;

    /// <summary>True once a close was requested: further frames are ignored.</summary>
    public bool Closing => _closeWhenDrained;

    /// <summary>Starts writing to <paramref name="connection"/> (frames queued before this go first).</summary>
    public void Attach(IActorRef connection) => Attach(new AkkaIoConnection(connection));

    /// <summary>Starts writing to <paramref name="connection"/> (frames queued before this go first).</summary>
    internal void Attach(IConnectionIo connection)
    {
        _connection = connection;
        Flush();
    }

    /// <summary>Queues a frame; false when the peer is too far behind (nothing queued: abort it).</summary>
    public bool TryEnqueue(byte[] frame)
    {
        if (_closeWhenDrained)
            return true;
        if (!_queue.TryEnqueue(frame))
            return false;
        Flush();
        return true;
    }

    public void OnAck()
    {
        _writing = false;
        Flush();
    }

    /// <summary>Writes what is queued, then closes the connection gracefully.</summary>
    public void CloseWhenDrained()
    {
        _closeWhenDrained = true;
        Flush();
    }

    private void Flush()
    {
        // A write that completes at once (a socket with room in its send buffer) is followed by the next
        // batch here; one that does not leaves _writing set until its Ack.
        while (!_writing && _connection is not null)
        {
            if (_queue.IsEmpty)
            {
                if (_closeWhenDrained && !_closeSent)
                {
                    _closeSent = true;
                    _connection.Close();
                }
                return;
            }
            _writing = true;
            if (_connection.Write(_layer.SealNext(_queue)))
                _writing = false;
        }
    }
}
