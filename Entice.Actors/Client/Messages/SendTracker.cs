namespace Entice.Client.Messages;

/// <summary>
/// Typed messages on their way: one message is one envelope per recipient (several for a long message:
/// one per fragment), and it counts as sent once the server has taken (or finally refused) every one of
/// them. It also counts the messages that did not reach every recipient, for the exit code. Pure
/// state, owned by the chat actor.
/// </summary>
internal sealed class SendTracker
{
    private readonly Dictionary<ulong, (Message Message, string[] Recipients)> _byEnvelope = [];
    private long _nextId;

    /// <summary>Typed lines that did not reach the server for every recipient (refused, given up, never sent).</summary>
    public int Failed { get; private set; }

    /// <summary>Why the first of them failed, for the last line of a script's run.</summary>
    public string? FirstFailure { get; private set; }

    /// <summary>Starts a typed message; its envelopes are added with <see cref="AddEnvelope"/>.</summary>
    public Message Start(string room, string? to, string? tag) => new($"m{++_nextId}", room, to, tag);

    /// <param name="recipients">Who the envelope is for: one member, or every member for a room-wide envelope.</param>
    public void AddEnvelope(ulong envelopeId, Message message, string[] recipients)
    {
        message.Waiting++;
        _byEnvelope[envelopeId] = (message, recipients);
    }

    /// <summary>A typed line was not sent at all (nobody to send it to, too long, ...).</summary>
    public void NotSent(string reason)
    {
        Failed++;
        FirstFailure ??= reason;
    }

    /// <summary>
    /// An envelope was taken by the server (<paramref name="taken"/>), or refused for good / never
    /// encrypted. Returns the message's <see cref="SentEvent"/> when it was the last one waiting and at
    /// least one recipient got it.
    /// </summary>
    public SentEvent? Settle(ulong envelopeId, bool taken, string? reason = null)
    {
        if (!_byEnvelope.Remove(envelopeId, out var waiting))
            return null;
        var (message, recipients) = waiting;
        message.Waiting--;
        if (taken)
        {
            message.Recipients.UnionWith(recipients);
        }
        else if (!message.Failed)
        {
            message.Failed = true;
            NotSent(reason ?? $"a message to {string.Join(", ", recipients)} in {message.Room} was not delivered");
        }
        return message.Waiting == 0 && message.Recipients.Count > 0
            ? new SentEvent(message.Id, message.Room, message.To, message.Recipients.Count, message.Tag)
            : null;
    }

    public sealed class Message(string id, string room, string? to, string? tag)
    {
        public string Id { get; } = id;

        public string Room { get; } = room;

        public string? To { get; } = to;

        public string? Tag { get; } = tag;

        internal int Waiting { get; set; }

        internal HashSet<string> Recipients { get; } = new(StringComparer.Ordinal);

        internal bool Failed { get; set; }
    }
}
