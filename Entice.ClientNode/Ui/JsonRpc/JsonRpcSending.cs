using System.Security.Cryptography;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// What this session sent, by the chat command's tag, until its <c>SentEvent</c> (or error) comes: the
/// <c>sent</c> notification then carries the text and conversation, so every connection (another tab)
/// shows the own message, not only the one that asked. Bounded: the oldest are forgotten past
/// <see cref="MaxWaiting"/> (their <c>sent</c> then has no text). Also the ids of received messages.
/// </summary>
internal sealed class JsonRpcSending
{
    public const int MaxWaiting = 10_000;

    private readonly Dictionary<string, Sent> _byTag = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public sealed record Sent(string Text, DateTimeOffset At);

    /// <summary>
    /// A received message's id: one id for its <c>message</c> notification and its kept history entry
    /// ("r" and 16 random hex digits: unique across sessions of one key directory, unlike a counter).
    /// </summary>
    public static string NewReceivedId() => "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public void Add(string tag, string text, DateTimeOffset at)
    {
        if (!_byTag.TryAdd(tag, new Sent(text, at)))
            return;
        _order.Enqueue(tag);
        while (_order.Count > MaxWaiting)
            _byTag.Remove(_order.Dequeue());
    }

    /// <summary>Own messages the server has not taken yet (nor refused).</summary>
    public int Count => _byTag.Count;

    public Sent? Take(string? tag) => tag is not null && _byTag.Remove(tag, out var sent) ? sent : null;
}
