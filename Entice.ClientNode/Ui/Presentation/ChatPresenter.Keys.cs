using Entice.Client;

namespace Entice.ClientNode.Ui.Presentation;

// Key states and the key-change flow: a changed key waits for Compare, Accept or Later.
public sealed partial class ChatPresenter
{
    public KeyState KeyOf(string peer) => _keys.GetValueOrDefault(peer, KeyState.Unverified);

    /// <summary>"Compare": ask for the safety number.</summary>
    public InputAction CompareKey(string peer) => new InputAction.Send(new ChatClient.Command(new UserCommand.Verify(peer), RoomHint()));

    /// <summary>"Accept the new key": nothing was sent to the peer until now.</summary>
    public InputAction AcceptKeyChange(string peer)
    {
        _pendingKeyWarnings.Remove(peer);
        return new InputAction.Send(new ChatClient.Command(new UserCommand.Trust(peer), RoomHint()));
    }

    /// <summary>"Later": the warning closes; the member stays marked KEY CHANGED and nothing is sent to them.</summary>
    public void DismissKeyWarning(string peer) => _pendingKeyWarnings.Remove(peer);

    /// <summary>
    /// The user compared the safety number and it matches: <c>/verified NAME</c> records it in the key
    /// directory (the member shows ✓ from now on, in later runs too); a changed key is accepted with
    /// <c>/trust</c> first.
    /// </summary>
    public IReadOnlyList<InputAction> MarkVerified(string peer)
    {
        var verified = new InputAction.Send(new ChatClient.Command(new UserCommand.MarkVerified(peer), RoomHint()));
        if (KeyOf(peer) == KeyState.Changed)
            return [AcceptKeyChange(peer), verified];
        return [verified];
    }
}
