namespace Entice.Crypto.Group;

/// <summary>
/// Bounds and rotation limits of the sender-key layer (hocon: <c>entice.client.sender-keys</c>).
/// All bounds are per sender: one member cannot use up another's share.
/// </summary>
public sealed record SenderKeyOptions
{
    public const string ConfigPath = "entice.client.sender-keys";

    /// <summary>A sender starts a new sender key after this many messages under the current one.</summary>
    public int RotateAfterMessages { get; init; } = 1000;

    /// <summary>A sender starts a new sender key when the current one is this old.</summary>
    public TimeSpan RotateAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How far ahead of the receiver's chain a message may be; further is refused before any key is derived.</summary>
    public int MaxSkip { get; init; } = 2000;

    /// <summary>Message keys of skipped messages kept per sender (all of its keys together), oldest dropped first.</summary>
    public int MaxSkippedKept { get; init; } = 250;

    public static SenderKeyOptions Default { get; } = new();

    /// <summary>Reads <c>entice.client.sender-keys</c>, falling back to the defaults above; refuses non-positive values.</summary>
    public static SenderKeyOptions FromConfig(Akka.Configuration.Config root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var d = Default;
        var options = new SenderKeyOptions
        {
            RotateAfterMessages = root.GetInt(ConfigPath + ".rotate-after-messages", d.RotateAfterMessages),
            RotateAfter = root.GetTimeSpan(ConfigPath + ".rotate-after", d.RotateAfter, allowInfinite: false),
            MaxSkip = root.GetInt(ConfigPath + ".max-skip", d.MaxSkip),
            MaxSkippedKept = root.GetInt(ConfigPath + ".max-skipped-kept", d.MaxSkippedKept),
        };
        return options.Validated();
    }

    /// <summary>This, or an ArgumentOutOfRangeException naming the first setting out of range.</summary>
    public SenderKeyOptions Validated()
    {
        if (RotateAfterMessages <= 0)
            throw new ArgumentOutOfRangeException(nameof(RotateAfterMessages), "sender-keys.rotate-after-messages must be positive");
        if (RotateAfter <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RotateAfter), "sender-keys.rotate-after must be positive");
        if (MaxSkip < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxSkip), "sender-keys.max-skip must not be negative");
        if (MaxSkippedKept < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxSkippedKept), "sender-keys.max-skipped-kept must not be negative");
        return this;
    }
}
