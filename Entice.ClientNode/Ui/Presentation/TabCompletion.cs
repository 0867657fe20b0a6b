using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// Tab completion as irssi does it: the word before the cursor is completed to the first name, command
/// or room that starts with it (case-insensitive); another Tab right after cycles to the next one. A name
/// at the start of the line gets <c>": "</c> after it, anything else a space. What is completed: a
/// command for a first word starting with <c>/</c>, a room after <c>/join </c>, otherwise a name
/// (members of the selected conversation first, then everyone else known).
/// </summary>
public sealed class TabCompletion
{
    /// <summary>The commands Tab completes after <c>/</c>.</summary>
    public static readonly IReadOnlyList<string> Commands =
    [
        "/clear", "/forget", "/help", "/join", "/leave", "/me", "/msg", "/names", "/nick", "/part", "/query", "/quit",
        "/search", "/topic", "/trust", "/verified", "/verify", "/who",
    ];

    private string? _lastBefore;
    private string? _lastAfter;
    private string _stem = "";
    private string _suffix = "";
    private List<string> _matches = [];
    private int _index;

    /// <summary>
    /// The text before the cursor after one Tab, or null when nothing matches (the line stays as it is).
    /// <paramref name="names"/> and <paramref name="rooms"/> are asked for only when needed.
    /// </summary>
    public string? Complete(string before, string after, Func<IReadOnlyList<string>> names, Func<IReadOnlyList<string>> rooms)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(rooms);
        if (_matches.Count > 0 && before == _lastBefore && after == _lastAfter)
        {
            _index = (_index + 1) % _matches.Count;
        }
        else
        {
            var start = before.LastIndexOf(' ') + 1;
            _stem = before[..start];
            var word = before[start..];
            IEnumerable<string> candidates;
            if (_stem.Length == 0 && word.StartsWith('/'))
            {
                candidates = Commands;
                _suffix = " ";
            }
            else if (_stem.Equals("/join ", StringComparison.OrdinalIgnoreCase))
            {
                candidates = rooms();
                _suffix = " ";
            }
            else
            {
                candidates = names();
                _suffix = _stem.Length == 0 ? ": " : " ";
            }
            _matches = candidates
                .Where(c => c.Length > 0 && PeerText.Visible(c) == c && !c.Contains(' ', StringComparison.Ordinal))
                .Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            _index = 0;
            if (_matches.Count == 0)
            {
                Reset();
                return null;
            }
        }
        _lastBefore = _stem + _matches[_index] + _suffix;
        _lastAfter = after;
        return _lastBefore;
    }

    /// <summary>Forget the cycle (any other key).</summary>
    public void Reset()
    {
        _lastBefore = _lastAfter = null;
        _matches = [];
    }
}
