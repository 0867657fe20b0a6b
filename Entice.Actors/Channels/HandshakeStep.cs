using System.Diagnostics.CodeAnalysis;

namespace Entice.Channels;

/// <summary>Where a <see cref="ChannelHandshake"/> stands after some inbound bytes.</summary>
public enum HandshakeStatus
{
    /// <summary>More bytes from the peer are needed.</summary>
    InProgress,

    /// <summary>The handshake is done: <see cref="HandshakeStep.Channel"/> carries the records from now on.</summary>
    Complete,

    /// <summary>The handshake failed (<see cref="HandshakeStep.Error"/>); close the connection.</summary>
    Failed,
}

/// <summary>
/// The result of <see cref="ChannelHandshake.Receive"/>: bytes to send now (possibly none), and when
/// complete the <see cref="SecureChannel"/> plus any bytes that arrived after the last handshake message
/// (the first records: pass them to <see cref="SecureChannel.Open"/>).
/// </summary>
public sealed class HandshakeStep
{
    private HandshakeStep(HandshakeStatus status, byte[] outbound, SecureChannel? channel, byte[] remainder, ChannelError? error, ServerFingerprint? presented)
    {
        Status = status;
        Outbound = outbound;
        Channel = channel;
        Remainder = remainder;
        Error = error;
        PresentedServerKey = presented;
    }

    public HandshakeStatus Status { get; }

    /// <summary>Bytes to write to the peer now (send them even when the step is Complete).</summary>
    public byte[] Outbound { get; }

    /// <summary>The channel, when <see cref="Status"/> is Complete.</summary>
    public SecureChannel? Channel { get; }

    /// <summary>Bytes after the handshake (records), when Complete; usually empty.</summary>
    public byte[] Remainder { get; }

    public ChannelError? Error { get; }

    /// <summary>On the client: the fingerprint of the key the server presented, once known (also on a mismatch).</summary>
    public ServerFingerprint? PresentedServerKey { get; }

    [MemberNotNullWhen(true, nameof(Channel))]
    public bool IsComplete => Status == HandshakeStatus.Complete;

    [MemberNotNullWhen(true, nameof(Error))]
    public bool IsFailed => Status == HandshakeStatus.Failed;

    internal static HandshakeStep Pending(byte[] outbound, ServerFingerprint? presented) =>
        new(HandshakeStatus.InProgress, outbound, null, [], null, presented);

    internal static HandshakeStep Done(byte[] outbound, SecureChannel channel, byte[] remainder, ServerFingerprint? presented) =>
        new(HandshakeStatus.Complete, outbound, channel, remainder, null, presented);

    internal static HandshakeStep Fail(ChannelError error, ServerFingerprint? presented) =>
        new(HandshakeStatus.Failed, [], null, [], error, presented);

    public override string ToString() => IsFailed ? $"HandshakeStep({Error})" : $"HandshakeStep({Status}, {Outbound.Length} bytes out)";
}
