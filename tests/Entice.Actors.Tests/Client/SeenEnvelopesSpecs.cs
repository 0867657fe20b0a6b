using Entice.Client;
using Entice.Client.Messages;

namespace Entice.Tests.Client;

/// <summary>Envelope ids seen per sender: copies are recognised, memory is bounded.</summary>
public sealed class SeenEnvelopesSpecs
{
    [Fact]
    public void A_copy_is_recognised_and_another_senders_same_id_is_not()
    {
        var seen = new SeenEnvelopes();

        Assert.True(seen.Add("bob", 7));
        Assert.False(seen.Add("bob", 7));
        Assert.True(seen.Contains("bob", 7));
        Assert.False(seen.Contains("carol", 7));
        Assert.True(seen.Add("carol", 7));
    }

    [Fact]
    public void Beyond_its_capacity_the_oldest_ids_are_forgotten_first()
    {
        var seen = new SeenEnvelopes(capacityPerSender: 3);
        for (ulong id = 1; id <= 4; id++)
            seen.Add("bob", id);

        Assert.False(seen.Contains("bob", 1));
        Assert.True(seen.Contains("bob", 2));
        Assert.True(seen.Contains("bob", 4));
    }
}
