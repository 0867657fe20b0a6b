using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>What the member list shows about one person in one room.</summary>
public sealed record MemberView(string Name, bool Online, bool IsMe, KeyState Key)
{
    /// <summary>A one-character mark for the key state, shown before the name.</summary>
    public string KeyMark => Key switch
    {
        KeyState.Changed => "!",
        KeyState.Verified => "✓",
        KeyState.Trusted => "+",
        _ => " ",
    };

    public string Label => IsMe ? $"{Name} (you)" : PeerText.Visible(Name);

    public string StateText => (IsMe, Online, Key) switch
    {
        (true, _, _) => "you",
        (_, false, KeyState.Changed) => "offline, KEY CHANGED",
        (_, _, KeyState.Changed) => "KEY CHANGED",
        (_, false, _) => "offline",
        (_, _, KeyState.Verified) => "verified",
        (_, _, KeyState.Trusted) => "trusted",
        _ => "unverified",
    };
}

public enum KeyState
{
    /// <summary>Pinned on first use, not compared.</summary>
    Unverified,
    /// <summary>The user compared safety numbers and said they match (this session only: no event persists it yet).</summary>
    Verified,
    /// <summary>A changed key the user accepted with /trust.</summary>
    Trusted,
    /// <summary>The key changed; nothing is sent to this person until the user accepts it.</summary>
    Changed,
}
