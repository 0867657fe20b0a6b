using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Storage;

/// <summary>
/// Trust-on-first-use pins: the identity keys we first saw for each name, and whether the user verified
/// them (safety numbers). Kept in an append-only log (<see cref="PinLog"/>): pinning a new name appends one
/// record (O(1) file work, one fsync), and the log is compacted (rewritten atomically) only when it holds
/// more than twice as many records as names, so the cost per change stays constant. Every record is
/// checked at load; any damage is refused with the file and record named. A <c>pins.json</c> from an older
/// version is read once and moved into the log.
/// </summary>
public sealed class PinStore
{
    private readonly PinLog log;
    private readonly Dictionary<string, Pin> pins;
    private int records;

    // Deferred mode (the crypto actor): changes update memory at once, their file work waits here, in order,
    // for the key writer. After a failed write the next one rewrites the whole log instead.
    private List<Action>? pending;
    private bool rewriteNext;

    internal PinStore(PinLog log, string legacyPath)
    {
        this.log = log;
        (pins, records) = log.Load();
        if (records == 0 && File.Exists(legacyPath))
        {
            foreach (var (name, pin) in LoadLegacy(legacyPath))
            {
                pins[name] = pin;
            }

            Compact();
            File.Delete(legacyPath);
        }
    }

    /// <summary>How many pinned names.</summary>
    public int Count => pins.Count;

    /// <summary>Compare with the pin: pin on first sight (New), Same, or Changed (which drops verification).</summary>
    public PinStatus Check(string name, PublicIdentity id)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(id);
        if (!pins.TryGetValue(name, out var pin))
        {
            Put(name, Pin.Of(id, verified: false));
            return PinStatus.New;
        }

        if (pin.Identity.SameKeysAs(id))
        {
            return PinStatus.Same;
        }

        // The old keys stay pinned, but whatever the user verified no longer describes who is talking.
        if (pin.Verified)
        {
            Put(name, pin with { Verified = false });
        }

        return PinStatus.Changed;
    }

    /// <summary>The user accepted these keys for this name: pin them, unverified.</summary>
    public void Accept(string name, PublicIdentity id)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(id);
        Put(name, Pin.Of(id, verified: false));
    }

    /// <summary>The user compared safety numbers for the pinned keys of this name.</summary>
    public void MarkVerified(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!pins.TryGetValue(name, out var pin))
        {
            throw new InvalidOperationException("Only a name with pinned keys can be marked verified.");
        }

        Put(name, pin with { Verified = true });
    }

    public bool IsVerified(string name) => pins.TryGetValue(name, out var pin) && pin.Verified;

    /// <summary>True when a change is in memory but its file work has not been taken by <see cref="TakeWrites"/>.</summary>
    internal bool HasPendingWrites => pending is { Count: > 0 };

    /// <summary>
    /// From now on changes update memory at once and queue their file work (appends, compactions, in order)
    /// for <see cref="TakeWrites"/>, so the caller can run it off its thread and answer after it.
    /// </summary>
    internal void DeferWrites() => pending ??= [];

    /// <summary>
    /// The queued file work as one action (run it once, in the order taken), or null when nothing is due.
    /// <paramref name="rewrite"/> (or a failed write before): one atomic rewrite of the current pins instead,
    /// which holds every earlier change whether or not its own write ran.
    /// </summary>
    internal Action? TakeWrites(bool rewrite = false)
    {
        if (pending is null || (pending.Count == 0 && !rewriteNext && !rewrite))
        {
            return null;
        }

        if (rewrite || rewriteNext)
        {
            pending.Clear();
            rewriteNext = false;
            var snapshot = new Dictionary<string, Pin>(pins, StringComparer.Ordinal);
            records = snapshot.Count;
            return () => log.Rewrite(snapshot);
        }

        var writes = pending.ToArray();
        pending.Clear();
        return () =>
        {
            foreach (var write in writes)
            {
                write();
            }
        };
    }

    /// <summary>A write taken from <see cref="TakeWrites"/> failed (perhaps half-way): the next one rewrites the log.</summary>
    internal void WriteFailed()
    {
        if (pending is not null)
        {
            rewriteNext = true;
        }
    }

    // One appended record; a compaction when the log holds more than twice the live pins (amortised O(1)).
    private void Put(string name, Pin pin)
    {
        pins[name] = pin;
        if (records + 1 > (2 * pins.Count) + PinLog.CompactionSlack)
        {
            Compact();
            return;
        }

        var index = records;
        if (pending is not null)
        {
            pending.Add(() => log.Append(index, name, pin));
        }
        else
        {
            log.Append(index, name, pin);
        }

        records++;
    }

    private void Compact()
    {
        if (pending is not null)
        {
            var snapshot = new Dictionary<string, Pin>(pins, StringComparer.Ordinal);
            pending.Add(() => log.Rewrite(snapshot));
        }
        else
        {
            log.Rewrite(pins);
        }

        records = pins.Count;
    }

    private static Dictionary<string, Pin> LoadLegacy(string path)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, LegacyPin>>(File.ReadAllText(path));
            var loaded = new Dictionary<string, Pin>(StringComparer.Ordinal);
            foreach (var (name, entry) in stored ?? [])
            {
                if (entry?.signingKey is null || entry.dhKey is null)
                {
                    throw new FormatException();
                }

                var signingKey = Convert.FromBase64String(entry.signingKey);
                var dhKey = Convert.FromBase64String(entry.dhKey);
                if (signingKey.Length != PinLog.KeySize || dhKey.Length != PinLog.KeySize)
                {
                    throw new FormatException();
                }

                loaded[name] = new Pin(new PublicIdentity(signingKey, dhKey, []), entry.verified);
            }

            return loaded;
        }
        catch (Exception error) when (error is JsonException or FormatException)
        {
            throw new CryptoException($"{Path.GetFileName(path)} is corrupt: not a valid pin file.", error);
        }
    }

    // The pins.json layout of earlier versions (read once, then moved into the log).
#pragma warning disable SA1300, IDE1006 // JSON property names as they were written
    private sealed record LegacyPin(string? signingKey, string? dhKey, bool verified);
#pragma warning restore SA1300, IDE1006
}

/// <summary>One pinned identity: the keys first seen (or accepted) for a name, and whether the user verified them.</summary>
internal sealed record Pin(PublicIdentity Identity, bool Verified)
{
    public static Pin Of(PublicIdentity id, bool verified) =>
        new(new PublicIdentity([.. id.SigningKey], [.. id.DhKey], [.. id.BindingSignature]), verified);
}
