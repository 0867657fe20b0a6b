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
        tracker.Expect(1, ["bob"], "m1", "t1");
        tracker.Expect(2, ["carol"], "m1", "t1");

        Assert.Empty(tracker.Delivered("mallory", [1, 2]));          // cannot claim bob's or carol's
        Assert.Equal("bob", Assert.Single(tracker.Delivered("bob", [1, 2])).To);
        Assert.Empty(tracker.Delivered("bob", [1]));                  // a replayed receipt counts once
    }

    [Fact]
    public void Every_receipt_of_a_burst_in_a_room_of_100_counts()
    {
        // 200 room messages to 99 members: 19,800 (envelope, member) pairs, one entry per envelope.
        var tracker = new DeliveryTracker();
        var members = Enumerable.Range(1, 99).Select(i => $"m{i}").ToArray();
        for (ulong id = 0; id < 200; id++)
            tracker.Expect(id, members, $"msg{id}", null);

        var delivered = members.Sum(m => tracker.Delivered(m, Enumerable.Range(0, 200).Select(i => (ulong)i)).Count);

        Assert.Equal(200 * 99, delivered);
        Assert.Equal(0, tracker.Count); // acknowledged by everyone: forgotten
    }

    [Fact]
    public void A_room_receipt_counts_once_per_member_and_only_for_members()
    {
        var tracker = new DeliveryTracker();
        tracker.Expect(7, ["bob", "carol"], "m1", "t1");

        Assert.Empty(tracker.Delivered("mallory", [7]));
        Assert.Equal("bob", Assert.Single(tracker.Delivered("bob", [7, 7])).To); // twice in one receipt: once
        Assert.Empty(tracker.Delivered("bob", [7]));
        Assert.Equal(1, tracker.Count);
        Assert.Equal("carol", Assert.Single(tracker.Delivered("carol", [7])).To);
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void The_oldest_envelopes_are_forgotten_beyond_the_bound()
    {
        var tracker = new DeliveryTracker(capacity: 3);
        string[] members = ["bob", "carol"];
        for (ulong id = 1; id <= 4; id++)
            tracker.Expect(id, members, $"m{id}", null);

        Assert.Equal(3, tracker.Count);
        Assert.Empty(tracker.Delivered("bob", [1]));
        Assert.Single(tracker.Delivered("bob", [4]));
    }
}
