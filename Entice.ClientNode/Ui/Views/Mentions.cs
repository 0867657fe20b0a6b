namespace Entice.ClientNode.Ui.Views;

/// <summary>Whether a message mentions someone: their name as a whole word, in any case.</summary>
public static class Mentions
{
    public static bool Contains(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
            return false;
        var at = 0;
        while ((at = text.IndexOf(name, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = at + name.Length;
            if ((at == 0 || !IsWordChar(text[at - 1])) && (end == text.Length || !IsWordChar(text[end])))
                return true;
            at++;
        }
        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';
}
