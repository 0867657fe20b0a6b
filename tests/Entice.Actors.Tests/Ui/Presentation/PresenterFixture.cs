using Entice.Client;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

/// <summary>A presenter for alice in #lobby with bob, at a fixed time in UTC.</summary>
internal static class PresenterFixture
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static ChatPresenter Alice()
    {
        var p = new ChatPresenter("alice", "127.0.0.1:42000", () => Noon, TimeZoneInfo.Utc);
        p.Apply(new ReadyEvent("alice", "lobby", "d672 853a 5b8b ba50 c790 8f22 15d7 1104"));
        p.Apply(new MemberJoinedEvent("lobby", "bob"));
        return p;
    }

    public static ChatClient.Command Sent(IReadOnlyList<InputAction> actions) =>
        Assert.IsType<InputAction.Send>(Assert.Single(actions)).Command;
}
