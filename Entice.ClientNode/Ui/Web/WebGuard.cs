using Microsoft.AspNetCore.Http;

namespace Entice.ClientNode.Ui.Web;

/// <summary>
/// Only this machine and this page: the checks every request passes before anything else.
/// <list type="bullet">
/// <item>Host must be <c>127.0.0.1:PORT</c> or <c>localhost:PORT</c> (the port we are bound to): a web site
/// whose name an attacker points at 127.0.0.1 (DNS rebinding) sends its own name and is refused.</item>
/// <item>Origin, on the WebSocket upgrade and on every request that changes something (POST), must be
/// present and be this page's own origin (<c>http://</c> + the Host): another site, another local port,
/// or a file:// page cannot drive the client even with the browser's help.</item>
/// <item>No CORS: no Access-Control-* header is ever sent, preflights get 405.</item>
/// </list>
/// Every answer carries a strict Content-Security-Policy (only this origin's scripts, styles, images and
/// WebSocket; no inline script; no frames), nosniff, no referrer and no caching.
/// </summary>
public sealed class WebGuard
{
    private volatile string[] _hosts = [];

    /// <summary>Set once the listener is bound; until then every request is refused.</summary>
    public void Bound(int port) => _hosts = [$"127.0.0.1:{port}", $"localhost:{port}"];

    public bool HostAllowed(HostString host) =>
        host.HasValue && Array.Exists(_hosts, h => string.Equals(h, host.Value, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the request's Origin is the page's own: http:// and the (already checked) Host.</summary>
    public static bool SameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var origins = request.Headers.Origin;
        return origins.Count == 1 && string.Equals(origins[0], "http://" + request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The headers every answer carries.</summary>
    public static void Secure(HttpResponse response, HostString host)
    {
        ArgumentNullException.ThrowIfNull(response);
        var h = response.Headers;
        h.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
                                  $"manifest-src 'self'; connect-src 'self' ws://{host.Value}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h.CacheControl = "no-store";
    }
}
