namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// Ctrl+R in the input line, as readline does it: a reverse incremental search over the lines typed
/// before (newest first, case-insensitive). Typing extends the query and keeps the match if it still
/// fits, Ctrl+R again goes to the next older match (with an empty query it repeats the last search),
/// Backspace shortens the query, Enter takes the match into the input line (to edit or send), Esc or
/// Ctrl+G gives back what was there before.
/// </summary>
public sealed class ReverseSearch
{
    private List<string> _lines = [];
    private string _original = "";
    private string _lastQuery = "";
    private int _at;

    public bool Active { get; private set; }

    public string Query { get; private set; } = "";

    /// <summary>No line (older than the match shown) contains the query.</summary>
    public bool Failing { get; private set; }

    /// <summary>The line found, or null when nothing is found yet.</summary>
    public string? Match => Active && _at >= 0 && _at < _lines.Count && Query.Length > 0 ? _lines[_at] : null;

    /// <summary>What the input line shows meanwhile.</summary>
    public string Prompt => $"({(Failing ? "failing " : "")}reverse-i-search)'{Query}': {Match ?? ""}";

    public void Start(IReadOnlyList<string> lines, string current)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(current);
        _lines = lines.ToList();
        _original = current;
        _at = _lines.Count;
        Query = "";
        Failing = false;
        Active = true;
    }

    public void Type(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Active)
            return;
        Query += text;
        Find(Math.Min(_at, _lines.Count - 1));
    }

    public void Backspace()
    {
        if (!Active || Query.Length == 0)
            return;
        var cut = Query.Length >= 2 && char.IsLowSurrogate(Query[^1]) ? 2 : 1;
        Query = Query[..^cut];
        Failing = false;
        if (Query.Length > 0)
            Find(_lines.Count - 1);
        else
            _at = _lines.Count;
    }

    /// <summary>Ctrl+R again: the next older match.</summary>
    public void Older()
    {
        if (!Active)
            return;
        if (Query.Length == 0)
        {
            if (_lastQuery.Length == 0)
                return;
            Query = _lastQuery;
            Find(_lines.Count - 1);
            return;
        }
        Find(_at - 1);
    }

    /// <summary>Enter (or any key that is not part of the search): the line to put in the input.</summary>
    public string Accept()
    {
        var line = Match ?? _original;
        End();
        return line;
    }

    /// <summary>Esc or Ctrl+G: what the input held before.</summary>
    public string Cancel()
    {
        End();
        return _original;
    }

    private void End()
    {
        if (Query.Length > 0)
            _lastQuery = Query;
        Active = false;
        Failing = false;
    }

    // The newest line at or before index `from` containing the query; failing keeps the match shown.
    private void Find(int from)
    {
        for (var i = Math.Min(from, _lines.Count - 1); i >= 0; i--)
        {
            if (_lines[i].Contains(Query, StringComparison.OrdinalIgnoreCase))
            {
                _at = i;
                Failing = false;
                return;
            }
        }
        Failing = true;
    }
}
