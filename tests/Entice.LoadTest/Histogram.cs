namespace Entice.LoadTest;

/// <summary>
/// Log-linear latency histogram over nanoseconds: 32 sub-buckets per power of two (about 3% resolution).
/// Single writer (one receive loop); merged after the run. No allocation when recording.
/// </summary>
internal sealed class Histogram
{
    private const int SubBits = 5;
    private const int Sub = 1 << SubBits;
    private readonly long[] _counts = new long[64 * Sub];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long nanos)
    {
        if (nanos < 0)
            nanos = 0;
        _counts[Index(nanos)]++;
        Count++;
        if (nanos > Max)
            Max = nanos;
    }

    public void RecordMany(long nanos, int times)
    {
        if (times <= 0)
            return;
        if (nanos < 0)
            nanos = 0;
        _counts[Index(nanos)] += times;
        Count += times;
        if (nanos > Max)
            Max = nanos;
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>Upper edge of the bucket holding the q-quantile, in nanoseconds (0 when empty).</summary>
    public long Quantile(double q)
    {
        if (Count == 0)
            return 0;
        var rank = (long)Math.Ceiling(q * Count);
        if (rank < 1)
            rank = 1;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
                return Math.Min(UpperEdge(i), Max);
        }
        return Max;
    }

    private static int Index(long v)
    {
        if (v < Sub)
            return (int)v;
        var msb = 63 - (int)long.LeadingZeroCount(v); // >= SubBits
        var shift = msb - SubBits;
        var sub = (int)(v >> shift) & (Sub - 1);
        return (shift + 1) * Sub + sub;
    }

    private static long UpperEdge(int index)
    {
        if (index < Sub)
            return index;
        var shift = index / Sub - 1;
        var sub = index % Sub;
        return (((long)(Sub + sub) + 1) << shift) - 1;
    }
}
