namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// Lines typed before, browsed with Up/Down like a shell. <see cref="Older"/> and <see cref="Newer"/>
/// return the line to show; walking past the newest gives back what was being typed. Lines longer than
/// <see cref="MaxLineLength"/> (a big paste) are not kept, so the history stays small.
/// </summary>
public sealed class InputHistory(int capacity = 200)
{
    public const int MaxLineLength = 4096;

    private readonly List<string> _lines = [];
    private int _cursor; // == _lines.Count: not browsing
    private string _draft = "";

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length <= MaxLineLength && line.Trim().Length > 0 && (_lines.Count == 0 || _lines[^1] != line))
        {
            _lines.Add(line);
            if (_lines.Count > capacity)
                _lines.RemoveAt(0);
        }
        _cursor = _lines.Count;
        _draft = "";
    }

    /// <param name="current">What the input line holds now (kept as the draft when browsing starts).</param>
    public string Older(string current)
    {
        if (_lines.Count == 0)
            return current;
        if (_cursor == _lines.Count)
            _draft = current;
        _cursor = Math.Max(0, _cursor - 1);
        return _lines[_cursor];
    }

    public string Newer(string current)
    {
        if (_cursor >= _lines.Count)
            return current;
        _cursor++;
        return _cursor == _lines.Count ? _draft : _lines[_cursor];
    }
}
