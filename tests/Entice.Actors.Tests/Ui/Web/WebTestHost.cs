using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Entice.ClientNode.Ui.Web;
using Rpc = Entice.ClientNode.Ui.JsonRpc.JsonRpc;

namespace Entice.Tests.Ui.Web;

/// <summary>
/// A real web host on 127.0.0.1, port 0, over a real JSON-RPC session whose chat actor is a probe;
/// an HTTP client and WebSocket clients that speak to it the way the page does (or not).
/// </summary>
internal sealed class WebTestHost : IAsyncDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    private WebTestHost(WebServer server, WebConnections connections, IActorRef session)
    {
        Server = server;
        Connections = connections;
        Session = session;
    }

    public WebServer Server { get; }

    public WebConnections Connections { get; }

    public IActorRef Session { get; }

    public string Origin => $"http://127.0.0.1:{Server.Port}";

    public TaskCompletionSource<int> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<WebTestHost> StartAsync(ActorSystem system, IActorRef chat, WebSettings? settings = null,
        Entice.ClientNode.Ui.Views.LineHistory? history = null)
    {
        settings ??= WebSettings.Default;
        var connections = new WebConnections(settings);
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var session = system.ActorOf(Rpc.Props(Rpc.Limits.Default, connections, exit, chat, history));
        var server = await WebServer.StartAsync(session, connections, settings, new WebPage());
        return new WebTestHost(server, connections, session);
    }

    /// <summary>A request with the given Host and Origin (null: none), and the token header if given.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? host = null, string? origin = "", string? token = null)
    {
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{Server.Port}{path}");
        if (host is not null)
            request.Headers.Host = host;
        if (origin is not null)
            request.Headers.Add("Origin", origin.Length == 0 ? Origin : origin);
        if (token is not null)
            request.Headers.Add(WebServer.TokenHeader, token);
        return await _http.SendAsync(request);
    }

    /// <summary>The one-time token exchanged as the page does; the session secret.</summary>
    public async Task<string> SessionAsync()
    {
        using var answer = await SendAsync(HttpMethod.Post, "/session", token: Server.Access.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var doc = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("session").GetString()!;
    }

    /// <summary>A WebSocket upgrade as the page makes it; <paramref name="secret"/> null offers no session.</summary>
    public async Task<(ClientWebSocket Socket, HttpStatusCode Status)> ConnectAsync(string? secret, string? origin = "", string protocol = WebServer.Protocol)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol(protocol);
        if (secret is not null)
            socket.Options.AddSubProtocol(WebServer.SessionPrefix + secret);
        if (origin is not null)
            socket.Options.SetRequestHeader("Origin", origin.Length == 0 ? Origin : origin);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{Server.Port}/rpc"), timeout.Token);
        }
        catch (WebSocketException)
        {
            // refused: the status says why
        }
        return (socket, socket.HttpStatusCode);
    }

    private string? _secret;

    /// <summary>A connected page (another tab, after the first): token exchanged once, socket open.</summary>
    public async Task<ClientWebSocket> PageAsync(string? secret = null)
    {
        secret ??= _secret ??= await SessionAsync();
        var (socket, status) = await ConnectAsync(secret);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        Assert.Equal(WebServer.Protocol, socket.SubProtocol);
        return socket;
    }

    public static async Task SendAsync(ClientWebSocket socket, string text) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message, parsed; null when the socket closed.</summary>
    public static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            if (read.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, read.Count);
            if (read.EndOfMessage)
                break;
        }
        using var doc = JsonDocument.Parse(message.ToArray());
        var root = doc.RootElement.Clone();
        Assert.Equal("2.0", root.GetProperty("jsonrpc").GetString());
        return root;
    }

    /// <summary>The answer with this id (as JSON text, e.g. "1" or "\"a\""); notifications before it skipped.</summary>
    public static async Task<JsonElement> AnswerAsync(ClientWebSocket socket, string rawId)
    {
        while (true)
        {
            var next = await ReceiveAsync(socket) ?? throw new InvalidOperationException("the socket closed");
            if (next.TryGetProperty("id", out var id) && id.GetRawText() == rawId)
                return next;
        }
    }

    /// <summary>The next notification with this method; others skipped.</summary>
    public static async Task<JsonElement> NotificationAsync(ClientWebSocket socket, string method)
    {
        while (true)
        {
            var next = await ReceiveAsync(socket) ?? throw new InvalidOperationException("the socket closed");
            if (next.TryGetProperty("method", out var m) && m.GetString() == method)
                return next.GetProperty("params");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Connections.Complete();
        await Server.DisposeAsync();
        _http.Dispose();
    }
}
