namespace Entice.Channels;

/// <summary>
/// The size of a record's padded plaintext: the smallest bucket that holds it; past the largest bucket,
/// the next multiple of the largest; never more than <see cref="MaxPlaintext"/>. An observer then learns
/// a bucket, not a length.
/// </summary>
internal static class RecordPadding
{
    /// <summary>A record's plaintext at most: the largest Noise message less the tag.</summary>
    public const int MaxPlaintext = ChannelProtocol.MaxNoiseMessage - CipherState.TagSize;

    public static int PaddedLength(int needed, IReadOnlyList<int> buckets)
    {
        if (needed > MaxPlaintext)
        {
            throw new ArgumentOutOfRangeException(nameof(needed), "a record holds at most the largest Noise message");
        }

        foreach (var bucket in buckets)
        {
            if (bucket >= needed)
            {
                return bucket;
            }
        }

        if (buckets.Count == 0)
        {
            return needed;
        }

        var largest = buckets[^1];
        var rounded = (long)((needed + largest - 1) / largest) * largest;
        return (int)Math.Min(rounded, MaxPlaintext);
    }
}
