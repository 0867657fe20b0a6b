using Entice.Client.Messages;
using Entice.Wire;

namespace Entice.Tests.Client;

/// <summary>Envelopes between encryption and the server's acknowledgement: none lost, none sent for ever.</summary>
public sealed class OutboxSpecs
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    private static Envelope E(ulong id, string to = "bob") => new("lobby", "alice", to, id, false, [1]);

    private static List<ulong> Ids(IEnumerable<Envelope> envelopes) => envelopes.Select(e => e.Id).ToList();

    [Fact]
    public void What_the_server_never_acknowledged_goes_again_after_a_reconnect_oldest_first_and_once()
    {
        var outbox = new Outbox();
        outbox.Add(E(1), 100);
        outbox.Add(E(2), 100);
        outbox.Add(E(3), 100);
        outbox.MarkSent(1, 0);
        outbox.MarkSent(2, 0);
        Assert.True(outbox.Acknowledge(2));
        Assert.False(outbox.Acknowledge(2)); // a duplicate ack

        outbox.Unqueue(); // the connection dropped
        Assert.Equal([1UL, 3UL], Ids(outbox.TakeAllForResend()));
        Assert.Empty(outbox.TakeAllForResend()); // already queued again
        Assert.Equal(2, outbox.Count);
    }

    [Fact]
    public void Only_envelopes_unanswered_for_long_enough_are_taken_for_resending()
    {
        var outbox = new Outbox();
        outbox.Add(E(1), 100);
        outbox.Add(E(2), 100);
        outbox.MarkSent(1, 0);
        outbox.MarkSent(2, 4 * Second);

        Assert.Equal([1UL], Ids(outbox.TakeOlderThan(5 * Second, 6 * Second)));
    }

    [Fact]
    public void An_envelope_refused_because_its_recipient_is_away_waits_for_them_then_is_given_up()
    {
        var outbox = new Outbox();
        outbox.Add(E(1, "carol"), 100);
        outbox.MarkSent(1, 0);
        Assert.True(outbox.MarkRefused(1, 0));

        Assert.Empty(outbox.DropRefusedOlderThan(30 * Second, 10 * Second));
        outbox.Unqueue();
        Assert.Equal([1UL], Ids(outbox.TakeFor("carol"))); // carol came back: it goes again
        Assert.Equal([1UL], Ids(outbox.DropRefusedOlderThan(30 * Second, 31 * Second)));
        Assert.True(outbox.IsEmpty);
    }

    [Fact]
    public void An_envelope_on_its_way_over_three_dropped_connections_is_given_up_as_poison()
    {
        var outbox = new Outbox();
        outbox.Add(E(1), 100);
        outbox.Add(E(2), 100);
        for (var connection = 1; connection <= 2; connection++)
        {
            outbox.MarkSent(1, 0, connection);
            outbox.MarkSent(2, 0, connection);
            Assert.Empty(outbox.ConnectionDropped(connection, maxDrops: 3));
        }
        outbox.MarkSent(1, 0, 3);
        Assert.Equal([1UL], Ids(outbox.ConnectionDropped(3, maxDrops: 3)));
        Assert.False(outbox.Contains(1));
        Assert.True(outbox.Contains(2)); // behind it, not the culprit
    }

    [Fact]
    public void After_frame_too_large_every_envelope_that_large_is_given_up_and_the_rest_kept()
    {
        var outbox = new Outbox();
        outbox.Add(Envelope(1), 100);
        outbox.Add(Envelope(2), 70_000);
        outbox.Add(Envelope(3), 70_000); // not sent yet: it would be refused too
        outbox.Add(Envelope(4), 200);
        outbox.MarkSent(1, 0);
        outbox.MarkSent(2, 0);

        var (dropped, size) = outbox.DropLargestSent();

        Assert.Equal(70_000, size);
        Assert.Equal([2ul, 3ul], dropped.Select(e => e.Id));
        outbox.Unqueue();
        Assert.Equal([1ul, 4ul], outbox.TakeAllForResend().Select(e => e.Id));
    }

    [Fact]
    public void Envelopes_waiting_for_the_pacer_are_not_taken_twice()
    {
        var outbox = new Outbox();
        outbox.Add(Envelope(1), 100);
        Assert.Empty(outbox.TakeAllForResend()); // still queued
        outbox.MarkSent(1, 0);
        Assert.Empty(outbox.TakeOlderThan(10, 5));
        Assert.Single(outbox.TakeOlderThan(10, 10));
        Assert.Empty(outbox.TakeFor("bob"));
    }

    private static Envelope Envelope(ulong id) => new("lobby", "", "bob", id, false, [1, 2, 3]);
}
