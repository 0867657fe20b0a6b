namespace Entice.Client;

/// <summary>
/// Typed messages on their way: one message is one envelope per recipient, and it counts as sent once
/// the server has taken (or finally refused) every one of them. Pure state, owned by the chat actor.
/// </summary>
internal sealed class SendTracker
{
    private readonly Dictionary<ulong, Message> _byEnvelope = [];
    private long _nextId;

    /// <summary>Starts a typed message; its envelopes are added with <see cref="AddEnvelope"/>.</summary>
    public Message Start(string room, string? to, string? tag) => new($"m{++_nextId}", room, to, tag);

    public void AddEnvelope(ulong envelopeId, Message message)
    {
        message.Waiting++;
        _byEnvelope[envelopeId] = message;
    }

    /// <summary>
    /// An envelope was taken by the server (<paramref name="taken"/>), or refused for good / never
    /// encrypted. Returns the message's <see cref="SentEvent"/> when it was the last one waiting and at
    /// least one recipient got it.
    /// </summary>
    public SentEvent? Settle(ulong envelopeId, bool taken)
    {
        if (!_byEnvelope.Remove(envelopeId, out var message))
            return null;
        message.Waiting--;
        if (taken)
            message.Recipients++;
        return message.Waiting == 0 && message.Recipients > 0
            ? new SentEvent(message.Id, message.Room, message.To, message.Recipients, message.Tag)
            : null;
    }

    public sealed class Message(string id, string room, string? to, string? tag)
    {
        public string Id { get; } = id;

        public string Room { get; } = room;

        public string? To { get; } = to;

        public string? Tag { get; } = tag;

        internal int Waiting { get; set; }

        internal int Recipients { get; set; }
    }
}
