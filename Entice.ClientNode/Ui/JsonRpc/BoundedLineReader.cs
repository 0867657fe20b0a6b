using System.Text;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// Reads lines of at most <paramref name="maxChars"/> characters: a longer line is skipped to its end
/// without being kept (memory stays bounded whatever comes in) and reported as too long.
/// </summary>
public sealed class BoundedLineReader(TextReader input, int maxChars)
{
    private readonly char[] _buffer = new char[8192];
    private int _start;
    private int _end;

    /// <summary>The next line (without "\n" or "\r\n"), <see cref="TooLong"/>, or null at the end of input.</summary>
    public string? ReadLine()
    {
        var line = new StringBuilder();
        var tooLong = false;
        while (true)
        {
            if (_start == _end)
            {
                _end = input.Read(_buffer, 0, _buffer.Length);
                _start = 0;
                if (_end <= 0)
                {
                    _end = 0;
                    return tooLong ? TooLong : line.Length > 0 ? Finish(line) : null;
                }
            }
            var newline = Array.IndexOf(_buffer, '\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            if (!tooLong)
            {
                if (line.Length + (stop - _start) > maxChars + 1) // +1: a "\r" before the "\n"
                {
                    tooLong = true;
                    line.Clear();
                }
                else
                    line.Append(_buffer, _start, stop - _start);
            }
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
                return tooLong ? TooLong : Finish(line);
        }
    }

    /// <summary>Returned (by reference) for a line that was too long.</summary>
    public static readonly string TooLong = new('\0', 1);

    private string? Finish(StringBuilder line)
    {
        if (line.Length > 0 && line[^1] == '\r')
            line.Length--;
        return line.Length > maxChars ? TooLong : line.ToString();
    }
}
