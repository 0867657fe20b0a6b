namespace Entice.Client.History;

/// <summary>
/// What was kept, as loaded at start: each conversation's messages (oldest first, delivery states
/// applied), the typed lines (oldest first), and what was wrong with the files (damaged tails, records
/// that do not open), for a warning.
/// </summary>
public sealed record KeptHistory(
    IReadOnlyDictionary<string, IReadOnlyList<KeptMessage>> Conversations,
    IReadOnlyList<string> Input,
    IReadOnlyList<string> Problems)
{
    public static readonly KeptHistory Empty = new(new Dictionary<string, IReadOnlyList<KeptMessage>>(), [], []);

    public int MessageCount => Conversations.Values.Sum(c => c.Count);
}
