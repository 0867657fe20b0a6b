using Entice.Client;
using Entice.Client.Messages;

namespace Entice.Tests.Client;

public sealed class SendTrackerSpecs
{
    [Fact]
    public void A_message_is_sent_once_every_envelope_is_settled_and_counts_only_those_taken()
    {
        var tracker = new SendTracker();
        var message = tracker.Start("lobby", null, "t1");
        tracker.AddEnvelope(1, message, ["bob"]);
        tracker.AddEnvelope(2, message, ["carol"]);
        tracker.AddEnvelope(3, message, ["dave"]);

        Assert.Null(tracker.Settle(1, taken: true));
        Assert.Null(tracker.Settle(2, taken: false)); // refused: that recipient's key changed
        Assert.Null(tracker.Settle(1, taken: true));  // a duplicate ack changes nothing
        var sent = tracker.Settle(3, taken: true);

        Assert.Equal((message.Id, 2, "t1"), (sent!.Id, sent.Recipients, sent.Tag));
    }

    [Fact]
    public void A_message_nobody_took_is_never_reported_sent()
    {
        var tracker = new SendTracker();
        var message = tracker.Start("lobby", "bob", null);
        tracker.AddEnvelope(9, message, ["bob"]);

        Assert.Null(tracker.Settle(9, taken: false));
        Assert.Equal(1, tracker.Failed);
    }

    [Fact]
    public void A_long_message_counts_each_recipient_once_however_many_fragments_it_took()
    {
        var tracker = new SendTracker();
        var message = tracker.Start("lobby", null, null);
        tracker.AddEnvelope(1, message, ["bob"]);
        tracker.AddEnvelope(2, message, ["bob"]);
        tracker.AddEnvelope(3, message, ["carol"]);
        tracker.AddEnvelope(4, message, ["carol"]);

        Assert.Null(tracker.Settle(1, taken: true));
        Assert.Null(tracker.Settle(2, taken: true));
        Assert.Null(tracker.Settle(3, taken: true));
        Assert.Equal(2, tracker.Settle(4, taken: true)!.Recipients);
        Assert.Equal(0, tracker.Failed);
    }
}

public sealed class DeliveryTrackerSpecs
{
    [Fact]
    public void A_receipt_proves_delivery_only_to_its_own_sender_and_only_once()
    {
        var tracker = new DeliveryTracker();
        tracker.Expect(1, "bob", "m1", "t1");
        tracker.Expect(2, "carol", "m1", "t1");

        Assert.Empty(tracker.Delivered("mallory", [1, 2]));          // cannot claim bob's or carol's
        Assert.Equal("bob", Assert.Single(tracker.Delivered("bob", [1, 2])).To);
        Assert.Empty(tracker.Delivered("bob", [1]));                  // a replayed receipt counts once
    }
}
