using System.Net;
using Entice.Channels;
using Entice.Discovery;
using Entice.Wire;
using Makaretu.Dns;

namespace Entice.Tests.Discovery;

/// <summary>
/// Issue 14: a client's lookup (<see cref="ServerDiscovery"/>) over a fake link that answers its queries
/// like relays on the LAN would: several relays, none (the timeout), copies, garbage and a flood.
/// </summary>
public sealed class LookupSpecs
{
    private static readonly ClientDiscoverySettings Quick = new()
    {
        Timeout = TimeSpan.FromSeconds(2),
        Settle = TimeSpan.FromMilliseconds(300),
        QueryInterval = TimeSpan.FromMilliseconds(200),
        MaxServers = 20,
    };

    private static readonly ServerFingerprint KitchenKey = ServerFingerprint.Parse("3f2a91c00b175e44a0d26c198e3b7f0012abcdef");
    private static readonly ServerFingerprint AtticKey = ServerFingerprint.Parse("0000111122223333444455556666777788889999");

    private static Announcement Relay(string name, string address, int port = 42000, ServerFingerprint? fp = null) =>
        new(name, name.Replace(' ', '-'), port, [IPAddress.Parse(address)], ProtocolVersion.Current, fp);

    // A link where each relay answers every query about _entice._tcp, from its own address.
    private static Func<IMdnsLink> Lan(params Announcement[] relays) => () => new FakeMdnsLink
    {
        OnSend = (link, sent) =>
        {
            if (!sent.IsQuery)
                return;
            foreach (var r in relays.Where(r => r.Answers(sent)))
                link.Hear(r.Response(), new IPEndPoint(r.Addresses[0], 5353));
        },
    };

    [Fact]
    public async Task Several_relays_are_all_listed_once_each_with_name_and_fingerprint()
    {
        var found = await ServerDiscovery.BrowseAsync(Quick, Lan(Relay("kitchen", "192.168.7.1", fp: KitchenKey), Relay("attic", "192.168.7.2", 42001)));

        Assert.Equal(2, found.Count); // answered to every query, listed once
        Assert.Contains(new DiscoveredServer(IPAddress.Parse("192.168.7.1"), 42000, KitchenKey, "kitchen"), found);
        Assert.Contains(new DiscoveredServer(IPAddress.Parse("192.168.7.2"), 42001, null, "attic"), found);
    }

    [Fact]
    public async Task A_relay_heard_on_two_interfaces_is_listed_once_by_its_key_and_other_keys_are_not_merged()
    {
        // The same relay answers from both of its addresses (two networks this machine is on), as does a
        // second relay with another key; a third relay announces no key at all on both.
        var found = await ServerDiscovery.BrowseAsync(Quick, Lan(
            Relay("kitchen", "192.168.7.1", fp: KitchenKey), Relay("kitchen", "10.0.0.1", fp: KitchenKey),
            Relay("attic", "192.168.7.2", fp: AtticKey), Relay("attic", "10.0.0.2", 42000, AtticKey),
            Relay("cellar", "192.168.7.3"), Relay("cellar", "10.0.0.3")));

        Assert.Single(found, s => Equals(s.Fingerprint, KitchenKey));
        Assert.Single(found, s => Equals(s.Fingerprint, AtticKey));
        Assert.Equal(2, found.Count(s => s.Fingerprint is null)); // no key to tell them apart by: both kept
        Assert.Equal(4, found.Count);
    }

    [Fact]
    public async Task None_is_an_empty_list_once_the_timeout_is_over()
    {
        var link = new FakeMdnsLink();

        var found = await ServerDiscovery.BrowseAsync(Quick, () => link);

        Assert.Empty(found);
        Assert.True(link.Sent.Count >= 2, "the question is asked again while looking");
        Assert.All(link.Sent, q => Assert.Equal(new DomainName("_entice._tcp.local"), Assert.Single(q.Questions).Name));
        Assert.True(link.Disposed);
    }

    [Fact]
    public async Task Another_service_and_garbage_answers_list_nothing_and_the_good_relay_beside_them_is_kept()
    {
        var garbage = Relay("noisy", "192.168.7.9").Response();
        garbage.AdditionalRecords.OfType<TXTRecord>().Single().Strings = ["v=1", "fp=\u001b]0;pwned\u0007"];
        var oversized = Relay("huge", "192.168.7.8").Response();
        oversized.AdditionalRecords.OfType<TXTRecord>().Single().Strings = ["v=1", .. Enumerable.Range(0, 40).Select(i => $"pad{i}={new string('x', 200)}")];
        var otherVersion = new Announcement("future", "future", 42000, [IPAddress.Parse("192.168.7.7")], ProtocolVersion.Current + 1, null).Response();
        var http = new Message { QR = true };
        http.Answers.Add(new PTRRecord { Name = new DomainName("_http._tcp.local"), DomainName = new DomainName("printer._http._tcp.local") });
        var good = Relay("kitchen", "192.168.7.1");

        var found = await ServerDiscovery.BrowseAsync(Quick, () => new FakeMdnsLink
        {
            OnSend = (link, sent) =>
            {
                if (!sent.IsQuery)
                    return;
                foreach (var bad in new[] { garbage, oversized, otherVersion, http })
                    link.Hear(bad, new IPEndPoint(IPAddress.Parse("192.168.7.9"), 5353));
                link.Hear(good.Response(), new IPEndPoint(IPAddress.Parse("192.168.7.1"), 5353));
            },
        });

        Assert.Equal([new DiscoveredServer(IPAddress.Parse("192.168.7.1"), 42000, null, "kitchen")], found);
    }

    [Fact]
    public async Task A_flood_of_announcements_is_capped_at_max_servers()
    {
        var flood = Enumerable.Range(0, 500).Select(i => Relay($"fake{i}", $"10.66.{i / 250}.{i % 250 + 1}")).ToArray();

        var found = await ServerDiscovery.BrowseAsync(Quick with { MaxServers = 20 }, Lan(flood));

        Assert.Equal(20, found.Count);
        Assert.Equal(20, found.Distinct().Count());
    }

    [Fact]
    public void A_name_with_control_characters_is_listed_visibly()
    {
        var sneaky = new Announcement("a\u001b[2Jb", "h", 42000, [IPAddress.Parse("192.168.7.1")], ProtocolVersion.Current, null);
        var bytes = sneaky.Response().ToByteArray();
        var heard = new Message();
        heard.Read(bytes, 0, bytes.Length);

        var found = Assert.Single(AnswerReader.Read(heard, new IPEndPoint(IPAddress.Parse("192.168.7.1"), 5353), ProtocolVersion.Current));

        Assert.DoesNotContain(found.Name, c => char.IsControl(c));
    }
}
