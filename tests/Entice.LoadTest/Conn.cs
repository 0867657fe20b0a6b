using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Entice.Channels;

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
/// latency histogram. One async receive loop per connection; nothing is allocated per message in
/// plaintext mode. With the channel (<see cref="OpenChannelAsync"/>) reads go through
/// <see cref="ChannelLink"/> first (opened into a buffer of the link's, then appended) and writes are sealed.
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

    private byte[] _raw = [];

    /// <summary>Bytes read from the socket after the channel opened (records), and the frame bytes they carried.</summary>
    public long WireBytesIn;
    public long FrameBytesIn;

    /// <summary>The encrypted channel to the relay, once open; null in plaintext mode (and for IRC).</summary>
    public ChannelLink? Link { get; private set; }

    /// <summary>The Noise handshake on the connected socket; afterwards every read is opened and every write sealed.</summary>
    public async Task OpenChannelAsync(ChannelSettings settings, ServerFingerprint? expected, CancellationToken ct)
    {
        Link = await ChannelLink.HandshakeAsync(Socket, settings, expected, Name, ct);
        _raw = new byte[Math.Max(QuietRawSize, Link.Remainder.Length)];
        Link.Remainder.CopyTo(_raw, 0);
        _rawEnd = Link.Remainder.Length;
        IngestRaw();
    }

    // Records in, length-prefixed frames opened straight into Buffer[End..] (kept at or after
    // SecureChannel.OpenedStart, the room the channel needs in front); the error text when the channel broke.
    private string? Ingest(ReadOnlySpan<byte> records)
    {
        const int front = SecureChannel.OpenedStart;
        if (Start == End)
        {
            Start = End = front;
        }
        else if (Buffer.Length - End < records.Length && Start > front)
        {
            Buffer.AsSpan(Start, End - Start).CopyTo(Buffer.AsSpan(front));
            End -= Start - front;
            Start = front;
        }
        var problem = Link!.OpenInto(records, ref Buffer, End, out var end);
        End = end;
        return problem;
    }

    // The channel's receive buffer: a record split across reads stays where it arrived and the next read
    // lands right after it, so only whole records go to the channel and none is copied aside. A busy
    // connection gets BusyRawSize and a read always has MinRead free (what is left of a record moves to
    // the front only then); a quiet one (10,000 idle connections) keeps a small buffer, grown only when a
    // record does not fit.
    private const int BusyRawSize = 256 * 1024;
    private const int QuietRawSize = 4096;
    private const int MinRead = 66 * 1024; // more than the largest record (2 + 65,535 bytes)
    private const long BusyAfterBytes = 256 * 1024;
    private int _rawStart;
    private int _rawEnd;

    // Records read and not yet opened (a partial one) stay; makes room behind them for the next read.
    private void MakeRawRoom()
    {
        if (_rawStart == _rawEnd)
            _rawStart = _rawEnd = 0;
        var busy = WireBytesIn >= BusyAfterBytes;
        if (_raw.Length - _rawEnd >= (busy ? MinRead : 1))
            return;
        var pending = _rawEnd - _rawStart;
        if ((busy && _raw.Length < BusyRawSize) || (!busy && _rawStart == 0))
        {
            var grown = new byte[busy ? BusyRawSize : 2 * _raw.Length];
            _raw.AsSpan(_rawStart, pending).CopyTo(grown);
            _raw = grown;
        }
        else
        {
            _raw.AsSpan(_rawStart, pending).CopyTo(_raw);
        }
        _rawStart = 0;
        _rawEnd = pending;
    }

    // Opens the whole records in _raw[_rawStart.._rawEnd] into Buffer; the partial one stays for the next read.
    private void IngestRaw()
    {
        var whole = SecureChannel.WholeRecordsLength(_raw.AsSpan(_rawStart, _rawEnd - _rawStart));
        if (whole == 0)
            return;
        var before = End - Start;
        if (Ingest(_raw.AsSpan(_rawStart, whole)) is { } problem)
        {
            Failed = true;
            Error ??= $"channel: {problem}";
            throw new IOException($"{Name}: channel broken: {problem}");
        }
        _rawStart += whole;
        FrameBytesIn += End - Start - before;
    }

    // One read from the socket into Buffer (through the channel when there is one); 0 at end of stream.
    private async ValueTask<int> ReceiveOnceAsync(CancellationToken ct)
    {
        if (Link is null)
        {
            MakeRoom();
            var n = await Socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, ct);
            End += n;
            return n;
        }
        MakeRawRoom();
        var got = await Socket.ReceiveAsync(_raw.AsMemory(_rawEnd), SocketFlags.None, ct);
        WireBytesIn += got;
        _rawEnd += got;
        IngestRaw();
        return got;
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
                var n = await ReceiveOnceAsync(ct);
                if (n == 0)
                {
                    if (!ct.IsCancellationRequested)
                    {
                        Failed = true;
                        Error ??= "server closed the connection";
                    }
                    return;
                }
                ParseAndWake();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException) when (Failed)
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
        var n = await ReceiveOnceAsync(ct);
        if (n == 0)
            throw new IOException($"{Name}: server closed the connection during the handshake");
    }

    /// <summary>Waits for the server's first message (plaintext: its first bytes; channel: its first frame).</summary>
    public async Task AwaitFirstMessageAsync(CancellationToken ct)
    {
        while (End == Start)
            await ReadMoreAsync(ct);
    }

    /// <summary>Writes frames (sealed when the channel is open).</summary>
    protected async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (Link is not null)
            data = Link.Seal(data.Span);
        while (!data.IsEmpty)
        {
            var n = await Socket.SendAsync(data, SocketFlags.None, ct);
            data = data[n..];
        }
    }

    public async Task SendBatchAsync(ReadOnlyMemory<byte> data, CancellationToken ct) => await SendAllAsync(data, ct);

    public void SendBlocking(ReadOnlySpan<byte> data)
    {
        if (Link is not null)
            data = Link.Seal(data).Span;
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
        // After the socket: a receive loop or sender still inside Open/Seal gets ObjectDisposedException, which they expect.
        Link?.Dispose();
    }
}
