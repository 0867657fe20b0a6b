namespace Entice.Channels;

/// <summary>
/// The size of a record's padded plaintext: the smallest bucket that holds it; past the largest bucket,
/// the next multiple of the step (<see cref="ChannelSettings.PaddingStep"/>, or the largest bucket when
/// that is smaller); never more than
/// <see cref="MaxPlaintext"/>. An observer then learns a bucket, not a length.
/// </summary>
internal static class RecordPadding
{
    /// <summary>A record's plaintext at most: the largest Noise message less the tag.</summary>
    public const int MaxPlaintext = ChannelProtocol.MaxNoiseMessage - CipherState.TagSize;

    public static int PaddedLength(int needed, IReadOnlyList<int> buckets, int step)
    {
        if (needed > MaxPlaintext)
        {
            throw new ArgumentOutOfRangeException(nameof(needed), "a record holds at most the largest Noise message");
        }

        // An indexed loop: the list is an array, and an enumerator here would be garbage on every record.
        for (var i = 0; i < buckets.Count; i++)
        {
            if (buckets[i] >= needed)
            {
                return buckets[i];
            }
        }

        if (buckets.Count == 0)
        {
            return needed;
        }

        step = Math.Min(step, buckets[^1]);
        var rounded = (long)((needed + step - 1) / step) * step;
        return (int)Math.Min(rounded, MaxPlaintext);
    }
}
