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
/// With <c>growFrom</c> (the server, facing clients that may announce a large frame and send nothing) the
/// body array starts at that size and doubles as bytes arrive, so what a connection holds is at most about
/// twice what it sent, whatever it announced; the last array is still exactly the frame.
/// </remarks>
public sealed class FrameDecoder
{
    private readonly byte[] _lengthBytes = new byte[FrameEncoder.LengthPrefixBytes];
    private readonly int _growFrom;
    private int _maxFrameSize;
    private int _lengthBytesRead;
    private byte[]? _body;
    private int _bodyLength;
    private int _bodyBytesRead;
    private FrameDecodeStatus _status = FrameDecodeStatus.Ok;

    /// <param name="growFrom">0: allocate each body at its announced length; otherwise its first size, doubled as it fills.</param>
    public FrameDecoder(int maxFrameSize, int growFrom = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(growFrom);
        MaxFrameSize = maxFrameSize;
        _growFrom = growFrom;
    }

    /// <summary>The largest frame accepted from now on (the server raises it once a hello is accepted).</summary>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        set
        {
            // The upper bound keeps maxFrameSize + 4 (the memory bound) representable as an int.
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, int.MaxValue - FrameEncoder.LengthPrefixBytes);
            _maxFrameSize = value;
        }
    }

    /// <summary>Bytes of an incomplete frame held right now (length prefix included); for diagnostics.</summary>
    public int BufferedBytes => _lengthBytesRead + _bodyBytesRead;

    /// <summary>Bytes allocated for the incomplete frame's body right now (what a memory budget counts).</summary>
    public int BufferCapacity => _body?.Length ?? 0;

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
                _bodyLength = (int)length;
                _body = new byte[_growFrom == 0 ? _bodyLength : Math.Min(_bodyLength, _growFrom)];
                _bodyBytesRead = 0;
            }
        }

        return chunk[take..];
    }

    private ReadOnlySpan<byte> ReadBody(ReadOnlySpan<byte> chunk, List<byte[]> framesOut)
    {
        var take = Math.Min(chunk.Length, _bodyLength - _bodyBytesRead);
        if (_bodyBytesRead + take > _body!.Length)
            Array.Resize(ref _body, Math.Min(_bodyLength, Math.Max(_bodyBytesRead + take, 2 * _body.Length)));
        var body = _body;
        chunk[..take].CopyTo(body.AsSpan(_bodyBytesRead));
        _bodyBytesRead += take;

        if (_bodyBytesRead == _bodyLength)
        {
            framesOut.Add(body);
            _body = null;
            _bodyBytesRead = 0;
            _lengthBytesRead = 0;
        }

        return chunk[take..];
    }
}
