using System.Net;
using Entice.Channels;
using Entice.Discovery;
using Entice.Wire;
using Makaretu.Dns;

namespace Entice.Tests.Discovery;

/// <summary>
/// Issue 14: what the relay announces (PTR, SRV, TXT, A), read back the way a client reads it, and
/// which queries it answers.
/// </summary>
public sealed class AnnouncementSpecs
{
    private static readonly IPAddress Lan = IPAddress.Parse("192.168.7.1");
    private static readonly IPAddress Other = IPAddress.Parse("10.9.0.1");
    private static readonly ServerFingerprint Key = ServerFingerprint.Parse("3f2a 91c0 0b17 5e44 a0d2 6c19 8e3b 7f00 12ab cdef");

    private static Announcement Relay(ServerFingerprint? fingerprint = null, params IPAddress[] addresses) =>
        new("Kitchen relay", "kitchen-pc", 42000, addresses.Length == 0 ? [Lan] : addresses, ProtocolVersion.Current, fingerprint);

    [Fact]
    public void The_response_holds_the_service_pointer_the_port_the_protocol_version_and_the_addresses()
    {
        var response = RoundTrip(Relay(null, Lan, Other).Response());
        var instance = new DomainName("Kitchen relay", "_entice", "_tcp", "local");

        Assert.True(response.IsResponse);
        var ptr = Assert.Single(response.Answers.OfType<PTRRecord>());
        Assert.Equal(new DomainName("_entice._tcp.local"), ptr.Name);
        Assert.Equal(instance, ptr.DomainName);
        var srv = Assert.Single(response.AdditionalRecords.OfType<SRVRecord>());
        Assert.Equal(instance, srv.Name);
        Assert.Equal(42000, srv.Port);
        Assert.Equal(new DomainName("kitchen-pc.local"), srv.Target);
        var txt = Assert.Single(response.AdditionalRecords.OfType<TXTRecord>());
        Assert.Equal([$"v={ProtocolVersion.Current}"], txt.Strings);
        Assert.Equal([Lan, Other], response.AdditionalRecords.OfType<ARecord>().Where(a => a.Name == srv.Target).Select(a => a.Address));
        Assert.All(response.Answers.Concat(response.AdditionalRecords), r => Assert.True(r.TTL > TimeSpan.Zero));
    }

    [Fact]
    public void The_channel_key_fingerprint_is_announced_as_fp_in_its_compact_form_and_left_out_when_there_is_none()
    {
        var with = RoundTrip(Relay(Key).Response()).AdditionalRecords.OfType<TXTRecord>().Single();
        var empty = RoundTrip(Relay().Response()).AdditionalRecords.OfType<TXTRecord>().Single();

        Assert.Equal([$"v={ProtocolVersion.Current}", "fp=3f2a91c00b175e44a0d26c198e3b7f0012abcdef"], with.Strings);
        Assert.DoesNotContain(empty.Strings, s => s.StartsWith("fp", StringComparison.Ordinal));
    }

    [Fact]
    public void A_client_reads_the_announcement_back_as_the_relay_with_the_address_it_came_from()
    {
        var response = RoundTrip(Relay(Key, Lan, Other).Response());

        // Heard from the second address (the one reachable from the client's network): that one is used.
        var found = Assert.Single(AnswerReader.Read(response, new IPEndPoint(Other, 5353), ProtocolVersion.Current));

        Assert.Equal(new DiscoveredServer(Other, 42000, Key, "Kitchen relay"), found);
        // Picking it means requiring that key: the form --server HOST:PORT@FINGERPRINT takes.
        Assert.Equal("10.9.0.1:42000@3f2a91c00b175e44a0d26c198e3b7f0012abcdef", found.Target.ToString());
        Assert.Equal(found.Target, ServerTarget.Parse(found.Target.ToString()));
    }

    [Fact]
    public void The_goodbye_withdraws_the_relay_and_a_client_does_not_list_it()
    {
        var goodbye = RoundTrip(Relay().Response(goodbye: true));

        Assert.All(goodbye.Answers.Concat(goodbye.AdditionalRecords), r => Assert.Equal(TimeSpan.Zero, r.TTL));
        Assert.Empty(AnswerReader.Read(goodbye, new IPEndPoint(Lan, 5353), ProtocolVersion.Current));
    }

    [Theory]
    [InlineData("_entice._tcp.local", DnsType.PTR, true)]
    [InlineData("_entice._tcp.local", DnsType.ANY, true)]
    [InlineData("_services._dns-sd._udp.local", DnsType.PTR, true)]
    [InlineData("kitchen-pc.local", DnsType.A, true)]
    [InlineData("_http._tcp.local", DnsType.PTR, false)]
    [InlineData("_entice._tcp.local", DnsType.A, false)]
    [InlineData("other-pc.local", DnsType.A, false)]
    public void It_answers_questions_about_itself_only(string name, DnsType type, bool answers)
    {
        Assert.Equal(answers, Relay().Answers(FakeMdnsLink.Query(new DomainName(name), type)));
    }

    [Fact]
    public void Instance_and_host_labels_are_made_fit_for_DNS()
    {
        Assert.Equal("Entice on my-pc-lan", ServiceNames.InstanceLabel("Entice on my.pc.lan"));
        Assert.Equal("ab", ServiceNames.InstanceLabel("a\u001b\u0007b"));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(ServiceNames.InstanceLabel(new string('é', 100))) <= 63);
        Assert.Equal("entice", ServiceNames.InstanceLabel("   "));
        Assert.Equal("mypc", ServiceNames.HostLabel("my_pc!"));
    }

    private static Message RoundTrip(Message message)
    {
        var bytes = message.ToByteArray();
        var read = new Message();
        read.Read(bytes, 0, bytes.Length);
        return read;
    }
}
