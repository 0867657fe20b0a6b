namespace Entice.Channels;

/// <summary>
/// The channel's knobs: <c>channel { }</c> in <c>hocon/server.conf</c> (under entice.server) and
/// <c>hocon/client.conf</c> (under entice.client); the largest frame is the node's own max-frame-size.
/// </summary>
public sealed record ChannelSettings
{
    /// <summary>Smallest bucket allowed: the record header (3 bytes) and a little.</summary>
    public const int MinBucket = 16;

    private readonly IReadOnlyList<int> paddingBuckets = [64, 256, 1024, 4096, 16384];
    private readonly int maxFrameSize = 64 * 1024;
    private readonly int paddingStep = 4096;

    /// <summary>Padded plaintext sizes of records, ascending (see <see cref="RecordPadding"/>); empty: no padding.</summary>
    public IReadOnlyList<int> PaddingBuckets
    {
        get => paddingBuckets;
        init => paddingBuckets = CheckBuckets(value);
    }

    /// <summary>
    /// Past the largest bucket, records are padded to a multiple of this (bytes). Only write batches of
    /// many frames (or rare big frames) get there; 4 KiB keeps their size coarse (a batch of 300-byte
    /// envelopes is known to within ~13 frames) and wastes 2 KiB on average instead of 8 at 16 KiB.
    /// </summary>
    public int PaddingStep
    {
        get => paddingStep;
        init => paddingStep = value is >= MinBucket and <= RecordPadding.MaxPlaintext
            ? value
            : throw new FormatException($"channel.padding-step: {value} is outside {MinBucket}..{RecordPadding.MaxPlaintext}");
    }

    private readonly IReadOnlyList<ChannelSuite> suites = ChannelSuites.All;
    private readonly ChannelSuite? suite;

    /// <summary>
    /// On a server: the suites it accepts (<c>channel.suites</c>; default both). A client asking for another
    /// one, or for one this CPU cannot run, gets a plaintext refusal naming <see cref="UsableSuites"/>.
    /// </summary>
    public IReadOnlyList<ChannelSuite> Suites
    {
        get => suites;
        init => suites = CheckSuites(value);
    }

    /// <summary>The accepted suites this CPU can run.</summary>
    public IReadOnlyList<ChannelSuite> UsableSuites => [.. suites.Where(ChannelSuites.IsAvailable)];

    /// <summary>
    /// On a client: the suite it asks for (<c>channel.suite</c>); null (auto) picks AES-GCM where this CPU
    /// runs it, ChaChaPoly otherwise (<see cref="ChannelSuites.Preferred"/>).
    /// </summary>
    public ChannelSuite? Suite
    {
        get => suite;
        init => suite = value is not { } forced || ChannelSuites.IsAvailable(forced)
            ? value
            : throw new FormatException($"channel.suite = {ChannelSuites.ConfigName(forced)}, but this CPU cannot run AES-GCM (no AES-NI and PCLMULQDQ); use chachapoly or auto");
    }

    /// <summary>What a client with these settings asks for.</summary>
    public ChannelSuite ClientSuite => suite ?? ChannelSuites.Preferred;

    /// <summary>The longest an actor should wait for the handshake to complete.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest application frame sealed or put back together from records.</summary>
    public int MaxFrameSize
    {
        get => maxFrameSize;
        init => maxFrameSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), "must be positive");
    }

    /// <summary>From <c>{section}.channel</c> and <c>{section}.max-frame-size</c> (section: entice.server or entice.client).</summary>
    public static ChannelSettings FromConfig(Akka.Configuration.Config root, string section)
    {
        ArgumentNullException.ThrowIfNull(root);
        var d = new ChannelSettings();
        var node = root.GetConfig(section);
        if (node is null)
        {
            return d;
        }

        var maxFrame = checked((int)(node.GetByteSize("max-frame-size") ?? d.MaxFrameSize));
        var c = node.GetConfig("channel");
        if (c is null)
        {
            return d with { MaxFrameSize = maxFrame };
        }

        var buckets = c.HasPath("padding-buckets")
            ? c.GetStringList("padding-buckets").Select(ParseBucket).ToArray()
            : d.PaddingBuckets;
        return d with
        {
            MaxFrameSize = maxFrame,
            PaddingBuckets = buckets,
            PaddingStep = c.HasPath("padding-step") ? checked((int)(c.GetByteSize("padding-step") ?? d.PaddingStep)) : d.PaddingStep,
            HandshakeTimeout = c.GetTimeSpan("handshake-timeout", d.HandshakeTimeout),
            Suites = c.HasPath("suites") ? ParseSuites(c.GetStringList("suites")) : d.Suites,
            Suite = c.HasPath("suite") ? ParseClientSuite(c.GetString("suite")) : d.Suite,
        };
    }

    /// <summary>"auto" (null), "aesgcm" or "chachapoly".</summary>
    public static ChannelSuite? ParseClientSuite(string text) =>
        string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase) ? null : ChannelSuites.Parse(text, "channel.suite");

    private static ChannelSuite[] ParseSuites(IList<string> names)
    {
        var parsed = names.Select(n => ChannelSuites.Parse(n, "channel.suites")).ToArray();
        if (parsed.Length > 0 && !parsed.Any(ChannelSuites.IsAvailable))
        {
            throw new FormatException($"channel.suites = [{ChannelSuites.Describe(parsed)}], but this CPU cannot run AES-GCM (no AES-NI and PCLMULQDQ): no suite is left; add chachapoly");
        }

        return parsed;
    }

    private static ChannelSuite[] CheckSuites(IReadOnlyList<ChannelSuite> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (list.Count == 0)
        {
            throw new FormatException("channel.suites is empty: a server must accept at least one suite (aesgcm, chachapoly)");
        }

        if (list.Distinct().Count() != list.Count || list.Any(s => !ChannelSuites.TryFromByte((byte)s, out _)))
        {
            throw new FormatException("channel.suites: each of aesgcm and chachapoly at most once");
        }

        return [.. list];
    }

    private static int ParseBucket(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, null, out var value)
            ? value
            : throw new FormatException($"channel.padding-buckets: '{text}' is not a byte count");

    private static int[] CheckBuckets(IReadOnlyList<int> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        for (var i = 0; i < buckets.Count; i++)
        {
            if (buckets[i] < MinBucket || buckets[i] > RecordPadding.MaxPlaintext)
            {
                throw new FormatException($"channel.padding-buckets: {buckets[i]} is outside {MinBucket}..{RecordPadding.MaxPlaintext}");
            }

            if (i > 0 && buckets[i] <= buckets[i - 1])
            {
                throw new FormatException("channel.padding-buckets must be ascending");
            }
        }

        return [.. buckets];
    }
}
