namespace Entice.Wire;

/// <summary>
/// Encoded sizes of fields, validating each against <see cref="WireLimits"/> on the way. Encoding refuses
/// (throws) what the decoder would reject, so a bug on our side fails here, not on a peer's connection.
/// </summary>
internal static class WireSize
{
    public const int Tag = 1;
    public const int Bool = 1;
    public const int U16 = sizeof(ushort);
    public const int U32 = sizeof(uint);
    public const int U64 = sizeof(ulong);

    public const int IdentityBundle =
        WireLimits.SigningKeyBytes + WireLimits.DhKeyBytes + WireLimits.SignatureBytes
        + U32 + WireLimits.PrekeyBytes + WireLimits.SignatureBytes;

    /// <summary>The smallest MemberInfo (empty name): lets the decoder refuse absurd counts before allocating.</summary>
    public const int MinMemberInfo = U16 + IdentityBundle;

    public static int String(string? value, string field)
    {
        if (value is null)
        {
            throw new ArgumentException($"String field '{field}' is null.", field);
        }

        // Throws EncoderFallbackException (an ArgumentException) on lone surrogates.
        var bytes = WireUtf8.Strict.GetByteCount(value);
        if (bytes > WireLimits.MaxStringBytes)
        {
            throw new ArgumentException(
                $"String field '{field}' is {bytes} UTF-8 bytes; the limit is {WireLimits.MaxStringBytes}.", field);
        }

        return U16 + bytes;
    }

    public static int Fixed(byte[]? value, int expectedLength, string field)
    {
        if (value is null || value.Length != expectedLength)
        {
            throw new ArgumentException(
                $"Field '{field}' must be exactly {expectedLength} bytes, not {value?.Length.ToString() ?? "null"}.",
                field);
        }

        return expectedLength;
    }

    public static int Blob32(byte[]? value, string field)
    {
        if (value is null)
        {
            throw new ArgumentException($"Field '{field}' is null.", field);
        }

        return U32 + value.Length;
    }

    public static int Identity(IdentityBundle? identity)
    {
        if (identity is null)
        {
            throw new ArgumentException("Field 'identity' is null.", nameof(identity));
        }

        Fixed(identity.SigningKey, WireLimits.SigningKeyBytes, "signingKey");
        Fixed(identity.DhKey, WireLimits.DhKeyBytes, "dhKey");
        Fixed(identity.BindingSignature, WireLimits.SignatureBytes, "bindingSignature");
        Fixed(identity.Prekey, WireLimits.PrekeyBytes, "prekey");
        Fixed(identity.PrekeySignature, WireLimits.SignatureBytes, "prekeySignature");
        return IdentityBundle;
    }

    public static int Member(MemberInfo? member)
    {
        if (member is null)
        {
            throw new ArgumentException("Field 'member' is null.", nameof(member));
        }

        return String(member.Name, "name") + Identity(member.Identity);
    }

    public static int Members(IReadOnlyList<MemberInfo>? members)
    {
        if (members is null)
        {
            throw new ArgumentException("Field 'members' is null.", nameof(members));
        }

        if (members.Count > WireLimits.MaxMembers)
        {
            throw new ArgumentException(
                $"Field 'members' has {members.Count} entries; the limit is {WireLimits.MaxMembers}.", nameof(members));
        }

        var size = U16;
        foreach (var member in members)
        {
            size += Member(member);
        }

        return size;
    }
}
