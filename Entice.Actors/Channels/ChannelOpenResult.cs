using System.Diagnostics.CodeAnalysis;

namespace Entice.Channels;

/// <summary>
/// What <see cref="SecureChannel.Open"/> made of some inbound bytes: the whole frames they completed
/// (each one authenticated, in order) and, if the bytes broke the channel, why. Frames before an error
/// are genuine; after an error the channel is dead and the connection should be closed.
/// </summary>
public sealed class ChannelOpenResult
{
    internal ChannelOpenResult(IReadOnlyList<byte[]> frames, ChannelError? error)
    {
        Frames = frames;
        Error = error;
    }

    public IReadOnlyList<byte[]> Frames { get; }

    public ChannelError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    // Never the frames' bytes.
    public override string ToString() => Succeeded ? $"ChannelOpenResult({Frames.Count} frames)" : $"ChannelOpenResult({Frames.Count} frames, {Error})";
}
