using Akka.Actor;

namespace Entice.Client.Messages;

/// <summary>
/// The chat actor's way to the view. Events go in the order of what caused them: a decryption answer
/// fills the place its envelope had in the server's order (<see cref="DisplayOrder"/>). Once muted (the
/// client is stopping) only errors and answers already on their way are shown.
/// </summary>
internal sealed class Screen(IActorRef view)
{
    private readonly DisplayOrder _display = new();

    /// <summary>Whether decryption answers are still awaited for places reserved earlier.</summary>
    public bool HasPending => _display.HasPending;

    /// <summary>Set when the client stops: from then on only errors are shown.</summary>
    public bool Muted { get; set; }

    public IActorRef View => view;

    public void Show(ChatEvent e)
    {
        if (Muted && e is not ErrorEvent)
            return;
        _display.Add(e);
        Flush();
    }

    /// <summary>A place for what an envelope at the crypto actor will turn into.</summary>
    public ulong Reserve() => _display.Reserve();

    // Answers for messages released later (after /trust) have no place left and show at once.
    public void Answer(ulong ticket, IReadOnlyList<ChatEvent> events)
    {
        if (_display.Fill(ticket, events))
        {
            Flush();
            return;
        }
        foreach (var e in events)
            Show(e);
    }

    private void Flush()
    {
        foreach (var ready in _display.TakeReady())
            view.Tell(ready);
    }
}
