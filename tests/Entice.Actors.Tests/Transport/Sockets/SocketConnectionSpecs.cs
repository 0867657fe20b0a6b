using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.TestKit.Xunit2;
using Entice.Transport;
using Entice.Transport.Sockets;

namespace Entice.Tests.Transport.Sockets;

/// <summary>
/// The server's own socket transport, with a probe as the owning actor and a real loopback socket pair:
/// what it holds while idle, read backpressure, send completion as the writer's acknowledgement, and how
/// endings are told.
/// </summary>
public sealed class SocketConnectionSpecs : TestKit
{
    private readonly Socket _server;
    private readonly Socket _peer;

    public SocketConnectionSpecs() : base("akka.loglevel = WARNING")
    {
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen(1);
        _peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _peer.Connect(listening.LocalEndPoint!);
        _server = listening.Accept();
    }

    /// <summary>Counts the buffers rented and not yet returned.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        private int _out;

        public int Outstanding => Volatile.Read(ref _out);

        public int Rented { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _out);
            Rented++;
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false) => Interlocked.Decrement(ref _out);
    }

    [Fact]
    public async Task An_idle_connection_holds_no_receive_buffer_and_a_read_rents_one_only_while_it_is_handled()
    {
        var owner = CreateTestProbe();
        var pool = new CountingPool();
        using var connection = new SocketConnection(_server, owner.Ref, pool);

        connection.ResumeReading();
        // The read is out, waiting for data: it holds nothing.
        await Task.Delay(200);
        Assert.True(connection.Reading);
        Assert.Equal(0, pool.Outstanding);

        _peer.Send([1, 2, 3]);
        var read = await owner.ExpectMsgAsync<SocketConnection.Received>();
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Bytes.ToArray());
        Assert.Equal(1, pool.Outstanding);

        connection.Release(read, plaintext: true);
        Assert.Equal(0, pool.Outstanding);
        Assert.All(read.Buffer.Take(3), b => Assert.Equal(0, b)); // plaintext frames are zeroed before the buffer goes back
    }

    [Fact]
    public async Task The_next_read_starts_only_once_the_owner_has_handled_the_last_one()
    {
        var owner = CreateTestProbe();
        using var connection = new SocketConnection(_server, owner.Ref);
        connection.ResumeReading();
        _peer.Send([1]);
        var first = await owner.ExpectMsgAsync<SocketConnection.Received>();

        _peer.Send([2]);
        connection.ResumeReading(); // a read is out (the first, not released): this starts nothing
        await owner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        connection.Release(first, plaintext: false);
        connection.ResumeReading();
        var second = await owner.ExpectMsgAsync<SocketConnection.Received>();
        Assert.Equal(new byte[] { 2 }, second.Bytes.ToArray());
    }

    [Fact]
    public async Task A_peer_that_stops_reading_holds_the_send_and_the_queue_until_it_reads_again()
    {
        var owner = CreateTestProbe();
        _server.SendBufferSize = 4096;
        _peer.ReceiveBufferSize = 4096;
        using var connection = new SocketConnection(_server, owner.Ref);
        // Small: with 4 KiB socket buffers loopback TCP moves about a window per delayed ACK (~80 ms).
        var writer = new AckedWriter(maxQueueBytes: 64 * 1024);
        writer.Attach(connection);

        // Far more than the socket buffers hold: one send is left waiting for the peer, the rest stays queued.
        var frame = new byte[16 * 1024];
        var queued = 0;
        while (queued < 1000 && writer.TryEnqueue(frame)) // 4 fit the queue; a writer that does not wait for the send takes them all
            queued++;
        Assert.True(queued > 2);
        Assert.True(writer.QueuedBytes > 0, "the frames wait in the bounded queue, not in the socket");
        Assert.False(writer.TryEnqueue(frame)); // and past its bound it refuses: the owner disconnects that peer
        await owner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200)); // no completion while the peer reads nothing

        // The peer reads: the send completes, its Ack drives the next batch, until everything is written.
        var total = (long)queued * frame.Length;
        var reader = Task.Run(() =>
        {
            var buffer = new byte[16 * 1024];
            long read = 0;
            while (read < total)
                read += _peer.Receive(buffer);
            return read;
        });
        while (writer.QueuedBytes > 0)
        {
            await owner.ExpectMsgAsync<AckedWriter.Ack>(TimeSpan.FromSeconds(10));
            writer.OnAck();
        }
        Assert.Equal(total, await reader.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_record_once_sent_is_not_held_by_the_connection()
    {
        // Each idle connection kept the last record it sent (1-8 KiB of ciphertext) for its whole life in
        // the socket's cached send state: at 10,000 connections most of the memory over the target.
        var owner = CreateTestProbe();
        _server.SendBufferSize = 4096;
        _peer.ReceiveBufferSize = 4096;
        using var connection = new SocketConnection(_server, owner.Ref);
        var (sent, total) = SendUntilOneWaits(connection);

        var received = new byte[64 * 1024];
        long read = 0;
        while (read < total)
            read += await _peer.ReceiveAsync(received.AsMemory());
        await owner.ExpectMsgAsync<AckedWriter.Ack>(TimeSpan.FromSeconds(10)); // the send that waited has completed
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.All(sent, record => Assert.False(record.IsAlive, "a record already sent is still held"));
    }

    // Sends records until one has to wait for the peer (which reads nothing yet); only weak references stay.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (List<WeakReference> Sent, long Total) SendUntilOneWaits(SocketConnection connection)
    {
        var sent = new List<WeakReference>();
        long total = 0;
        var completed = true;
        while (completed && sent.Count < 100)
        {
            var record = new byte[sent.Count == 0 ? 512 : 32 * 1024];
            sent.Add(new WeakReference(record));
            total += record.Length;
            completed = connection.Write(record);
        }
        Assert.False(completed, "no send ever waited");
        return (sent, total);
    }

    [Fact]
    public async Task The_peer_closing_is_told_as_a_peer_close_and_a_reset_as_an_error()
    {
        var owner = CreateTestProbe();
        using var connection = new SocketConnection(_server, owner.Ref);
        connection.ResumeReading();
        _peer.Shutdown(SocketShutdown.Send);
        var closed = await owner.ExpectMsgAsync<SocketConnection.Closed>();
        Assert.Equal(("PeerClosed", false), (closed.Cause, closed.IsError));
    }

    [Fact]
    public async Task A_reset_is_told_as_an_error()
    {
        var owner = CreateTestProbe();
        using var connection = new SocketConnection(_server, owner.Ref);
        connection.ResumeReading();
        _peer.LingerState = new LingerOption(true, 0);
        _peer.Close();
        var closed = await owner.ExpectMsgAsync<SocketConnection.Closed>();
        Assert.True(closed.IsError);
        Assert.Contains("reset", closed.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graceful_close_sends_everything_then_the_end_and_reports_once_the_peer_closes_too()
    {
        var owner = CreateTestProbe();
        using var connection = new SocketConnection(_server, owner.Ref);
        var writer = new AckedWriter(maxQueueBytes: 1 << 20);
        writer.Attach(connection);
        writer.TryEnqueue([7, 7, 7]);
        writer.CloseWhenDrained();

        var buffer = new byte[16];
        var got = new List<byte>();
        int n;
        while ((n = _peer.Receive(buffer)) > 0)
            got.AddRange(buffer.AsSpan(0, n).ToArray());
        Assert.Equal(new byte[] { 7, 7, 7 }, got.ToArray()); // then the end of the stream, not a reset
        _peer.Shutdown(SocketShutdown.Send);
        var closed = await owner.ExpectMsgAsync<SocketConnection.Closed>();
        Assert.Equal(("closed", false), (closed.Cause, closed.IsError));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _server.Dispose();
            _peer.Dispose();
        }
        base.Dispose(disposing);
    }
}
