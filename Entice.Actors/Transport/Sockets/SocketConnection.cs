using System.Buffers;
using System.Net.Sockets;
using Akka.Actor;

namespace Entice.Transport.Sockets;

/// <summary>
/// One accepted socket, owned by its connection actor (<see cref="ClientTransportActor"/>) with no actor of
/// its own (Kestrel's SocketConnection is the model). Everything starts on the owner's thread and ends as a
/// message to it; nothing blocks a thread:
/// <list type="bullet">
/// <item>Reads: one at a time, started by <see cref="ResumeReading"/>. A zero-byte receive waits for data
/// holding no buffer, then a buffer is rented for what is there and handed to the owner as
/// <see cref="Received"/>; the owner gives it back with <see cref="Release"/> once handled and only then
/// resumes. An owner that is behind stops the reading, and TCP stops the client.</item>
/// <item>Writes (<see cref="IConnectionIo"/>): one send in flight; a send that completes at once returns
/// true, one that waits for the peer ends with <see cref="AckedWriter.Ack"/>.</item>
/// <item>Endings: the peer's close, a reset or an error arrive as one <see cref="Closed"/>. <see cref="Close"/>
/// sends FIN after the last write and reads (and drops) what the peer still sends until it closes too, at
/// most <see cref="CloseLinger"/>, so unread input never turns the last error frame into a reset.</item>
/// </list>
/// </summary>
internal sealed class SocketConnection : IConnectionIo, IDisposable
{
    /// <summary>The most one read takes (rented only while there is something to read).</summary>
    public const int ReadBufferBytes = 16 * 1024;

    /// <summary>How long a graceful close waits for the peer to close its side before the socket is closed anyway.</summary>
    public static readonly TimeSpan CloseLinger = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly IActorRef _owner;
    private readonly ArrayPool<byte> _pool;
    private ReceiveArgs? _receive;
    private SendArgs? _send;
    private bool _reading;
    private bool _closing;
    private volatile bool _disposed;

    /// <param name="pool">Where read buffers are rented (tests count them); the shared pool by default.</param>
    public SocketConnection(Socket socket, IActorRef owner, ArrayPool<byte>? pool = null)
    {
        _socket = socket;
        _owner = owner;
        _pool = pool ?? ArrayPool<byte>.Shared;
    }

    /// <summary>Bytes read: <see cref="Count"/> of <see cref="Buffer"/> (rented; give it back with <see cref="Release"/>).</summary>
    public sealed class Received(byte[] buffer, int count)
    {
        public byte[] Buffer { get; } = buffer;

        public int Count { get; } = count;

        public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Count);

        /// <summary>Kept by the owner for later (<see cref="Keep"/>): reading went on without it.</summary>
        internal bool Kept { get; set; }

        public override string ToString() => $"Received({Count} bytes)";
    }

    /// <summary>The connection ended: <paramref name="Cause"/> says how ("PeerClosed", "closed", or the error).</summary>
    public sealed record Closed(string Cause, bool IsError);

    /// <summary>True while a read is out (its <see cref="Received"/> not yet released).</summary>
    public bool Reading => _reading;

    /// <summary>Starts the next read unless one is out.</summary>
    public void ResumeReading()
    {
        if (_reading || _disposed)
            return;
        _reading = true;
        Receive(_receive ??= new ReceiveArgs(this));
    }

    /// <summary>The owner is done with a read: the buffer goes back, zeroed first when it held <paramref name="plaintext"/> frames.</summary>
    public void Release(Received read, bool plaintext)
    {
        if (plaintext)
            read.Buffer.AsSpan(0, read.Count).Clear();
        _pool.Return(read.Buffer);
        if (!read.Kept)
            _reading = false;
    }

    /// <summary>The owner keeps this read (and its buffer) to handle later: the next read may start now. Release it when handled.</summary>
    public void Keep(Received read)
    {
        if (read.Kept)
            return;
        read.Kept = true;
        _reading = false;
    }

    // One read on our own event args (no task or state machine per read): first a zero-byte receive that
    // waits for data holding no buffer, then a rented buffer for what is there. Runs on the owner's thread
    // until a receive waits; a receive that waited goes on from ReceiveArgs.OnCompleted on an I/O thread.
    private void Receive(ReceiveArgs args)
    {
        while (true)
        {
            bool pending;
            try
            {
                pending = _socket.ReceiveAsync(args);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Report(Failure(e));
                ReturnRented(args);
                return;
            }
            if (pending || !ReceiveCompleted(args))
                return;
        }
    }

    // True when the wait for data is over and the receive into a rented buffer is next.
    private bool ReceiveCompleted(ReceiveArgs args)
    {
        if (args.SocketError != SocketError.Success)
        {
            Report(Failure(new SocketException((int)args.SocketError)));
            ReturnRented(args);
            return false;
        }
        if (args.Rented is not { } buffer)
        {
            var rented = _pool.Rent(ReadBufferBytes);
            args.Rented = rented;
            return SetBuffer(args, rented.AsMemory()) || ReturnRented(args);
        }
        var count = args.BytesTransferred;
        args.Rented = null;
        SetBuffer(args, Memory<byte>.Empty);
        if (count == 0)
        {
            _pool.Return(buffer);
            Report(new Closed(_closing ? "closed" : "PeerClosed", false));
            return false;
        }
        _owner.Tell(new Received(buffer, count));
        return false;
    }

    // False when the connection was disposed meanwhile (its args with it).
    private static bool SetBuffer(SocketAsyncEventArgs args, Memory<byte> buffer)
    {
        try
        {
            args.SetBuffer(buffer);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private bool ReturnRented(ReceiveArgs args)
    {
        if (args.Rented is { } buffer)
            _pool.Return(buffer, clearArray: true);
        args.Rented = null;
        return false;
    }

    private sealed class ReceiveArgs(SocketConnection connection) : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
    {
        /// <summary>The buffer the receive fills; null while waiting for data.</summary>
        public byte[]? Rented { get; set; }

        protected override void OnCompleted(SocketAsyncEventArgs e)
        {
            if (connection.ReceiveCompleted(this))
                connection.Receive(this);
        }
    }

    public bool Write(byte[] bytes)
    {
        if (_disposed)
            return false;
        // Our own event args, not Socket.SendAsync(Memory): the socket's cached ones keep a reference to the
        // last buffer sent for the connection's whole life (about 1-8 KiB per idle connection, measured).
        var send = _send ??= new SendArgs(this);
        send.SetBuffer(bytes.AsMemory());
        bool pending;
        try
        {
            pending = _socket.SendAsync(send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            SetBuffer(send, Memory<byte>.Empty);
            Report(Failure(e));
            return false;
        }
        return !pending && SendCompleted(send);
    }

    // The send's outcome, read before the args let go of the buffer; on an I/O thread when it waited.
    private bool SendCompleted(SendArgs send)
    {
        var error = send.SocketError;
        var sent = send.BytesTransferred;
        var length = send.Count;
        SetBuffer(send, Memory<byte>.Empty); // disposed with the connection meanwhile: the buffer goes with the args
        if (error != SocketError.Success)
        {
            Report(Failure(new SocketException((int)error)));
            return false;
        }
        return Sent(sent, length);
    }

    // A stream socket's send completes once every byte is taken; anything else is a broken connection.
    private bool Sent(int sent, int length)
    {
        if (sent == length)
            return true;
        Report(new Closed($"write failed ({sent} of {length} bytes sent)", true));
        return false;
    }

    private sealed class SendArgs(SocketConnection connection) : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
    {
        protected override void OnCompleted(SocketAsyncEventArgs e)
        {
            if (connection.SendCompleted(this))
                connection._owner.Tell(AckedWriter.Ack.Instance);
        }
    }

    public void Close()
    {
        if (_disposed || _closing)
            return;
        _closing = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Report(Failure(e));
            return;
        }
        ResumeReading();
        _ = LingerAsync();
    }

    private async Task LingerAsync()
    {
        await Task.Delay(CloseLinger).ConfigureAwait(false);
        Report(new Closed("closed", false));
    }

    public void Abort()
    {
        if (_disposed)
            return;
        try
        {
            _socket.LingerState = new LingerOption(true, 0); // close sends a reset
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // closing anyway
        }
        Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
        _send?.Dispose(); // deferred by the args themselves while an operation is still out
        _receive?.Dispose();
    }

    // After Dispose nothing is reported: the owner closed it and knows.
    private void Report(Closed closed)
    {
        if (!_disposed)
            _owner.Tell(closed);
    }

    private Closed Failure(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => new Closed("connection reset by peer", true),
        SocketException s => new Closed($"socket error {s.SocketErrorCode}: {s.Message}", true),
        _ => new Closed(_closing ? "closed" : "socket closed", !_closing),
    };
}
