using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Entice.LoadTest;

/// <summary>
/// The first bytes of every payload the tool sends, the rest is random: send timestamp (Stopwatch ticks),
/// sender number and sequence number. The relay sees only opaque bytes.
/// </summary>
internal static class Stamp
{
    public const int Size = 18;

    public static void Write(Span<byte> payload, long ticks, ushort sender, long seq)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload, ticks);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[8..], sender);
        BinaryPrimitives.WriteInt64LittleEndian(payload[10..], seq);
    }
}

/// <summary>State of one sending connection.</summary>
internal sealed class SenderState(int number, int room)
{
    public int Number { get; } = number;
    public int Room { get; } = room;
    public AsyncSignal Signal { get; } = new();
    public LoadConn Tracker { get; set; } = null!;
    public LoadConn[] RoomMembers { get; set; } = [];
    public long Sent;
    public long LastSendTicks;
}

/// <summary>
/// One client connection: a socket, one receive buffer parsed in batches, per-sender receive counters and a
/// latency histogram. One async receive loop per connection; nothing is allocated per message.
/// </summary>
internal abstract class LoadConn : IDisposable
{
    protected LoadConn(int index, int room, string name, int bufferSize)
    {
        Index = index;
        Room = room;
        Name = name;
        Buffer = new byte[bufferSize];
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    }

    public int Index { get; }
    public int Room { get; }
    public string Name { get; }
    public Socket Socket { get; }
    protected byte[] Buffer;
    protected int Start;
    protected int End;

    public long Received;
    public long LastReceiveTicks;
    public long[] ReceivedFrom = [];
    public Histogram? Latency;
    public SenderState? Sender;

    /// <summary>Senders this connection is the window tracker of (it wakes them after each batch).</summary>
    public List<SenderState> Tracks { get; } = [];

    public bool Failed { get; protected set; }
    public string? Error { get; protected set; }

    public void PrepareForLoad(int senders)
    {
        ReceivedFrom = new long[senders];
        Latency = new Histogram();
    }

    public async Task ConnectAsync(IPEndPoint server, CancellationToken ct) => await Socket.ConnectAsync(server, ct);

    public abstract Task HandshakeAsync(string room, CancellationToken ct);

    /// <summary>Writes one message carrying <paramref name="payloadTemplate"/> stamped; returns bytes written.</summary>
    public abstract int WriteMessage(Span<byte> destination, ReadOnlySpan<byte> prebuilt, long ticks, ushort sender, long seq);

    /// <summary>A prebuilt message (frame or line) with a random payload of <paramref name="bytes"/>.</summary>
    public abstract byte[] BuildTemplate(string room, int bytes);

    /// <summary>Parses complete messages in Buffer[Start..End], advancing Start.</summary>
    protected abstract void ParseBatch(long nowTicks);

    public async Task ReceiveLoopAsync(CancellationToken ct)
    {
        try
        {
            ParseAndWake();
            while (!ct.IsCancellationRequested)
            {
                MakeRoom();
                var n = await Socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, ct);
                if (n == 0)
                {
                    if (!ct.IsCancellationRequested)
                    {
                        Failed = true;
                        Error ??= "server closed the connection";
                    }
                    return;
                }
                End += n;
                ParseAndWake();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException e)
        {
            if (!ct.IsCancellationRequested)
            {
                Failed = true;
                Error ??= e.Message;
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void ParseAndWake()
    {
        if (End == Start)
            return;
        ParseBatch(Stopwatch.GetTimestamp());
        if (Start == End)
            Start = End = 0;
        foreach (var s in Tracks)
            s.Signal.Set();
    }

    private void MakeRoom()
    {
        if (End < Buffer.Length)
            return;
        if (Start > 0)
        {
            Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
            End -= Start;
            Start = 0;
            return;
        }
        // One message larger than the buffer: grow (handshake-sized messages only).
        Array.Resize(ref Buffer, Buffer.Length * 2);
    }

    protected void RecordDelivery(long nowTicks, long sentTicks, ushort sender)
    {
        var counts = ReceivedFrom;
        if (sender < counts.Length)
            counts[sender]++;
        Received++;
        LastReceiveTicks = nowTicks;
        Latency?.Record((long)((nowTicks - sentTicks) * NanosPerTick));
    }

    public static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Reads until at least one more byte arrives (handshake path).</summary>
    protected async Task ReadMoreAsync(CancellationToken ct)
    {
        MakeRoom();
        var n = await Socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, ct);
        if (n == 0)
            throw new IOException($"{Name}: server closed the connection during the handshake");
        End += n;
    }

    protected async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var n = await Socket.SendAsync(data, SocketFlags.None, ct);
            data = data[n..];
        }
    }

    public async Task SendBatchAsync(ReadOnlyMemory<byte> data, CancellationToken ct) => await SendAllAsync(data, ct);

    public void SendBlocking(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
            data = data[Socket.Send(data)..];
    }

    public virtual void Dispose()
    {
        try
        {
            Socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        Socket.Dispose();
    }
}
