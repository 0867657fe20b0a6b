using Entice.Crypto;

namespace Entice.Client.View;

/// <summary>Line mode: human-readable lines, <c>[room] name: text</c> for messages.</summary>
public sealed class LineChatView(TextWriter output) : IChatView
{
    public void Show(ChatEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var line = e switch
        {
            ReadyEvent r => $"* You are {r.Name} in [{r.Room}]. Your fingerprint: {r.Fingerprint}\n* Type to talk; /msg NAME TEXT, /join ROOM, /leave, /who, /verify NAME, /verified NAME, /trust NAME, /quit.",
            RoomEnteredEvent r => $"* You are in [{r.Room}]; plain lines go there now.",
            RoomExitedEvent r => $"* You left [{r.Room}].",
            MemberJoinedEvent j => $"* {j.Name} is in [{j.Room}]",
            MemberLeftEvent l => $"* {l.Name} left [{l.Room}]",
            MemberAwayEvent a => $"* {a.Name} is away from [{a.Room}]; messages to them are kept until they are back",
            MessageEvent { Direct: true } m => $"[{m.Room}] {m.From} (direct): {m.Text}",
            MessageEvent m => $"[{m.Room}] {m.From}: {m.Text}",
            SentEvent m => m.To is null ? $"  ✓ sent to [{m.Room}] ({m.Recipients})" : $"  ✓ sent to {m.To}",
            DeliveredEvent d => $"  ✓✓ delivered to {d.To}",
            MembersEvent m => $"* In [{m.Room}]: {string.Join(", ", m.Members)}",
            SafetyNumberEvent s => $"* Safety number with {s.Peer}: {SafetyNumber.Format(s.SafetyNumber)}\n* Compare it with {s.Peer} in person or on a call; equal numbers mean no one is in between.",
            KeyChangedEvent k => $"! The key of {k.Peer} CHANGED. They may have reinstalled, or someone is in between. Nothing is sent to {k.Peer} until you /verify {k.Peer} and /trust {k.Peer}.",
            TrustedEvent t => $"* You now trust the current key of {t.Peer}.",
            VerifiedEvent v => $"* {v.Peer} is verified (you compared safety numbers).",
            DisconnectedEvent d => $"! Disconnected ({d.Reason}); reconnecting in {d.RetryIn.TotalSeconds:0.#} s. What you type is kept and sent then.",
            ReconnectedEvent r => $"* Reconnected to {r.Server}.",
            ErrorEvent err => $"! {err.Message} ({err.Code})",
            _ => null,
        };
        if (line is null)
            return;
        output.WriteLine(line);
        output.Flush();
    }
}
