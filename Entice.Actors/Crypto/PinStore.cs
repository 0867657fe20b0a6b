using System.Text.Json;
using System.Text.Json.Serialization;

namespace Entice.Crypto;

/// <summary>
/// Trust-on-first-use pins: the identity keys we first saw for each name, and whether the user verified
/// them (safety numbers). Persisted to a JSON file, rewritten atomically (temp file, then rename) so a
/// crash never leaves half a file.
/// </summary>
public sealed class PinStore
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    private readonly string path;
    private readonly Dictionary<string, Pin> pins;

    internal PinStore(string path)
    {
        this.path = path;
        pins = Load(path);
    }

    /// <summary>Compare with the pin: pin on first sight (New), Same, or Changed (which drops verification).</summary>
    public PinStatus Check(string name, PublicIdentity id)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(id);
        if (!pins.TryGetValue(name, out var pin))
        {
            pins[name] = Pin.Of(id, verified: false);
            Save();
            return PinStatus.New;
        }

        if (pin.Identity.SameKeysAs(id))
        {
            return PinStatus.Same;
        }

        // The old keys stay pinned, but whatever the user verified no longer describes who is talking.
        if (pin.Verified)
        {
            pins[name] = pin with { Verified = false };
            Save();
        }

        return PinStatus.Changed;
    }

    /// <summary>The user accepted these keys for this name: pin them, unverified.</summary>
    public void Accept(string name, PublicIdentity id)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(id);
        pins[name] = Pin.Of(id, verified: false);
        Save();
    }

    /// <summary>The user compared safety numbers for the pinned keys of this name.</summary>
    public void MarkVerified(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!pins.TryGetValue(name, out var pin))
        {
            throw new InvalidOperationException("Only a name with pinned keys can be marked verified.");
        }

        pins[name] = pin with { Verified = true };
        Save();
    }

    public bool IsVerified(string name) => pins.TryGetValue(name, out var pin) && pin.Verified;

    private static Dictionary<string, Pin> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, Pin>(StringComparer.Ordinal);
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, StoredPin>>(File.ReadAllText(path));
            var loaded = new Dictionary<string, Pin>(StringComparer.Ordinal);
            foreach (var (name, entry) in stored ?? [])
            {
                loaded[name] = Pin.From(entry ?? throw new FormatException());
            }

            return loaded;
        }
        catch (Exception error) when (error is JsonException or FormatException)
        {
            throw new CryptoException($"The pin file {Path.GetFileName(path)} is corrupt.", error);
        }
    }

    private void Save()
    {
        var stored = pins.ToDictionary(entry => entry.Key, entry => entry.Value.ToStored(), StringComparer.Ordinal);
        var temporary = path + ".tmp";
        KeyFiles.WritePrivateFile(temporary, JsonSerializer.SerializeToUtf8Bytes(stored, WriteOptions), overwrite: true);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record Pin(PublicIdentity Identity, bool Verified)
    {
        public static Pin Of(PublicIdentity id, bool verified) =>
            new(new PublicIdentity([.. id.SigningKey], [.. id.DhKey], [.. id.BindingSignature]), verified);

        public static Pin From(StoredPin stored)
        {
            var signingKey = Convert.FromBase64String(stored.SigningKey ?? throw new FormatException());
            var dhKey = Convert.FromBase64String(stored.DhKey ?? throw new FormatException());
            if (signingKey.Length != IdentitySignatures.PublicKeySize || dhKey.Length != IdentitySignatures.PublicKeySize)
            {
                throw new FormatException();
            }

            return new Pin(new PublicIdentity(signingKey, dhKey, []), stored.Verified);
        }

        public StoredPin ToStored() => new()
        {
            SigningKey = Convert.ToBase64String(Identity.SigningKey),
            DhKey = Convert.ToBase64String(Identity.DhKey),
            Verified = Verified,
        };
    }

    private sealed class StoredPin
    {
        [JsonPropertyName("signingKey")]
        public string? SigningKey { get; set; }

        [JsonPropertyName("dhKey")]
        public string? DhKey { get; set; }

        [JsonPropertyName("verified")]
        public bool Verified { get; set; }
    }
}
