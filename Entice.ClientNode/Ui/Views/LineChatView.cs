using Entice.Client;
using Entice.Crypto.Identity;
using Entice.Display;

namespace Entice.ClientNode.Ui.Views;

/// <summary>
/// Line mode: human-readable lines, <c>[room] name: text</c> for messages. Every string a peer or the
/// relay chose (names, rooms, texts, error messages) goes through <see cref="PeerText.Visible"/>: a
/// terminal never executes an escape sequence from the network. The lines after the first of a
/// multi-line message are indented, so none can pass for a line of its own. A message from someone else
/// that mentions your name (as a whole word, as the terminal UI highlights it) is marked with "»".
/// </summary>
public sealed class LineChatView(TextWriter output) : IChatView
{
    private string? _me;

    public void Show(ChatEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is ReadyEvent ready)
            _me = ready.Name;
        var line = e switch
        {
            ReadyEvent r => $"* You are {V(r.Name)} in [{V(r.Room)}]. Your fingerprint: {r.Fingerprint}\n* Type to talk; /msg NAME TEXT, /join ROOM, /leave, /who, /me TEXT, /verify NAME, /verified NAME, /trust NAME, /quit.",
            RoomEnteredEvent r => $"* You are in [{V(r.Room)}]; plain lines go there now.",
            RoomExitedEvent r => $"* You left [{V(r.Room)}].",
            MemberJoinedEvent j => $"* {V(j.Name)} is in [{V(j.Room)}]",
            MemberLeftEvent l => $"* {V(l.Name)} left [{V(l.Room)}]",
            MemberAwayEvent a => $"* {V(a.Name)} is away from [{V(a.Room)}]; messages to them are kept until they are back",
            MessageEvent m when RoomTopic.Of(m) is { } topic => $"[{V(m.Room)}] * {V(m.From)} set the topic: {V(topic)}",
            MessageEvent { Direct: true } m when IsAction(m.Text) => $"[{V(m.Room)}] * {V(m.From)} (direct) {Text(m.Text[4..])}",
            MessageEvent m when IsAction(m.Text) => $"[{V(m.Room)}] * {V(m.From)} {Text(m.Text[4..])}",
            MessageEvent { Direct: true } m => $"[{V(m.Room)}] {V(m.From)} (direct): {Text(m.Text)}",
            MessageEvent m when Mentioned(m) => $"[{V(m.Room)}] » {V(m.From)}: {Text(m.Text)}",
            MessageEvent m => $"[{V(m.Room)}] {V(m.From)}: {Text(m.Text)}",
            SentEvent m => m.To is null ? $"  ✓ sent to [{V(m.Room)}] ({m.Recipients})" : $"  ✓ sent to {V(m.To)}",
            DeliveredEvent d => $"  ✓✓ delivered to {V(d.To)}",
            MembersEvent m => $"* In [{V(m.Room)}]: {string.Join(", ", m.Members.Select(V))}",
            SafetyNumberEvent s => $"* Safety number with {V(s.Peer)}: {SafetyNumber.Format(s.SafetyNumber)}\n* Compare it with {V(s.Peer)} in person or on a call; equal numbers mean no one is in between.",
            KeyChangedEvent k => $"! The key of {V(k.Peer)} CHANGED. They may have reinstalled, or someone is in between. Nothing is sent to {V(k.Peer)} until you /verify {V(k.Peer)} and /trust {V(k.Peer)}.",
            TrustedEvent t => $"* You now trust the current key of {V(t.Peer)}.",
            VerifiedEvent v => $"* {V(v.Peer)} is verified (you compared safety numbers).",
            GapEvent { Late: true } g => $"! A message from {V(g.From)} arrived out of order (after later ones); it follows.",
            GapEvent g => $"! {g.Missing} message(s) from {V(g.From)} are missing (lost, or held back by the relay).",
            DisconnectedEvent d => $"! Disconnected ({V(d.Reason)}); reconnecting in {d.RetryIn.TotalSeconds:0.#} s. What you type is kept and sent then.",
            ReconnectedEvent r => $"* Reconnected to {V(r.Server)}.",
            ErrorEvent err => $"! {V(err.Message)} ({V(err.Code)})",
            _ => null,
        };
        if (line is null)
            return;
        output.WriteLine(line);
        output.Flush();
    }

    private static string V(string text) => PeerText.Visible(text);

    private bool Mentioned(MessageEvent m) => _me is { } me && m.From != me && Mentions.Contains(m.Text, me);

    // "/me waves" is an action, shown as "* bob waves".
    private static bool IsAction(string text) => text.Length > 4 && text.StartsWith("/me ", StringComparison.Ordinal);

    private static string Text(string text) => PeerText.Visible(text, keepNewlines: true).Replace("\n", "\n    ", StringComparison.Ordinal);
}
