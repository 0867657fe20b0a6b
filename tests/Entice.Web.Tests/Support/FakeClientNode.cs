using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Entice.Web.Tests.Support;

/// <summary>
/// Stands for the client node in the page specs: serves the page's files from the source tree at
/// http://entice.test/ (with the strict Content-Security-Policy the page must live with: no inline
/// script or style) and answers its WebSocket's JSON-RPC (docs/JSON-RPC.md) from a small model, all
/// inside the browser's routing (no socket). The live specs (LiveSpecs) use the real programs instead.
/// </summary>
internal sealed class FakeClientNode
{
    public const string Origin = "http://entice.test";

    public const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
                              "connect-src 'self' ws://entice.test; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public const string SafetyNumber = "12345 67890 13579 24680 11223 34455 66778 89900 10293 84756 56473 82910";

    private readonly Lock _gate = new();
    private readonly List<JsonObject> _requests = [];
    private IWebSocketRoute? _socket;
    private int _sent;

    public string Me { get; set; } = "alice";

    public List<string> Rooms { get; } = ["lobby", "games"];

    public Dictionary<string, List<string>> Members { get; } = new()
    {
        ["lobby"] = ["alice", "bob", "carol"],
        ["games"] = ["alice", "bob"],
    };

    public Dictionary<string, List<JsonObject>> History { get; } = [];

    /// <summary>Conversations the node kept with their unread counts ("@bob" -> 2).</summary>
    public Dictionary<string, int> Conversations { get; } = [];

    /// <summary>Key states members are reported with (unverified when not listed).</summary>
    public Dictionary<string, string> Keys { get; } = [];

    /// <summary>The token the page's address carries; exchanged once for the session secret.</summary>
    public const string Token = "t0k3n";

    public const string Secret = "s3cr3t";

    public int Exchanges { get; private set; }

    public string QrSvg { get; set; } =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 21 21\"><path d=\"M0 0h7v7H0z M14 0h7v7h-7z M0 14h7v7H0z\" fill=\"#000\"/></svg>";

    /// <summary>Called with each method's name right after its answer went (a notification can follow it there).</summary>
    public Action<string>? AfterAnswer { get; set; }

    public List<string> SocketUrls { get; } = [];

    public int Connections { get; private set; }

    /// <summary>False: the page's socket connections are closed at once (the client node is gone).</summary>
    public bool Accepting { get; set; } = true;

    public async Task AttachAsync(IPage page)
    {
        await page.RouteAsync(Origin + "/**", ServeAsync);
        await page.RouteWebSocketAsync("ws://entice.test/**", socket =>
        {
            if (!Accepting)
            {
                _ = socket.CloseAsync();
                return;
            }

            lock (_gate)
            {
                _socket = socket;
                SocketUrls.Add(socket.Url);
                Connections++;
            }

            socket.OnMessage(frame => Answer(socket, frame.Text));
        });
    }

    public IReadOnlyList<JsonObject> Requests(string method)
    {
        lock (_gate)
            return _requests.Where(r => (string?)r["method"] == method).ToList();
    }

    public void Notify(string method, object parameters)
    {
        IWebSocketRoute socket;
        lock (_gate)
            socket = _socket ?? throw new InvalidOperationException("the page has no socket");
        socket.Send(JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters }));
    }

    /// <summary>A received message's notification; returns its id (the one its kept history entry has).</summary>
    public string Message(string room, string from, string text, bool direct = false, DateTimeOffset? at = null, string? id = null)
    {
        id ??= "r" + Guid.NewGuid().ToString("N")[..16];
        Notify("message", new
        {
            id, room, from, text, direct, conversation = direct ? "@" + from : "#" + room,
            sent_at = (at ?? DateTimeOffset.UtcNow).ToString("O"), time = DateTimeOffset.UtcNow.ToString("O"),
        });
        return id;
    }

    /// <summary>A kept message as <c>history</c> gives it.</summary>
    public static JsonObject Kept(string id, string from, string text, DateTimeOffset at, bool own = false, bool direct = false) => new()
    {
        ["id"] = id, ["from"] = from, ["text"] = text, ["direct"] = direct, ["own"] = own,
        ["delivery"] = own ? "sent" : "none", ["sent_at"] = at.ToString("O"),
    };

    public Task CloseSocketAsync()
    {
        IWebSocketRoute? socket;
        lock (_gate)
            socket = _socket;
        return socket?.CloseAsync() ?? Task.CompletedTask;
    }

    private void Answer(IWebSocketRoute socket, string? text)
    {
        var request = JsonNode.Parse(text ?? "null") as JsonObject ?? throw new InvalidOperationException("not an object: " + text);
        lock (_gate)
            _requests.Add(request);
        var p = request["params"] as JsonObject ?? [];
        var method = (string?)request["method"];
        object? result = method switch
        {
            "status" => new { name = Me, fingerprint = "d672 853a", room = "lobby", connection = "online", server = (string?)null, rooms = Rooms.Order().ToArray() },
            "conversations" => new { conversations = Conversations.Select(c => new { conversation = c.Key, unread = c.Value }).ToArray() },
            "read" => new { conversation = p["room"] is { } rr ? "#" + rr : "@" + p["with"], unread = 0 },
            "rooms" => new { rooms = Rooms.Order().ToArray() },
            "members" => new
            {
                room = (string?)p["room"],
                members = Members.GetValueOrDefault((string?)p["room"] ?? "", []),
                details = Members.GetValueOrDefault((string?)p["room"] ?? "", [])
                    .Select(n => new { name = n, you = n == Me, away = false, key = Keys.GetValueOrDefault(n, "unverified") }).ToArray(),
            },
            "history" => HistoryAnswer(p),
            "send" => new { id = "m" + Interlocked.Increment(ref _sent), room = (string?)p["room"], to = (string?)p["to"], recipients = 1 },
            "join" => new { room = (string?)p["room"] },
            "verify" => new { name = (string?)p["name"], safety_number = SafetyNumber, qr_svg = QrSvg },
            "mark_verified" or "trust" => new { name = (string?)p["name"] },
            _ => null,
        };
        var reply = result switch
        {
            null => JsonSerializer.Serialize(new { jsonrpc = "2.0", id = request["id"], error = new { code = -32601, message = "method not found: " + method } }),
            Refusal no => JsonSerializer.Serialize(new { jsonrpc = "2.0", id = request["id"], error = new { code = -32602, message = no.Message } }),
            _ => JsonSerializer.Serialize(new { jsonrpc = "2.0", id = request["id"], result }),
        };
        socket.Send(reply);
        if (method is not null)
            AfterAnswer?.Invoke(method);
        // As the client node does: the answer to send, then "sent" to every connection.
        if (method == "send" && result is not null)
        {
            var answer = JsonNode.Parse(JsonSerializer.Serialize(result))!;
            Notify("sent", new
            {
                id = (string?)answer["id"], room = (string?)p["room"], to = (string?)p["to"], recipients = 1,
                conversation = p["to"] is { } to ? "@" + to : "#" + p["room"], from = Me, text = (string?)p["text"],
                sent_at = DateTimeOffset.UtcNow.ToString("O"), time = DateTimeOffset.UtcNow.ToString("O"),
            });
        }
    }

    private sealed record Refusal(string Message);

    // history: the kept list, the newest "limit" before "before" (an id), or the oldest "limit" after "after".
    private object HistoryAnswer(JsonObject p)
    {
        var key = p["room"] is { } room ? "#" + room : "@" + p["with"];
        List<JsonObject> all;
        lock (_gate)
            all = [.. History.GetValueOrDefault(key, [])];
        var limit = (int?)p["limit"] ?? 50;
        var messages = all;
        if ((string?)p["after"] is { } after)
        {
            var at = all.FindLastIndex(m => (string?)m["id"] == after);
            if (at < 0)
                return new Refusal("after: not a kept id");
            messages = all.Skip(at + 1).Take(limit).ToList();
        }
        else
        {
            var end = (string?)p["before"] is { } before ? all.FindLastIndex(m => (string?)m["id"] == before) : all.Count;
            if (end < 0)
                return new Refusal("before: not a kept id");
            messages = all.Take(end).Skip(Math.Max(0, end - limit)).ToList();
        }
        return new JsonObject { ["conversation"] = key, ["messages"] = new JsonArray([.. messages.Select(m => m.DeepClone())]) };
    }

    private async Task ServeAsync(IRoute route)
    {
        if (route.Request.Method == "POST")
        {
            var fresh = route.Request.Headers.GetValueOrDefault("x-entice-token") == Token && Exchanges++ == 0;
            await route.FulfillAsync(fresh
                ? new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = "{\"session\":\"" + Secret + "\"}" }
                : new RouteFulfillOptions { Status = 403, Body = "refused" });
            return;
        }

        var path = new Uri(route.Request.Url).AbsolutePath.TrimStart('/');
        if (path.Length == 0)
            path = "index.html";
        var file = Path.GetFullPath(Path.Combine(Repo.WebRoot, path));
        if (!file.StartsWith(Repo.WebRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            await route.FulfillAsync(new RouteFulfillOptions { Status = 404, Body = "not found" });
            return;
        }

        var type = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        await route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            BodyBytes = await File.ReadAllBytesAsync(file),
            Headers = new Dictionary<string, string> { ["Content-Type"] = type, ["Content-Security-Policy"] = Csp },
        });
    }
}
