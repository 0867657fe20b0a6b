using System.Buffers.Binary;

namespace Entice.Wire;

/// <summary>
/// Incremental, allocation-light decoder for length-prefixed frames. Chunks may split a frame anywhere,
/// down to single bytes. Not thread-safe: one decoder per connection, fed from that connection's actor.
/// </summary>
/// <remarks>
/// Memory stays within <c>maxFrameSize + 4</c> bytes: the 4 length bytes, then one array of exactly the
/// announced length, which becomes the emitted frame itself (so a body is never copied twice). The length
/// is checked before that array is allocated, so an oversize announcement costs nothing.
/// </remarks>
public sealed class FrameDecoder
{
    private readonly int _maxFrameSize;
    private readonly byte[] _lengthBytes = new byte[FrameEncoder.LengthPrefixBytes];
    private int _lengthBytesRead;
    private byte[]? _body;
    private int _bodyBytesRead;
    private FrameDecodeStatus _status = FrameDecodeStatus.Ok;

    public FrameDecoder(int maxFrameSize)
    {
        // The upper bound keeps maxFrameSize + 4 (the memory bound) representable as an int.
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFrameSize, int.MaxValue - FrameEncoder.LengthPrefixBytes);
        _maxFrameSize = maxFrameSize;
    }

    public int MaxFrameSize => _maxFrameSize;

    /// <summary>Bytes of an incomplete frame held right now (length prefix included); for diagnostics.</summary>
    public int BufferedBytes => _lengthBytesRead + _bodyBytesRead;

    /// <summary>Ok until the first violation; from then on the same error forever.</summary>
    public FrameDecodeStatus Status => _status;

    /// <summary>
    /// Consumes <paramref name="chunk"/> and appends every payload it completes to <paramref name="framesOut"/>.
    /// Frames completed before an error in the same chunk are still appended; bytes after the error are ignored.
    /// </summary>
    public FrameDecodeStatus Feed(ReadOnlySpan<byte> chunk, List<byte[]> framesOut)
    {
        ArgumentNullException.ThrowIfNull(framesOut);

        while (_status == FrameDecodeStatus.Ok && !chunk.IsEmpty)
        {
            chunk = _body is null ? ReadLength(chunk) : ReadBody(chunk, framesOut);
        }

        return _status;
    }

    private ReadOnlySpan<byte> ReadLength(ReadOnlySpan<byte> chunk)
    {
        var take = Math.Min(chunk.Length, _lengthBytes.Length - _lengthBytesRead);
        chunk[..take].CopyTo(_lengthBytes.AsSpan(_lengthBytesRead));
        _lengthBytesRead += take;

        if (_lengthBytesRead == _lengthBytes.Length)
        {
            // Read unsigned so a "negative" length (high bit set) is just a very large one.
            var length = BinaryPrimitives.ReadUInt32BigEndian(_lengthBytes);
            if (length == 0)
            {
                _status = FrameDecodeStatus.ZeroLength;
            }
            else if (length > (uint)_maxFrameSize)
            {
                _status = FrameDecodeStatus.TooLarge;
            }
            else
            {
                _body = new byte[length];
                _bodyBytesRead = 0;
            }
        }

        return chunk[take..];
    }

    private ReadOnlySpan<byte> ReadBody(ReadOnlySpan<byte> chunk, List<byte[]> framesOut)
    {
        var body = _body!;
        var take = Math.Min(chunk.Length, body.Length - _bodyBytesRead);
        chunk[..take].CopyTo(body.AsSpan(_bodyBytesRead));
        _bodyBytesRead += take;

        if (_bodyBytesRead == body.Length)
        {
            framesOut.Add(body);
            _body = null;
            _bodyBytesRead = 0;
            _lengthBytesRead = 0;
        }

        return chunk[take..];
    }
}
