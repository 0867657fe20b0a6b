using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Entice.Crypto.Primitives;

/// <summary>
/// Constant-time equality of two keys. <see cref="CryptographicOperations.FixedTimeEquals"/> is compiled without
/// optimisation on purpose (a byte loop), which made the five 32-byte comparisons of each encrypt + decrypt
/// (peer identity, prekey, ratchet key) about 5 % of it (issue 17); two 32-byte keys are compared here in one
/// vector XOR and test, with no branch on their contents either.
/// </summary>
internal static class KeyEquality
{
    public static bool Same(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length == 32 && b.Length == 32 && Vector256.IsHardwareAccelerated)
        {
            return (Vector256.Create(a) ^ Vector256.Create(b)) == Vector256<byte>.Zero;
        }

        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
