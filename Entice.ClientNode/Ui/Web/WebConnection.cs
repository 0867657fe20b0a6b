using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Akka.Actor;
using Entice.ClientNode.Ui.JsonRpc;

namespace Entice.ClientNode.Ui.Web;

/// <summary>
/// One WebSocket (one tab) as a JSON-RPC transport: each text message it reads is one request line for
/// the session (bounded: a longer message is skipped unread, and answered with -32600 like a long line);
/// what the session answers or notifies waits in a bounded queue for the socket. A page that falls
/// <see cref="WebSettings.MaxQueuedMessages"/> behind is cut off (the socket aborted), never buffered
/// without bound: it reconnects and reads the state again (<c>status</c>, <c>rooms</c>, <c>history</c>).
/// </summary>
internal sealed class WebConnection
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly WebSocket _socket;
    private readonly WebSettings _settings;
    private readonly Channel<string> _outbound;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebConnection(long id, WebSocket socket, WebSettings settings)
    {
        Id = id;
        _socket = socket;
        _settings = settings;
        _outbound = Channel.CreateBounded<string>(new BoundedChannelOptions(settings.MaxQueuedMessages)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the socket is cut off
        });
    }

    public long Id { get; }

    /// <summary>Whether it was cut off for falling behind.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Queues one message; a full queue aborts the socket. Never blocks.</summary>
    public void Enqueue(string line)
    {
        if (_outbound.Writer.TryWrite(line) || Overflowed)
            return;
        Overflowed = true;
        _outbound.Writer.TryComplete();
        _abort.Cancel();
    }

    /// <summary>
    /// Completes once nothing more will be written: after <see cref="Complete"/>, what was queued and the close
    /// frame are sent (the page's answer to the close is not waited for), or the socket ended.
    /// </summary>
    public Task Flushed => _flushed.Task;

    /// <summary>No more messages: what is queued is sent, then the socket is closed ("going away").</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    /// <summary>Reads and writes until the socket closes, the page falls behind, or <paramref name="stop"/>.</summary>
    public async Task RunAsync(IActorRef session, CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _abort.Token);
        try
        {
            await RunAsync(session, linked);
        }
        finally
        {
            _flushed.TrySetResult();
        }
    }

    private async Task RunAsync(IActorRef session, CancellationTokenSource linked)
    {
        var writer = WriteAsync(linked.Token);
        var reader = ReadAsync(session, linked.Token);
        if (await Task.WhenAny(reader, writer) == writer)
        {
            // We closed (the client stopped) or cut it off: the page has a moment to answer the close.
            await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            await linked.CancelAsync();
        }
        else
        {
            _outbound.Writer.TryComplete(); // the page closed: nothing more to send
        }
        await Quietly(reader);
        await Quietly(writer);
        if (linked.IsCancellationRequested)
            _socket.Abort();
    }

    // The page went away, or was cut off: nothing to answer.
    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    private async Task ReadAsync(IActorRef session, CancellationToken cancel)
    {
        var chunk = new byte[16 * 1024];
        using var message = new MemoryStream();
        var tooLong = false;
        while (true)
        {
            var read = await _socket.ReceiveAsync(chunk, cancel);
            if (read.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel);
                return;
            }
            if (read.MessageType == WebSocketMessageType.Binary)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.InvalidMessageType, "text messages only: one JSON-RPC object each", cancel);
                return;
            }
            if (!tooLong && message.Length + read.Count > _settings.MaxMessageBytes)
            {
                tooLong = true; // the rest of this message is read and dropped
                message.SetLength(0);
            }
            if (!tooLong)
                message.Write(chunk, 0, read.Count);
            if (!read.EndOfMessage)
                continue;
            if (tooLong)
                session.Tell(new JsonRpc.JsonRpc.LineTooLong(Id));
            else
                session.Tell(Line(message));
            message.SetLength(0);
            tooLong = false;
        }
    }

    private JsonRpc.JsonRpc.Line Line(MemoryStream message)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(message.GetBuffer(), 0, (int)message.Length);
        }
        catch (DecoderFallbackException)
        {
            // The WebSocket layer already closes a socket that sends invalid UTF-8 as text (1007); if one got
            // through, the session answers it as a parse error.
            text = "\u0000";
        }
        return new JsonRpc.JsonRpc.Line(text, Id);
    }

    private async Task WriteAsync(CancellationToken cancel)
    {
        try
        {
            await foreach (var line in _outbound.Reader.ReadAllAsync(cancel))
                await _socket.SendAsync(Encoding.UTF8.GetBytes(line), WebSocketMessageType.Text, endOfMessage: true, cancel);
            if (!Overflowed && _socket.State is WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "the client stopped", cancel);
        }
        finally
        {
            _flushed.TrySetResult();
        }
    }
}
