using Entice.Wire;
using Entice.Client;
using Entice.Client.Messages;

namespace Entice.Tests.Client;

public sealed class DisplayOrderSpecs
{
    [Fact]
    public void A_notice_waits_behind_a_message_still_being_decrypted()
    {
        var order = new DisplayOrder();
        var ticket = order.Reserve();
        order.Add(new MemberLeftEvent("lobby", "dave"));

        Assert.Empty(order.TakeReady());
        Assert.True(order.Fill(ticket, new MessageEvent("lobby", "dave", "bye", false, DateTimeOffset.UnixEpoch)));

        var shown = order.TakeReady();
        Assert.IsType<MessageEvent>(shown[0]);
        Assert.IsType<MemberLeftEvent>(shown[1]);
        Assert.False(order.HasPending);
    }

    [Fact]
    public void Answers_arriving_out_of_order_are_shown_in_server_order_and_empty_answers_show_nothing()
    {
        var order = new DisplayOrder();
        var first = order.Reserve();
        var held = order.Reserve();
        var third = order.Reserve();

        order.Fill(third, new ErrorEvent(ErrorCodes.Replay, "3"));
        order.Fill(held, (ChatEvent?)null);
        Assert.Empty(order.TakeReady());
        order.Fill(first, new ErrorEvent(ErrorCodes.DecryptFailed, "1"));

        Assert.Equal(["1", "3"], order.TakeReady().Cast<ErrorEvent>().Select(e => e.Message));
    }

    [Fact]
    public void An_unknown_ticket_is_reported_so_the_caller_can_show_it_directly()
    {
        var order = new DisplayOrder();

        Assert.False(order.Fill(99, new ErrorEvent(ErrorCodes.DecryptFailed, "late")));
    }
}
