using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 8: throwaway joins pile up away members that are never capped or expired, every newcomer is
/// sent all of them, every message fans out to all of them, and nothing caps what one sender stores.
/// Raw attackers over real sockets against a real server.
/// </summary>
public sealed class Attack08UnboundedRoomSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task Throwaway_joins_leave_at_most_the_capped_number_of_away_members_for_a_newcomer()
    {
        var server = await StartAsync(new ServerSettings { MaxAwayMembers = 20 });
        for (var i = 0; i < 60; i++)
        {
            using var throwaway = new TestIdentity($"throwaway{i}");
            using var c = await RawClient.JoinedAsync(server, throwaway);
            await c.SendAsync(new Goodbye());
            await c.ReceiveAsync<GoodbyeAck>();
        }

        using var carol = new TestIdentity("carol");
        using var newcomer = await RawClient.JoinedAsync(server, carol);
        // The away members as the newcomer sees them once the news settles: the last throwaway's connection may
        // still be closing when carol joins, and its going away then pushes the oldest out (MemberLeft).
        var roster = new List<string>();
        foreach (var news in await newcomer.DrainAsync(TimeSpan.FromMilliseconds(700)))
        {
            if (news is MemberAway away)
                roster.Add(away.Member.Name);
            else if (news is MemberLeft left)
                roster.Remove(left.Name);
        }

        Assert.Equal(20, roster.Count); // not 60
        Assert.Contains("throwaway59", roster); // the most recent are kept
        Assert.DoesNotContain("throwaway0", roster);
    }

    [Fact]
    public async Task An_away_member_is_forgotten_after_the_away_time_to_live()
    {
        var server = await StartAsync(new ServerSettings { AwayTimeToLive = TimeSpan.FromMilliseconds(300) });
        using var alice = new TestIdentity("alice");
        using var bob = new TestIdentity("bob");
        using var a = await WithBobAwayAsync(server, alice, bob);
        await Task.Delay(1000);

        using var carol = new TestIdentity("carol");
        using var newcomer = await RawClient.JoinedAsync(server, carol);

        Assert.DoesNotContain(await newcomer.DrainAsync(TimeSpan.FromMilliseconds(500)), m => m is MemberAway);
        Assert.Equal("bob", (await a.ReceiveAsync<MemberLeft>()).Name); // forgotten: the others see bob leave
    }

    [Fact]
    public async Task A_sender_can_keep_only_its_quota_of_envelopes_for_away_members()
    {
        var server = await StartAsync(new ServerSettings { MaxStoredPerSender = 10 });
        using var alice = new TestIdentity("alice");
        using var bob = new TestIdentity("bob");
        using var a = await WithBobAwayAsync(server, alice, bob);

        for (ulong i = 1; i <= 15; i++)
            await a.SendAsync(new Envelope("lobby", "", "bob", i, true, [1]));
        var answers = await a.DrainAsync(TimeSpan.FromMilliseconds(700));

        Assert.Equal(10, answers.OfType<EnvelopeAck>().Count());
        var refused = answers.OfType<EnvelopeRefused>().ToList();
        Assert.Equal(5, refused.Count);
        Assert.All(refused, r => Assert.Equal(ErrorCodes.SenderFull, r.Code));
    }

    // Alice in the lobby, and bob who joined and went away (the server keeps what is sent to him): alice's connection.
    private static async Task<RawClient> WithBobAwayAsync(System.Net.IPEndPoint server, TestIdentity alice, TestIdentity bob)
    {
        var a = await RawClient.JoinedAsync(server, alice);
        using (var b = await RawClient.JoinedAsync(server, bob))
            await a.ReceiveAsync<MemberJoined>();
        await a.ReceiveAsync<MemberAway>();
        return a;
    }

    private async Task<System.Net.IPEndPoint> StartAsync(ServerSettings settings)
    {
        var (_, endpoint) = await _nodes.ServerAsync(settings, dataDir: _nodes.Dir("entice-test-data-"));
        return endpoint;
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
