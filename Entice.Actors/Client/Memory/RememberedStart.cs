using System.Net;
using Entice.Wire;

namespace Entice.Client.Memory;

/// <summary>
/// Starting where the client left off: which key directory (and so which name) when none is given,
/// and which servers and rooms when the command line and the config files do not say.
/// Precedence, strongest first: command-line options, <c>--config</c>, the user's client.conf, what is
/// remembered in the key directory, hocon/client.conf.
/// </summary>
public static class RememberedStart
{
    /// <summary>The key directory to start from when no name is given: the config's key-dir, else the one used last.</summary>
    /// <exception cref="ClientMemory.DamagedException">The pointer or the remembered settings are damaged.</exception>
    public static (string KeyDir, ClientMemory Memory)? FromLastUsed(string? keyDir)
    {
        keyDir ??= LastUsed.Read();
        if (keyDir is null)
            return null;
        return ClientMemory.Load(keyDir) is { } memory ? (keyDir, memory) : null;
    }

    /// <summary>Servers: the configuration's when a file set them, else the ones used last, else the default.</summary>
    public static IReadOnlyList<DnsEndPoint>? Servers(UserConfig.Layers layers, ClientMemory? memory)
    {
        if (layers.Files.HasPath("entice.client.server") || memory is null || memory.Servers.Count == 0)
            return null;
        return ClientSettings.ParseServers(string.Join(",", memory.Servers.Select(s => s.Address)));
    }

    /// <summary>The rooms to be in: the first is entered at the start, the others joined after it.</summary>
    public static IReadOnlyList<string> Rooms(string? roomOption, UserConfig.Layers layers, ClientMemory? memory, string configured)
    {
        var remembered = memory?.Rooms ?? [];
        string first;
        if (roomOption is not null)
            first = Names.Canonical(roomOption);
        else if (layers.Files.HasPath("entice.client.room") || remembered.Count == 0)
            first = Names.Canonical(configured);
        else
            first = remembered[0];
        return [first, .. remembered.Where(r => r != first)];
    }
}
