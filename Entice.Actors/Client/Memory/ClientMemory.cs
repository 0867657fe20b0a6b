using System.Net;
using System.Text;
using System.Text.Json;
using Entice.Crypto;
using Entice.Wire;
using Entice.Crypto.Storage;

namespace Entice.Client.Memory;

/// <summary>A relay this client used: its address, and its key's fingerprint once the relay has a key.</summary>
public sealed record RememberedServer(string Address, string? Fingerprint = null);

/// <summary>
/// What a client remembers in its key directory (<see cref="FileName"/>, mode 0600, replaced
/// atomically): its name, the relays it used (most recent first) and the rooms it is in (in the order
/// it joined them). No message and no key is ever in it. <c>entice</c> with no arguments starts from it.
/// </summary>
public sealed record ClientMemory(string Name, IReadOnlyList<RememberedServer> Servers, IReadOnlyList<string> Rooms)
{
    public const string FileName = "remembered.json";
    /// <summary>Bounds on what is kept (and read back): a larger file is damaged, not loaded.</summary>
    public const int MaxServers = 16;
    public const int MaxRooms = 64;
    public const int MaxFileBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The file is there but cannot be used; the message names it and says what to do.</summary>
    public sealed class DamagedException(string message) : Exception(message);

    public static string PathIn(string keyDir) => System.IO.Path.Combine(keyDir, FileName);

    /// <summary>The memory in <paramref name="keyDir"/>, or null when there is none yet.</summary>
    /// <exception cref="DamagedException">The file is unreadable, too large, not this format, or names
    /// something no client would have written.</exception>
    public static ClientMemory? Load(string keyDir)
    {
        var path = PathIn(keyDir);
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
                return null;
            if (new FileInfo(path).Length > MaxFileBytes)
                throw Damaged(path, $"larger than {MaxFileBytes / 1024} KiB");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Damaged(path, ex.Message);
        }
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(bytes, Json);
        }
        catch (JsonException ex)
        {
            throw Damaged(path, $"not valid JSON ({ex.Message.Split('.')[0]})");
        }
        if (stored is null || stored.Version != 1)
            throw Damaged(path, "not a version 1 settings file");
        if (!Names.IsValidName(stored.Name) || stored.Name != Names.Canonical(stored.Name!))
            throw Damaged(path, "the name in it is not a valid name");
        var servers = stored.Servers ?? [];
        var rooms = stored.Rooms ?? [];
        if (servers.Count > MaxServers || rooms.Count > MaxRooms)
            throw Damaged(path, $"more than {MaxServers} servers or {MaxRooms} rooms");
        foreach (var s in servers)
        {
            if (s is null || !IsAddress(s.Address) || (s.Fingerprint is { } f && (f.Length > 256 || f.Any(char.IsControl))))
                throw Damaged(path, "a server in it is not HOST:PORT");
        }
        if (rooms.Any(r => !Names.IsValidRoom(r) || r != Names.Canonical(r)))
            throw Damaged(path, "a room in it is not a valid room name");
        return new ClientMemory(stored.Name!, servers.Select(s => new RememberedServer(s.Address!, s.Fingerprint)).ToList(),
            rooms.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Writes this memory into <paramref name="keyDir"/> atomically, readable by its owner only.</summary>
    public void Save(string keyDir)
    {
        var stored = new Stored
        {
            Version = 1,
            Name = Name,
            Servers = Servers.Select(s => new StoredServer { Address = s.Address, Fingerprint = s.Fingerprint }).ToList(),
            Rooms = [.. Rooms],
        };
        KeyFiles.WritePrivateFileAtomic(PathIn(keyDir), JsonSerializer.SerializeToUtf8Bytes(stored, Json), overwrite: true);
    }

    /// <summary>The servers just used go first (keeping a fingerprint already known for them).</summary>
    public ClientMemory Used(IEnumerable<DnsEndPoint> servers)
    {
        var used = servers.Select(s => Address(s)).ToList();
        var known = Servers.ToDictionary(s => s.Address, StringComparer.OrdinalIgnoreCase);
        var list = used.Select(a => known.TryGetValue(a, out var k) ? k : new RememberedServer(a))
            .Concat(Servers.Where(s => !used.Contains(s.Address, StringComparer.OrdinalIgnoreCase)))
            .DistinctBy(s => s.Address, StringComparer.OrdinalIgnoreCase)
            .Take(MaxServers).ToList();
        return this with { Servers = list };
    }

    public ClientMemory Joined(string room) =>
        Rooms.Contains(room, StringComparer.Ordinal) || Rooms.Count >= MaxRooms ? this : this with { Rooms = [.. Rooms, room] };

    public ClientMemory Left(string room) =>
        Rooms.Contains(room, StringComparer.Ordinal) ? this with { Rooms = Rooms.Where(r => r != room).ToList() } : this;

    public static string Address(DnsEndPoint s) => s.Host.Contains(':', StringComparison.Ordinal) ? $"[{s.Host}]:{s.Port}" : $"{s.Host}:{s.Port}";

    public override string ToString() => $"ClientMemory({Name}, {Servers.Count} servers, {Rooms.Count} rooms)";

    private static bool IsAddress(string? a)
    {
        if (a is null || a.Length > 300 || a.Any(char.IsControl) || a.Contains(',', StringComparison.Ordinal))
            return false;
        try
        {
            return ClientSettings.ParseServers(a).Count == 1;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static DamagedException Damaged(string path, string why) =>
        new($"the remembered settings {path} cannot be used: {why}; fix or delete the file (it holds only your name, servers and rooms)");

    private sealed class Stored
    {
        public int Version { get; set; }
        public string? Name { get; set; }
        public List<StoredServer>? Servers { get; set; }
        public List<string>? Rooms { get; set; }
    }

    private sealed class StoredServer
    {
        public string? Address { get; set; }
        public string? Fingerprint { get; set; }
    }
}
