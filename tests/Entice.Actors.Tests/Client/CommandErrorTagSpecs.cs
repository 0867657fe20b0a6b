using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.Wire;

namespace Entice.Tests.Client;

/// <summary>
/// A command that is not carried out is answered by an error carrying its tag, so a caller with several
/// requests in flight (JSON-RPC) knows which one failed.
/// </summary>
public sealed class CommandErrorTagSpecs : TestKit
{
    private readonly ChatHarness _h;

    public CommandErrorTagSpecs() => _h = new ChatHarness(this);

    [Fact]
    public async Task Errors_that_refuse_a_command_carry_its_tag()
    {
        await _h.AdmitAsync();
        _h.Chat.Tell(new ChatClient.Command(new UserCommand.Verify("carol"), Tag: "t1"));
        _h.Chat.Tell(new ChatClient.Command(new UserCommand.Say("hi"), Room: "nowhere", Tag: "t2"));
        _h.Chat.Tell(new ChatClient.Command(new UserCommand.Direct("carol", "hi"), Tag: "t3"));
        _h.Chat.Tell(new ChatClient.Command(new UserCommand.Join("no room!"), Tag: "t4"));
        _h.Chat.Tell(new ChatClient.Command(new UserCommand.Say(new string('x', 1_100_000)), Room: "lobby", Tag: "t5"));

        var errors = new List<ErrorEvent>();
        for (var i = 0; i < 5; i++)
            errors.Add(await _h.View.ExpectMsgAsync<ErrorEvent>());
        Assert.Equal(
            [(ErrorCodes.NoSuchMember, "t1"), (ErrorCodes.NotInRoom, "t2"), (ErrorCodes.NoSuchMember, "t3"), (ErrorCodes.InvalidRoom, "t4"), (ErrorCodes.MessageTooLong, "t5")],
            errors.Select(e => (e.Code, e.Tag)));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _h.Dispose();
        base.Dispose(disposing);
    }
}
