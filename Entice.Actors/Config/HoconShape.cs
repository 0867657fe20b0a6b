namespace Entice.Config;

/// <summary>
/// A check before a user's file reaches Akka's HOCON parser, which loops forever on some unbalanced
/// brackets (<c>server = [1, 2 }</c>): braces and brackets outside strings and comments must pair up.
/// </summary>
public static class HoconShape
{
    /// <summary>Null when the brackets pair up; else what is wrong, with the line.</summary>
    public static string? Problem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
            }
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                    i++;
            }
            else if (c == '"' && string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
            {
                var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                if (end < 0)
                    return $"line {line}: a \"\"\" string is not closed";
                line += text.AsSpan(i, end - i).Count('\n');
                i = end + 2;
            }
            else if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"' && text[i] != '\n')
                    i += text[i] == '\\' ? 2 : 1;
                if (i >= text.Length || text[i] != '"')
                    return $"line {line}: a string is not closed";
            }
            else if (c is '{' or '[')
            {
                open.Push((c, line));
            }
            else if (c is '}' or ']')
            {
                var want = c == '}' ? '{' : '[';
                if (open.Count == 0)
                    return $"line {line}: '{c}' closes nothing";
                var (got, at) = open.Pop();
                if (got != want)
                    return $"line {line}: '{c}' does not close the '{got}' of line {at}";
            }
        }
        return open.Count > 0 ? $"line {open.Peek().Line}: '{open.Peek().Bracket}' is not closed" : null;
    }
}
