using System.Text;
using Entice.Crypto.Primitives;

namespace Entice.Channels;

/// <summary>
/// Noise SymmetricState (spec rev 34, §5.2) with SHA-256: the chaining key ck, the handshake hash h and
/// a <see cref="CipherState"/> of the suite's AEAD (the same one the transport uses after <see cref="Split"/>). HKDF is the spec's own (HMAC-SHA256 chained, §4.3), on the repository's
/// <see cref="Kdf.Hmac"/> (NSec SHA-256, checked against RFC 4231). <see cref="Split"/> wipes ck.
/// </summary>
internal sealed class SymmetricState : IDisposable
{
    public const int HashLength = 32;

    private readonly ChannelSuite suite;
    private readonly CipherState cipher;
    private readonly byte[] ck = new byte[HashLength];
    private byte[] h = new byte[HashLength];

    public SymmetricState(string protocolName, ChannelSuite suite = ChannelSuite.ChaChaPoly)
    {
        this.suite = suite;
        cipher = new CipherState(suite);
        var name = Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= HashLength)
        {
            name.CopyTo(h, 0);
        }
        else
        {
            h = NSec.Cryptography.HashAlgorithm.Sha256.Hash(name);
        }

        h.CopyTo(ck, 0);
    }

    public bool HasKey => cipher.HasKey;

    /// <summary>The handshake hash h (a copy): after the handshake, a value both sides share (channel binding).</summary>
    public byte[] HandshakeHash => (byte[])h.Clone();

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        var (newCk, tempK) = Hkdf2(ck, inputKeyMaterial);
        try
        {
            newCk.CopyTo(ck, 0);
            cipher.InitializeKey(tempK);
        }
        finally
        {
            Kdf.Wipe(newCk);
            Kdf.Wipe(tempK);
        }
    }

    public void MixHash(ReadOnlySpan<byte> data)
    {
        var input = new byte[HashLength + data.Length];
        h.CopyTo(input, 0);
        data.CopyTo(input.AsSpan(HashLength));
        h = NSec.Cryptography.HashAlgorithm.Sha256.Hash(input);
    }

    public byte[] EncryptAndHash(ReadOnlySpan<byte> plaintext)
    {
        var ciphertext = cipher.EncryptWithAd(h, plaintext);
        MixHash(ciphertext);
        return ciphertext;
    }

    /// <summary>DecryptAndHash: null when the ciphertext does not authenticate.</summary>
    public byte[]? DecryptAndHash(ReadOnlySpan<byte> ciphertext)
    {
        var length = cipher.HasKey ? ciphertext.Length - CipherState.TagSize : ciphertext.Length;
        if (length < 0)
        {
            return null;
        }

        var plaintext = new byte[length];
        if (!cipher.TryDecryptWithAd(h, ciphertext, plaintext))
        {
            return null;
        }

        MixHash(ciphertext);
        return plaintext;
    }

    /// <summary>Split(): the two transport CipherStates (initiator to responder, responder to initiator); ck is wiped.</summary>
    public (CipherState First, CipherState Second) Split()
    {
        var (k1, k2) = Hkdf2(ck, []);
        var first = new CipherState(suite);
        var second = new CipherState(suite);
        try
        {
            first.InitializeKey(k1);
            second.InitializeKey(k2);
        }
        finally
        {
            Kdf.Wipe(k1);
            Kdf.Wipe(k2);
            Kdf.Wipe(ck);
            cipher.Dispose();
        }

        return (first, second);
    }

    public void Dispose()
    {
        Kdf.Wipe(ck);
        Kdf.Wipe(h);
        cipher.Dispose();
    }

    // HKDF(chaining_key, input_key_material, 2) of the spec: temp = HMAC(ck, ikm); out1 = HMAC(temp, 0x01);
    // out2 = HMAC(temp, out1 || 0x02). (RFC 5869 with salt ck and empty info gives the same bytes.)
    private static (byte[] Out1, byte[] Out2) Hkdf2(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial)
    {
        var temp = Kdf.Hmac(chainingKey, inputKeyMaterial);
        var block = new byte[HashLength + 1];
        try
        {
            var out1 = Kdf.Hmac(temp, [0x01]);
            out1.CopyTo(block, 0);
            block[HashLength] = 0x02;
            var out2 = Kdf.Hmac(temp, block);
            return (out1, out2);
        }
        finally
        {
            Kdf.Wipe(temp);
            Kdf.Wipe(block);
        }
    }
}
