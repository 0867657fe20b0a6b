using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Entice.Crypto.Primitives;
using Entice.Crypto.Identity;

namespace Entice.Crypto.Storage;

/// <summary>
/// The pins file, <c>pins.log</c>: a header, then records appended one per change (the last record for a
/// name wins).
/// <code>
/// file   = "ENPL" || 0x01 || sealed (1 byte: 1 when passphrase-protected) || record*
/// record = length (u32 BE) || payload
/// body   = name length (u16 BE) || name (UTF-8) || IKsig (32) || IKdh (32) || verified (1 byte, 0 or 1)
/// plain  payload = body || first 16 bytes of SHA-256("Entice/v1/pin-record" || index (u32 BE) || body)
/// sealed payload = SealedFile(name = "pins.log#" + index, body)      (the key directory's passphrase key)
/// </code>
/// The index (the record's position) is bound in, so records cannot be reordered or moved between positions
/// unnoticed; sealed records also cannot be forged without the passphrase. Plain records detect damage
/// only (the file holds public keys, as before). A record cut short, a bad checksum or tag, a bad field or
/// trailing bytes: the whole file is refused with <see cref="CryptoException"/> naming the record.
/// </summary>
internal sealed class PinLog
{
    public const int KeySize = IdentitySignatures.PublicKeySize;

    /// <summary>Records beyond twice the live pins allowed before a compaction.</summary>
    public const int CompactionSlack = 64;

    private const int HeaderSize = 6;
    private const int ChecksumSize = 16;
    private const int MaxNameBytes = 1024;
    private const int MaxRecordSize = 4096;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("ENPL");
    private static readonly byte[] ChecksumLabel = Encoding.ASCII.GetBytes("Entice/v1/pin-record");

    private readonly string path;
    private readonly Func<string, byte[], byte[]>? seal;
    private readonly Func<string, byte[], byte[]>? open;

    /// <param name="seal">With a passphrase: seals a record body under a name; null for plain records.</param>
    /// <param name="open">The inverse of <paramref name="seal"/>; throws <see cref="CryptoException"/> on a bad record.</param>
    public PinLog(string path, Func<string, byte[], byte[]>? seal, Func<string, byte[], byte[]>? open)
    {
        this.path = path;
        this.seal = seal;
        this.open = open;
    }

    public string FileName => Path.GetFileName(path);

    private bool Sealed => seal is not null;

    /// <summary>The pins and the number of records; an absent file is empty. Throws on any damage.</summary>
    public (Dictionary<string, Pin> Pins, int Records) Load()
    {
        var pins = new Dictionary<string, Pin>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return (pins, 0);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CryptoException($"{FileName} cannot be read.", error);
        }

        if (bytes.Length < HeaderSize || !bytes.AsSpan(0, 4).SequenceEqual(Magic) || bytes[4] != 0x01 || bytes[5] > 1)
        {
            throw Corrupt("it is not a pin log");
        }

        if ((bytes[5] == 1) != Sealed)
        {
            throw new CryptoException(Sealed
                ? $"{FileName} is not passphrase-protected; start without a passphrase to use it."
                : $"{FileName} is protected by a passphrase; start with the passphrase to use it.");
        }

        var offset = HeaderSize;
        var index = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 4)
            {
                throw Corrupt($"record {index + 1} is cut short");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset, 4));
            if (length > MaxRecordSize || length > (uint)(bytes.Length - offset - 4))
            {
                throw Corrupt($"record {index + 1} is cut short or too long");
            }

            var payload = bytes.AsSpan(offset + 4, (int)length).ToArray();
            var (name, pin) = ReadRecord(index, payload);
            pins[name] = pin;
            offset += 4 + (int)length;
            index++;
        }

        return (pins, index);
    }

    /// <summary>Append one record at position <paramref name="index"/> (creating the file if needed) and fsync it.</summary>
    public void Append(int index, string name, Pin pin)
    {
        var record = Record(index, name, pin);
        if (!File.Exists(path))
        {
            KeyFiles.WritePrivateFileAtomic(path, [.. Header(), .. record], overwrite: false);
            return;
        }

        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(record);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Replace the file atomically with one record per pin (the compaction).</summary>
    public void Rewrite(IReadOnlyDictionary<string, Pin> pins)
    {
        var content = new List<byte>(Header());
        var index = 0;
        foreach (var (name, pin) in pins)
        {
            content.AddRange(Record(index++, name, pin));
        }

        KeyFiles.WritePrivateFileAtomic(path, content.ToArray(), overwrite: true);
    }

    private byte[] Header() => [.. Magic, 0x01, Sealed ? (byte)1 : (byte)0];

    private byte[] Record(int index, string name, Pin pin)
    {
        var nameBytes = StrictUtf8.GetBytes(name);
        if (nameBytes.Length > MaxNameBytes)
        {
            throw new CryptoException("A pinned name is too long.");
        }

        var body = new byte[2 + nameBytes.Length + KeySize + KeySize + 1];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)nameBytes.Length);
        nameBytes.CopyTo(body, 2);
        pin.Identity.SigningKey.CopyTo(body, 2 + nameBytes.Length);
        pin.Identity.DhKey.CopyTo(body, 2 + nameBytes.Length + KeySize);
        body[^1] = pin.Verified ? (byte)1 : (byte)0;
        byte[] payload = seal is { } sealer ? sealer(RecordName(index), body) : [.. body, .. Checksum(index, body)];
        var record = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(record, (uint)payload.Length);
        payload.CopyTo(record, 4);
        return record;
    }

    private (string Name, Pin Pin) ReadRecord(int index, byte[] payload)
    {
        byte[] body;
        if (open is { } opener)
        {
            try
            {
                body = opener(RecordName(index), payload);
            }
            catch (CryptoException)
            {
                throw Corrupt($"record {index + 1} does not authenticate (wrong passphrase, or altered)");
            }
        }
        else
        {
            if (payload.Length < ChecksumSize
                || !CryptographicOperations.FixedTimeEquals(Checksum(index, payload.AsSpan(0, payload.Length - ChecksumSize)), payload.AsSpan(payload.Length - ChecksumSize)))
            {
                throw Corrupt($"record {index + 1} is damaged (checksum)");
            }

            body = payload[..^ChecksumSize];
        }

        if (body.Length < 2)
        {
            throw Corrupt($"record {index + 1} is malformed");
        }

        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (body.Length != 2 + nameLength + KeySize + KeySize + 1 || body[^1] > 1
            || !StrictUtf8.TryGetString(body.AsSpan(2, nameLength), out var name))
        {
            throw Corrupt($"record {index + 1} is malformed");
        }

        var signingKey = body.AsSpan(2 + nameLength, KeySize).ToArray();
        var dhKey = body.AsSpan(2 + nameLength + KeySize, KeySize).ToArray();
        return (name, new Pin(new PublicIdentity(signingKey, dhKey, []), body[^1] == 1));
    }

    private static string RecordName(int index) => $"{KeyDirectory.PinsFileName}#{index}";

    private static byte[] Checksum(int index, ReadOnlySpan<byte> body)
    {
        var input = new byte[ChecksumLabel.Length + 4 + body.Length];
        ChecksumLabel.CopyTo(input, 0);
        BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(ChecksumLabel.Length, 4), (uint)index);
        body.CopyTo(input.AsSpan(ChecksumLabel.Length + 4));
        return NSec.Cryptography.HashAlgorithm.Sha256.Hash(input)[..ChecksumSize];
    }

    private CryptoException Corrupt(string why) => new($"{FileName} is corrupt: {why}.");
}
