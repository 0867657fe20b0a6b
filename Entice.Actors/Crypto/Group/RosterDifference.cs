namespace Entice.Crypto.Group;

/// <summary>
/// How a sender's member list differs from the receiver's own view (names only; they are what the user
/// sees). <see cref="OnlyInSenderView"/> are members the sender encrypts to that the receiver does not know
/// (a ghost the relay showed the sender); <see cref="OnlyInOwnView"/> are members the sender does not see
/// (hidden from it); <see cref="DifferentKeys"/> are names whose identity keys differ between the two views.
/// </summary>
public sealed record RosterDifference(IReadOnlyList<string> OnlyInSenderView, IReadOnlyList<string> OnlyInOwnView, IReadOnlyList<string> DifferentKeys)
{
    public bool IsEmpty => OnlyInSenderView.Count == 0 && OnlyInOwnView.Count == 0 && DifferentKeys.Count == 0;

    public override string ToString() =>
        $"only the sender sees [{string.Join(", ", OnlyInSenderView)}], only we see [{string.Join(", ", OnlyInOwnView)}], keys differ for [{string.Join(", ", DifferentKeys)}]";
}
