using System.Net;
using System.Text;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;

namespace Entice.Channels;

/// <summary>
/// The client's pins of server keys, in the key directory as <c>servers.pins</c>: one line per address,
/// <c>HOST:PORT FINGERPRINT</c> (40 hex digits), after a comment line. Trust on first use: an unknown
/// address is pinned; a different key is reported (<see cref="ServerPinStatus.Changed"/>) and never
/// replaced except by <see cref="Accept"/>. The file is rewritten atomically with mode 0600, holds at
/// most <see cref="MaxServers"/> lines, and any line that is not exactly what this class writes is
/// refused with the file and line named. Public data (fingerprints), so it is not sealed. Blocking file
/// I/O: call it off an actor's thread.
/// </summary>
public sealed class ServerPins
{
    public const string FileName = "servers.pins";
    public const int MaxServers = 1000;
    public const int MaxFileBytes = 128 * 1024;

    private const string Comment = "# Entice server key pins: HOST:PORT FINGERPRINT (written by the client; accept a new key with --server HOST:PORT@FINGERPRINT)";

    private readonly string path;
    private readonly Dictionary<string, ServerFingerprint> pins;

    private ServerPins(string path, Dictionary<string, ServerFingerprint> pins)
    {
        this.path = path;
        this.pins = pins;
    }

    public int Count => pins.Count;

    /// <summary>The pins in <paramref name="keyDirectory"/> (none yet if it has no file); garbage throws <see cref="CryptoException"/>.</summary>
    public static ServerPins Load(string keyDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyDirectory);
        var path = Path.Combine(keyDirectory, FileName);
        var pins = new Dictionary<string, ServerFingerprint>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new ServerPins(path, pins);
        }

        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new CryptoException($"{path} is {length} bytes, more than a pin file holds ({MaxFileBytes}); it is not one this client wrote.");
        }

        if (!StrictUtf8.TryGetString(File.ReadAllBytes(path), out var text))
        {
            throw new CryptoException($"{path} is not text; it is not a pin file this client wrote.");
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 && i == lines.Length - 1)
            {
                break;
            }

            if (i == 0 && line == Comment)
            {
                continue;
            }

            var (server, fingerprint) = ParseLine(line) ?? throw new CryptoException($"{path} line {i + 1} is not HOST:PORT FINGERPRINT; fix or delete that line.");
            if (!pins.TryAdd(server, fingerprint))
            {
                throw new CryptoException($"{path} line {i + 1} pins {server} a second time; delete one of the lines.");
            }

            if (pins.Count > MaxServers)
            {
                throw new CryptoException($"{path} pins more than {MaxServers} servers; it is not a pin file this client wrote.");
            }
        }

        return new ServerPins(path, pins);
    }

    /// <summary>The pinned fingerprint for this address, or null (first contact).</summary>
    public ServerFingerprint? Get(DnsEndPoint server) => pins.GetValueOrDefault(ServerTarget.KeyOf(server));

    /// <summary>Compare the key a server presented with its pin; on first contact pin it (and save).</summary>
    public ServerPinCheck Check(DnsEndPoint server, ServerFingerprint presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var key = ServerTarget.KeyOf(server);
        if (!pins.TryGetValue(key, out var pinned))
        {
            Put(key, presented);
            return new ServerPinCheck(ServerPinStatus.New, key, presented, null);
        }

        return pinned.Equals(presented)
            ? new ServerPinCheck(ServerPinStatus.Same, key, presented, pinned)
            : new ServerPinCheck(ServerPinStatus.Changed, key, presented, pinned);
    }

    /// <summary>The user accepted this key for this address deliberately: it replaces the pin (and is saved).</summary>
    public void Accept(DnsEndPoint server, ServerFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        Put(ServerTarget.KeyOf(server), fingerprint);
    }

    private static (string Server, ServerFingerprint Fingerprint)? ParseLine(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 2 || parts[1].Length != 2 * ServerFingerprint.Size || line.Any(char.IsControl))
        {
            return null;
        }

        try
        {
            var target = ServerTarget.Parse(parts[0]);
            var key = ServerTarget.KeyOf(target.Endpoint);
            if (target.Fingerprint is not null || key != parts[0]
                || !ServerFingerprint.TryParse(parts[1], out var fingerprint, out _) || fingerprint.ToCompactString() != parts[1])
            {
                return null;
            }

            return (key, fingerprint);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private void Put(string key, ServerFingerprint fingerprint)
    {
        if (!pins.ContainsKey(key) && pins.Count >= MaxServers)
        {
            throw new CryptoException($"{path} pins {MaxServers} servers already; delete lines of servers you no longer use.");
        }

        var next = new Dictionary<string, ServerFingerprint>(pins, StringComparer.Ordinal) { [key] = fingerprint };
        var text = new StringBuilder(Comment).Append('\n');
        foreach (var (server, pin) in next.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(server).Append(' ').Append(pin.ToCompactString()).Append('\n');
        }

        var directory = Path.GetDirectoryName(path)!;
        KeyFiles.CreatePrivateDirectory(directory);
        KeyFiles.WritePrivateFileAtomic(path, Encoding.UTF8.GetBytes(text.ToString()), overwrite: true);
        pins[key] = fingerprint;
    }
}
