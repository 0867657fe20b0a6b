using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;
using NSec.Cryptography;

namespace Entice.Client.History;

/// <summary>
/// One append-only, sealed history file (mode 0600):
/// <code>
/// "ENTH" || 0x01 || record*        record = length (u32 BE) || nonce (24) || XChaCha20-Poly1305(key, nonce, AD, plaintext)
/// AD = length-prefixed("Entice/v1/history", file name)
/// </code>
/// The file name is in the AD, so a record cannot be moved into another conversation's file. Reading is
/// strict and never throws on content: a record that fails to open is skipped (its length still frames the
/// next one), a length out of bounds or a record cut short ends the file there (a damaged tail: the rest is
/// skipped); each is reported in <see cref="ReadResult.Problems"/>.
/// </summary>
internal static class HistoryFile
{
    public const int NonceSize = 24;

    private const int TagSize = 16;
    private const int MaxSealed = HistoryRecord.MaxBytes + NonceSize + TagSize;
    private static readonly byte[] Header = [.. Encoding.ASCII.GetBytes("ENTH"), 0x01];
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("Entice/v1/history");

    internal sealed record ReadResult(List<HistoryRecord> Records, List<string> Problems, int Unopened);

    public static ReadResult Read(string path, Key key, string fileName)
    {
        var records = new List<HistoryRecord>();
        var problems = new List<string>();
        var unopened = 0;
        byte[] bytes;
        try
        {
            bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{fileName}: cannot be read ({e.GetType().Name})");
            return new ReadResult(records, problems, 0);
        }
        if (bytes.Length == 0)
            return new ReadResult(records, problems, 0);
        if (bytes.Length < Header.Length || !bytes.AsSpan(0, Header.Length).SequenceEqual(Header))
        {
            problems.Add($"{fileName}: not a history file; skipped");
            return new ReadResult(records, problems, 1);
        }
        var ad = AssociatedData(fileName);
        var at = Header.Length;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 4)
            {
                problems.Add($"{fileName}: damaged tail ({bytes.Length - at} bytes) skipped");
                break;
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            if (length < NonceSize + TagSize || length > MaxSealed || length > (uint)(bytes.Length - at - 4))
            {
                problems.Add($"{fileName}: damaged tail ({bytes.Length - at} bytes) skipped");
                break;
            }
            var sealedRecord = bytes.AsSpan(at + 4, (int)length);
            at += 4 + (int)length;
            var plain = AeadAlgorithm.XChaCha20Poly1305.Decrypt(key, sealedRecord[..NonceSize], ad, sealedRecord[NonceSize..]);
            if (plain is null)
            {
                unopened++;
                problems.Add($"{fileName}: a record does not open (altered, or another key); skipped");
                continue;
            }
            if (!HistoryRecord.TryDecode(plain, out var record))
            {
                problems.Add($"{fileName}: a record is malformed; skipped");
                continue;
            }
            records.Add(record);
        }
        return new ReadResult(records, problems, unopened);
    }

    /// <summary>Appends sealed records (the header first when the file is new); created 0600.</summary>
    public static void Append(string path, Key key, string fileName, IEnumerable<HistoryRecord> records)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        if (stream.Length == 0)
            stream.Write(Header);
        var ad = AssociatedData(fileName);
        foreach (var record in records)
            stream.Write(Seal(key, ad, record));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Replaces the file atomically with exactly <paramref name="records"/> (mode 0600); none deletes it.</summary>
    public static void Rewrite(string path, Key key, string fileName, IReadOnlyCollection<HistoryRecord> records)
    {
        if (records.Count == 0)
        {
            File.Delete(path);
            return;
        }
        var ad = AssociatedData(fileName);
        using var buffer = new MemoryStream();
        buffer.Write(Header);
        foreach (var record in records)
            buffer.Write(Seal(key, ad, record));
        KeyFiles.WritePrivateFileAtomic(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), overwrite: true);
    }

    private static byte[] Seal(Key key, byte[] ad, HistoryRecord record)
    {
        var plain = record.Encode();
        var sealedRecord = new byte[4 + NonceSize + plain.Length + TagSize];
        BinaryPrimitives.WriteUInt32BigEndian(sealedRecord, (uint)(NonceSize + plain.Length + TagSize));
        var nonce = sealedRecord.AsSpan(4, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        AeadAlgorithm.XChaCha20Poly1305.Encrypt(key, nonce, ad, plain, sealedRecord.AsSpan(4 + NonceSize));
        CryptographicOperations.ZeroMemory(plain);
        return sealedRecord;
    }

    private static byte[] AssociatedData(string fileName) => new LengthPrefixedWriter().Add(Label).Add(fileName).ToArray();
}
