using System.Net;
using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Entice.ClientNode.Ui.Web;

/// <summary>
/// The client node's local web server (<c>--web</c>): Kestrel from the shared framework on 127.0.0.1, a
/// free port. Three things are served, after <see cref="WebGuard"/>'s checks:
/// <list type="bullet">
/// <item><c>GET /</c> and the page's other files (<see cref="WebPage"/>): no secret in them.</item>
/// <item><c>POST /session</c> with the one-time token in the <c>X-Entice-Token</c> header (same Origin):
/// answers <c>{"session":"..."}</c> once (<see cref="WebAccess"/>); 401 without a token, 403 for another or
/// a spent one.</item>
/// <item><c>GET /rpc</c>, a WebSocket upgrade (same Origin) offering the subprotocols
/// <c>entice.jsonrpc</c> and <c>entice.session.SECRET</c>: JSON-RPC, one text message per request or
/// notification (<see cref="WebConnection"/>); 401 without a secret, 403 with a wrong one.</item>
/// </list>
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    public const string Protocol = "entice.jsonrpc";
    public const string SessionPrefix = "entice.session.";
    public const string TokenHeader = "X-Entice-Token";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;

    private WebServer(WebApplication app, WebAccess access, int port, CancellationTokenSource stopping)
    {
        _app = app;
        _stopping = stopping;
        Access = access;
        Port = port;
    }

    public WebAccess Access { get; }

    public int Port { get; }

    /// <summary>The address to open: the token travels in the fragment, which a browser never sends.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/#token={Access.Token}");

    /// <summary>Binds 127.0.0.1 (port 0: a free one) and starts serving; requests go to <paramref name="session"/>.</summary>
    public static async Task<WebServer> StartAsync(IActorRef session, WebConnections connections, WebSettings settings,
        WebPage page, int port = 0, WebAccess? access = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(page);
        access ??= new WebAccess();
        var guard = new WebGuard();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders(); // stdout is the user's; nothing about requests is logged
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 4096;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = settings.KeepAlive });
        app.Run(context => Serve(context, guard, access, page, connections, session, stopping.Token));
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).First();
        guard.Bound(bound);
        return new WebServer(app, access, bound, stopping);
    }

    private static async Task Serve(HttpContext context, WebGuard guard, WebAccess access, WebPage page, WebConnections connections,
        IActorRef session, CancellationToken stopping)
    {
        var request = context.Request;
        var response = context.Response;
        if (!guard.HostAllowed(request.Host))
        {
            await Refuse(response, StatusCodes.Status403Forbidden, "this page answers only http://127.0.0.1:PORT or http://localhost:PORT");
            return;
        }
        WebGuard.Secure(response, request.Host);
        var path = request.Path.Value ?? "/";
        if (path == "/rpc")
        {
            await Rpc(context, access, connections, session, stopping);
            return;
        }
        if (path == "/session")
        {
            await Exchange(context, access);
            return;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            await Refuse(response, StatusCodes.Status405MethodNotAllowed, "method not allowed");
            return;
        }
        if (page.Find(path) is not var (bytes, type))
        {
            await Refuse(response, StatusCodes.Status404NotFound, "not found");
            return;
        }
        response.ContentType = type;
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsGet(request.Method))
            await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    // POST /session: the one-time token for the session secret.
    private static async Task Exchange(HttpContext context, WebAccess access)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            await Refuse(context.Response, StatusCodes.Status405MethodNotAllowed, "POST only");
            return;
        }
        if (!WebGuard.SameOrigin(request))
        {
            await Refuse(context.Response, StatusCodes.Status403Forbidden, "wrong or missing Origin");
            return;
        }
        var tokens = request.Headers[TokenHeader];
        switch (access.Exchange(tokens.Count == 1 ? tokens[0] : null))
        {
            case WebAccess.Outcome.Missing:
                await Refuse(context.Response, StatusCodes.Status401Unauthorized, "no token: open the address entice printed");
                return;
            case WebAccess.Outcome.Wrong:
                await Refuse(context.Response, StatusCodes.Status403Forbidden, "wrong token");
                return;
            case WebAccess.Outcome.Spent:
                await Refuse(context.Response, StatusCodes.Status403Forbidden, "this token was used already: start entice --web again for a new one");
                return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["session"] = access.Session }));
    }

    // GET /rpc: the WebSocket.
    private static async Task Rpc(HttpContext context, WebAccess access, WebConnections connections, IActorRef session, CancellationToken stopping)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Refuse(context.Response, StatusCodes.Status400BadRequest, "a WebSocket upgrade only");
            return;
        }
        if (!WebGuard.SameOrigin(context.Request))
        {
            await Refuse(context.Response, StatusCodes.Status403Forbidden, "wrong or missing Origin");
            return;
        }
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var secret = offered.FirstOrDefault(p => p.StartsWith(SessionPrefix, StringComparison.Ordinal))?[SessionPrefix.Length..];
        if (secret is null || !offered.Contains(Protocol))
        {
            await Refuse(context.Response, StatusCodes.Status401Unauthorized, $"offer the subprotocols {Protocol} and {SessionPrefix}SECRET");
            return;
        }
        if (!access.IsSession(secret))
        {
            await Refuse(context.Response, StatusCodes.Status403Forbidden, "wrong session");
            return;
        }
        if (connections.IsCompleted || connections.Count >= connections.MaxConnections)
        {
            await Refuse(context.Response, StatusCodes.Status503ServiceUnavailable, "too many tabs open, or the client is stopping");
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(Protocol);
        if (connections.Open(socket) is not { } connection)
        {
            socket.Abort();
            return;
        }
        try
        {
            await connection.RunAsync(session, stopping);
        }
        finally
        {
            connections.Closed(connection);
        }
    }

    private static Task Refuse(HttpResponse response, int status, string why)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(why + "\n");
    }

    /// <summary>Stops serving: open sockets are aborted (call <see cref="WebConnections.Complete"/> first to close them politely).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
