using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Storage;

/// <summary>
/// Passphrase sealing for secret files in the key directory:
/// <code>
/// "ENTK" || 0x01 || Argon2 memory KiB (u32 BE) || passes (u32 BE) || salt (16) || nonce (24) || ciphertext+tag
/// key = Argon2id(UTF-8 passphrase, salt, memory, passes, parallelism 1) -> 32 bytes
/// body = XChaCha20-Poly1305(key, nonce, AD = header || "Entice/v1/sealed-file" || file name, content)
/// </code>
/// The file name is in the AD, so a sealed sessions.bin cannot be passed off as identity.key. A random
/// 24-byte nonce per write makes reusing one derived key (one salt) for many writes safe.
/// </summary>
internal static class SealedFile
{
    public const int HeaderSize = 4 + 1 + 4 + 4 + SaltSize + NonceSize;
    public const int SaltSize = 16;

    private const byte Version = 0x01;
    private const int NonceSize = 24;
    private const int KeySize = 32;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("ENTK");

    public static bool LooksSealed(ReadOnlySpan<byte> file) =>
        file.Length >= HeaderSize + AeadAlgorithm.XChaCha20Poly1305.TagSize && file[..Magic.Length].SequenceEqual(Magic);

    public static byte[] DeriveKey(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, PassphraseParameters parameters)
    {
        var argon = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = parameters.MemoryKiB,
            NumberOfPasses = parameters.Passes,
        });
        return argon.DeriveBytes(passphrase, salt, KeySize);
    }

    public static byte[] Seal(string fileName, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, PassphraseParameters parameters, ReadOnlySpan<byte> content)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        header[4] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(5, 4), parameters.MemoryKiB);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(9, 4), parameters.Passes);
        salt.CopyTo(header.AsSpan(13, SaltSize));
        RandomNumberGenerator.Fill(header.AsSpan(13 + SaltSize, NonceSize));
        using var aead = Key.Import(AeadAlgorithm.XChaCha20Poly1305, key, KeyBlobFormat.RawSymmetricKey);
        var body = AeadAlgorithm.XChaCha20Poly1305.Encrypt(aead, header.AsSpan(13 + SaltSize, NonceSize), AssociatedData(header, fileName), content);
        return [.. header, .. body];
    }

    /// <summary>The salt and Argon2 parameters a sealed file was written with; throws if the header is unusable.</summary>
    public static (byte[] Salt, PassphraseParameters Parameters) ReadHeader(string fileName, ReadOnlySpan<byte> file)
    {
        if (!LooksSealed(file) || file[4] != Version)
        {
            throw new CryptoException($"{fileName}: wrong passphrase or corrupted key file.");
        }

        var parameters = new PassphraseParameters(
            BinaryPrimitives.ReadUInt32BigEndian(file.Slice(5, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(file.Slice(9, 4)));
        if (!parameters.IsAcceptable)
        {
            throw new CryptoException($"{fileName}: wrong passphrase or corrupted key file.");
        }

        return (file.Slice(13, SaltSize).ToArray(), parameters);
    }

    /// <summary>The content; a wrong key and a damaged file are indistinguishable, and both throw.</summary>
    public static byte[] Open(string fileName, ReadOnlySpan<byte> key, ReadOnlySpan<byte> file)
    {
        var header = file[..HeaderSize].ToArray();
        using var aead = Key.Import(AeadAlgorithm.XChaCha20Poly1305, key, KeyBlobFormat.RawSymmetricKey);
        return AeadAlgorithm.XChaCha20Poly1305.Decrypt(aead, header.AsSpan(13 + SaltSize, NonceSize), AssociatedData(header, fileName), file[HeaderSize..])
            ?? throw new CryptoException($"{fileName}: wrong passphrase or corrupted key file.");
    }

    private static byte[] AssociatedData(byte[] header, string fileName) =>
        new LengthPrefixedWriter().Add(header).Add(KdfLabels.SealedFile).Add(fileName).ToArray();
}
