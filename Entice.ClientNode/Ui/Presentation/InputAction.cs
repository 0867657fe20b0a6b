using Entice.Client;
using Entice.Crypto.Identity;
namespace Entice.ClientNode.Ui.Presentation;

/// <summary>What the UI does with a line the user typed (or a button they pressed).</summary>
public abstract record InputAction
{
    /// <summary>Tell the chat actor this command.</summary>
    public sealed record Send(ChatClient.Command Command) : InputAction;

    /// <summary>Tell the chat actor <see cref="ChatClient.EndOfInput"/>; the UI closes on <see cref="StoppedEvent"/>.</summary>
    public sealed record Quit : InputAction;

    public sealed record ShowHelp : InputAction;
}

/// <summary>Something the UI must do beyond redrawing, in answer to an event.</summary>
public abstract record UiEffect
{
    /// <summary>Open the safety-number dialog.</summary>
    public sealed record ShowSafetyNumber(string Peer, string Digits, bool KeyChanged) : UiEffect
    {
        /// <summary>Twelve groups of five digits, as <see cref="Entice.Crypto.Identity.SafetyNumber.Format"/> writes them.</summary>
        public IReadOnlyList<string> Groups => Entice.Crypto.Identity.SafetyNumber.Format(Digits).Split(' ');
    }

    /// <summary>Open the key-changed warning.</summary>
    public sealed record WarnKeyChanged(string Peer) : UiEffect;

    /// <summary>A message mentions you or came to you directly: ring the terminal bell.</summary>
    public sealed record Bell : UiEffect;

    /// <summary>The client stopped: close the UI.</summary>
    public sealed record Close(int ExitCode, string Reason) : UiEffect;
}

public enum ConnectionState
{
    Connecting,
    Connected,
    Reconnecting,
    Disconnected,
    Stopped,
}
