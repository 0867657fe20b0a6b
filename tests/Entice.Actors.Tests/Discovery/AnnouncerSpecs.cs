using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Discovery;
using Entice.Wire;
using Makaretu.Dns;
using Xunit.Abstractions;

namespace Entice.Tests.Discovery;

/// <summary>
/// Issue 14: the announcer actor over a fake link: it announces the relay when it starts, answers
/// questions about it (a flood gets a bounded number of answers), withdraws it when it stops, and a
/// link that cannot start stops the announcer alone.
/// </summary>
public sealed class AnnouncerSpecs : TestKit
{
    private static readonly Announcement Relay = new("kitchen", "kitchen-pc", 42000, [IPAddress.Parse("192.168.7.1")], ProtocolVersion.Current, null);
    private static readonly IPEndPoint Asker = new(IPAddress.Parse("192.168.7.30"), 5353);

    public AnnouncerSpecs(ITestOutputHelper output) : base("akka.loglevel = WARNING", output: output)
    {
    }

    [Fact]
    public async Task It_announces_on_start_on_the_chosen_interfaces_answers_a_question_and_says_goodbye_on_stop()
    {
        var link = new FakeMdnsLink();
        IReadOnlyList<string>? asked = null;
        var announcer = Sys.ActorOf(DiscoveryAnnouncer.Props(Relay, ["wlan0"], 10, names => { asked = names; return link; }));

        await AwaitAssertAsync(() => Assert.True(link.Sent.Count >= 2), TimeSpan.FromSeconds(10)); // twice, a second apart
        Assert.Equal(["wlan0"], asked);
        Assert.True(link.Started);
        var announced = link.Sent.ToArray();
        Assert.All(announced, m => Assert.Single(AnswerReader.Read(m, new IPEndPoint(IPAddress.Parse("192.168.7.1"), 5353), ProtocolVersion.Current)));

        var before = link.Sent.Count;
        link.Hear(FakeMdnsLink.Query(ServiceNames.ServiceType, DnsType.PTR), Asker);
        link.Hear(FakeMdnsLink.Query(new DomainName("_http._tcp.local"), DnsType.PTR), Asker);
        Assert.Equal(before + 1, link.Sent.Count);

        Watch(announcer);
        Sys.Stop(announcer);
        await ExpectTerminatedAsync(announcer);
        await AwaitAssertAsync(() => Assert.True(link.Disposed), TimeSpan.FromSeconds(10));
        Assert.All(link.Sent.Last().Answers, r => Assert.Equal(TimeSpan.Zero, r.TTL));
    }

    [Fact]
    public async Task A_flood_of_questions_gets_a_bounded_number_of_answers()
    {
        var link = new FakeMdnsLink();
        Sys.ActorOf(DiscoveryAnnouncer.Props(Relay, ["wlan0"], 5, _ => link));
        await AwaitAssertAsync(async () => Assert.True((await Status()).Announcing), TimeSpan.FromSeconds(10));

        var before = link.Sent.Count;
        for (var i = 0; i < 1000; i++)
            link.Hear(FakeMdnsLink.Query(ServiceNames.ServiceType, DnsType.PTR), Asker);

        // A burst of 5 and the refill while 1000 queries are read: far below one answer each.
        Assert.InRange(link.Sent.Count - before, 5, 100);
    }

    [Fact]
    public async Task A_link_that_cannot_start_stops_the_announcer_and_nothing_else()
    {
        var link = new FakeMdnsLink { FailStart = new System.Net.Sockets.SocketException(98) };
        var announcer = Sys.ActorOf(DiscoveryAnnouncer.Props(Relay, ["wlan0"], 10, _ => link));
        Watch(announcer);

        await ExpectTerminatedAsync(announcer, TimeSpan.FromSeconds(10));
        Assert.True(link.Disposed);
        Assert.Empty(link.Sent);
    }

    private Task<DiscoveryAnnouncer.Status> Status() =>
        Sys.ActorSelection($"/user/*").Ask<DiscoveryAnnouncer.Status>(new DiscoveryAnnouncer.GetStatus(), TimeSpan.FromSeconds(5));
}
