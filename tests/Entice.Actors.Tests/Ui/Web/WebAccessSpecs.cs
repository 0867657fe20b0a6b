using System.Net;
using Akka.TestKit.Xunit2;

namespace Entice.Tests.Ui.Web;

/// <summary>
/// Only this machine, this token and this origin drive the client (issue 15): each check refuses what
/// an attacker would try (another site in the same browser, a rebound DNS name, another local user
/// without the token, a token seen once already), and the page comes with a strict CSP.
/// </summary>
public sealed class WebAccessSpecs : TestKit, IAsyncLifetime
{
    private WebTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WebTestHost.StartAsync(Sys, CreateTestProbe("chat").Ref);

    async Task IAsyncLifetime.DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_page_comes_with_a_strict_content_security_policy_nosniff_and_no_caching()
    {
        using var page = await _host.SendAsync(HttpMethod.Get, "/", origin: null);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("text/html", page.Content.Headers.ContentType!.ToString());
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.DoesNotContain("https:", csp);
        Assert.DoesNotContain("*", csp);
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("no-store", page.Headers.CacheControl!.ToString());
        Assert.False(page.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("evil.example")] // a rebound DNS name, with our port
    [InlineData("127.0.0.2")]
    [InlineData("192.168.1.20")]
    public async Task A_host_other_than_loopback_and_this_port_is_refused_for_the_page_the_token_and_the_socket(string name)
    {
        var host = $"{name}:{_host.Server.Port}";
        using var page = await _host.SendAsync(HttpMethod.Get, "/", host: host, origin: null);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        using var exchange = await _host.SendAsync(HttpMethod.Post, "/session", host: host, origin: $"http://{host}", token: _host.Server.Access.Token);
        Assert.Equal(HttpStatusCode.Forbidden, exchange.StatusCode);
        using var socket = await _host.SendAsync(HttpMethod.Get, "/rpc", host: host, origin: $"http://{host}");
        Assert.Equal(HttpStatusCode.Forbidden, socket.StatusCode);
        // the token was not spent by the refused request: the real page still gets in
        await _host.PageAsync();
    }

    [Fact]
    public async Task Loopback_on_another_port_is_another_host_and_refused()
    {
        using var page = await _host.SendAsync(HttpMethod.Get, "/", host: $"localhost:{_host.Server.Port + 1}", origin: null);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        using var ok = await _host.SendAsync(HttpMethod.Get, "/", host: $"localhost:{_host.Server.Port}", origin: null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task The_token_exchange_without_a_token_is_401_and_with_a_wrong_one_403()
    {
        using var none = await _host.SendAsync(HttpMethod.Post, "/session");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        var token = _host.Server.Access.Token;
        using var wrong = await _host.SendAsync(HttpMethod.Post, "/session", token: (token[0] == 'A' ? "B" : "A") + token[1..]);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        await _host.SessionAsync(); // neither spent it
    }

    [Fact]
    public async Task The_token_works_once()
    {
        await _host.SessionAsync();
        using var again = await _host.SendAsync(HttpMethod.Post, "/session", token: _host.Server.Access.Token);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.DoesNotContain("session", await again.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1:1")] // another local port: another origin
    [InlineData("null")] // a file:// page or a sandboxed frame
    [InlineData(null)] // no Origin at all
    public async Task The_token_exchange_from_another_origin_is_refused_and_does_not_spend_the_token(string? origin)
    {
        using var answer = await _host.SendAsync(HttpMethod.Post, "/session", origin: origin, token: _host.Server.Access.Token);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        await _host.SessionAsync();
    }

    [Fact]
    public async Task A_socket_without_a_session_is_401_with_a_wrong_one_403_and_the_token_itself_is_no_session()
    {
        var (none, noneStatus) = await _host.ConnectAsync(secret: null);
        Assert.Equal(HttpStatusCode.Unauthorized, noneStatus);
        Assert.NotEqual(System.Net.WebSockets.WebSocketState.Open, none.State);
        // before the exchange, the token is not a session (and no secret exists to guess)
        var (token, tokenStatus) = await _host.ConnectAsync(_host.Server.Access.Token);
        Assert.Equal(HttpStatusCode.Forbidden, tokenStatus);
        var secret = await _host.SessionAsync();
        var (wrong, wrongStatus) = await _host.ConnectAsync((secret[0] == 'A' ? "B" : "A") + secret[1..]);
        Assert.Equal(HttpStatusCode.Forbidden, wrongStatus);
        using var page = await _host.PageAsync(secret);
        none.Dispose();
        token.Dispose();
        wrong.Dispose();
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1:1")]
    [InlineData(null)]
    public async Task A_socket_from_another_origin_is_refused_even_with_the_session(string? origin)
    {
        var secret = await _host.SessionAsync();
        var (socket, status) = await _host.ConnectAsync(secret, origin);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        socket.Dispose();
        using var page = await _host.PageAsync(secret); // the page itself still can
    }

    [Fact]
    public async Task No_cors_preflight_is_answered_and_only_post_exchanges()
    {
        using var preflight = await _host.SendAsync(HttpMethod.Options, "/session", origin: "http://evil.example");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, preflight.StatusCode);
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        using var get = await _host.SendAsync(HttpMethod.Get, "/session", token: _host.Server.Access.Token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        using var put = await _host.SendAsync(HttpMethod.Put, "/", origin: null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        await _host.SessionAsync();
    }

    [Fact]
    public async Task Only_embedded_files_are_served()
    {
        using var traversal = await _host.SendAsync(HttpMethod.Get, "/../Entice.ClientNode.dll", origin: null);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        using var missing = await _host.SendAsync(HttpMethod.Get, "/nothing.js", origin: null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
