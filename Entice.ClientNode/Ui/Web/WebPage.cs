using System.Collections.Frozen;
using System.Reflection;

namespace Entice.ClientNode.Ui.Web;

/// <summary>
/// The page's files, embedded in the client assembly (Ui/Web/wwwroot, LogicalName wwwroot/...): looked
/// up by exact path in a table built once, so no request reaches the file system. "/" is index.html.
/// </summary>
public sealed class WebPage
{
    private const string Prefix = "wwwroot/";
    private readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> _files;

    public WebPage(Assembly? assembly = null)
    {
        assembly ??= typeof(WebPage).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files["/" + name[Prefix.Length..]] = (copy.ToArray(), ContentType(name));
        }
        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The file at a request path, or null. "/" is index.html.</summary>
    public (byte[] Bytes, string ContentType)? Find(string path)
    {
        if (path == "/")
            path = "/index.html";
        return _files.TryGetValue(path, out var file) ? file : null;
    }

    public IEnumerable<string> Paths => _files.Keys;

    private static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".json" => "application/json",
        ".webmanifest" => "application/manifest+json",
        ".woff2" => "font/woff2",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
