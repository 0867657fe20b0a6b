using Entice.Client;
using Entice.Client.Messages;

namespace Entice.Tests.Client;

public sealed class InboxSpecs
{
    private readonly Inbox<string> _inbox = new(holdTicks: 100, maxHeldPerSender: 3);

    [Fact]
    public void Each_senders_messages_come_out_in_sent_order()
    {
        Assert.Equal(["1"], Items(_inbox.Accept("bob", 1, "1", 0)));
        Assert.Empty(_inbox.Accept("bob", 3, "3", 0));
        Assert.Equal(["a5"], Items(_inbox.Accept("alice", 5, "a5", 0))); // another sender is not held up
        Assert.Empty(_inbox.Accept("bob", 4, "4", 0));
        Assert.Equal(["2", "3", "4"], Items(_inbox.Accept("bob", 2, "2", 0)));
        Assert.Empty(_inbox.Expire(1000));
    }

    [Fact]
    public void A_missing_message_is_reported_once_the_hold_time_passed_and_a_late_one_says_so()
    {
        _inbox.Accept("bob", 1, "1", 0);
        _inbox.Accept("bob", 4, "4", 10);
        Assert.Empty(_inbox.Expire(50));
        var released = _inbox.Expire(110);
        Assert.Equal(new Inbox<string>.Gap("bob", 2), released[0]);
        Assert.Equal(["4"], Items(released));
        var late = _inbox.Accept("bob", 3, "3", 120);
        Assert.IsType<Inbox<string>.Late>(late[0]);
        Assert.Equal(["3"], Items(late));
        Assert.Equal(["5"], Items(_inbox.Accept("bob", 5, "5", 130)));
    }

    [Fact]
    public void Holding_is_bounded_per_sender()
    {
        _inbox.Accept("bob", 1, "1", 0);
        foreach (var seq in new ulong[] { 10, 11, 12 })
            Assert.Empty(_inbox.Accept("bob", seq, seq.ToString(System.Globalization.CultureInfo.InvariantCulture), 0));
        var released = _inbox.Accept("bob", 13, "13", 0);
        Assert.Equal(new Inbox<string>.Gap("bob", 8), released[0]);
        Assert.Equal(["10", "11", "12", "13"], Items(released));
        Assert.Equal(0, _inbox.Held);
    }

    [Fact]
    public void A_sender_that_starts_counting_again_is_followed()
    {
        _inbox.Accept("bob", 1, "1", 0);
        _inbox.Accept("bob", 2, "2", 0);
        Assert.Equal(["again"], Items(_inbox.Accept("bob", 1, "again", 0))); // bob's client restarted
        Assert.Equal(["next"], Items(_inbox.Accept("bob", 2, "next", 0)));
    }

    private static List<string> Items(List<Inbox<string>.Release> releases) =>
        releases.OfType<Inbox<string>.Item>().Select(i => i.Value).ToList();

    [Fact]
    public void Each_conversation_of_a_sender_is_numbered_apart()
    {
        Assert.Equal(["r1"], Items(_inbox.Accept("bob", "#lobby", 1, "r1", 0)));
        Assert.Equal(["r2"], Items(_inbox.Accept("bob", "#lobby", 2, "r2", 0)));
        Assert.Equal(["d1"], Items(_inbox.Accept("bob", "@alice|bob", 1, "d1", 0)));
        Assert.Equal(["r3"], Items(_inbox.Accept("bob", "#lobby", 3, "r3", 0)));
        Assert.Empty(_inbox.Expire(long.MaxValue));
    }
}

public sealed class PacerSpecs
{
    [Fact]
    public void A_burst_goes_at_once_and_the_rest_at_the_rate_in_order()
    {
        var pacer = new Pacer<int>(perSecond: 10, burst: 3);
        for (var i = 0; i < 6; i++)
            pacer.Enqueue(i);

        Assert.Equal([0, 1, 2], pacer.TakeReady(0));
        Assert.Empty(pacer.TakeReady(TimeSpan.TicksPerMillisecond * 50));
        Assert.True(pacer.Delay(TimeSpan.TicksPerMillisecond * 50) > TimeSpan.Zero);
        Assert.Equal([3, 4], pacer.TakeReady(TimeSpan.TicksPerMillisecond * 250));
        Assert.Equal([5], pacer.TakeReady(TimeSpan.TicksPerSecond * 10));
        Assert.Equal(0, pacer.Waiting);
    }

    [Fact]
    public void A_rate_of_zero_paces_nothing_as_on_the_server()
    {
        var pacer = new Pacer<int>(perSecond: 0, burst: 3);
        for (var i = 0; i < 6; i++)
            pacer.Enqueue(i);

        Assert.Equal([0, 1, 2, 3, 4, 5], pacer.TakeReady(0));
        Assert.Equal(TimeSpan.Zero, pacer.Delay(0));
    }
}
