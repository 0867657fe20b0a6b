namespace Entice.Crypto.Primitives;

/// <summary>
/// A cryptographic operation refused its input. Messages are deliberately generic: they never carry key
/// bytes, plaintext or anything derived from a secret, so they are safe to log.
/// </summary>
public sealed class CryptoException : Exception
{
    public CryptoException()
        : base("A cryptographic operation failed.")
    {
    }

    public CryptoException(string message)
        : base(message)
    {
    }

    public CryptoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
