using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 3 of issue 10, through a real relay: a member sends a victim 1,000 forged "prekey messages" (each
/// would start a session: X3DH and, at N = 1,000, a thousand chain steps before anything authenticates). It
/// cost the victim 58 s of CPU while a real message waited. Now a session-starting message may be at most a
/// few steps into its chain (refused before any DH), and after a few failures in a row the sender is
/// throttled (refused unread, visibly). The genuine message comes through. The CPU figures are measured by
/// the benchmark program (`dotnet run -c Release --project tests/Entice.Benchmarks -- flood`).
/// </summary>
public sealed class Attack03ForgedPrekeyFloodSpecs : IAsyncDisposable
{
    private const int Forged = 1000;
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task A_flood_of_forged_session_starts_is_refused_cheaply_and_a_real_message_still_arrives()
    {
        var (_, endpoint) = await _nodes.ServerAsync();
        var bob = await _nodes.Client("bob", endpoint).ReadyAsync();
        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();

        using var mallory = new TestIdentity("mallory");
        using var raw = await RawClient.ConnectAsync(endpoint);
        Assert.IsType<Welcome>(await raw.HelloAsync(mallory));
        await raw.SendAsync(new JoinRoom("lobby"));
        var joined = await raw.ReceiveAsync<RoomJoined>();
        var bobsPrekey = joined.Members.Single(m => m.Name == "bob").Identity.PrekeyId;
        await bob.View.NextAsync<MemberJoinedEvent>(j => j.Name == "mallory");

        // Half 200 steps into their chain (within the per-peer skip limit, far beyond what a session start may
        // skip), half at the start of a chain: all unauthenticated.
        for (var i = 0; i < Forged; i++)
        {
            var forged = ForgedCiphertexts.PrekeyMessage(bobsPrekey, i % 2 == 0 ? 200u : 0u);
            await raw.SendAsync(new Envelope("lobby", "mallory", "bob", (ulong)i + 1, false, forged));
        }
        alice.Type("are you there, bob?");

        Assert.Equal("are you there, bob?", (await bob.View.NextAsync<MessageEvent>(timeout: TimeSpan.FromSeconds(60))).Text);
        var errors = new List<string>();
        while (errors.Count < Forged)
            errors.Add((await bob.View.NextAsync<ErrorEvent>(timeout: TimeSpan.FromSeconds(30))).Message);
        Assert.All(errors, e => Assert.Contains("mallory", e, StringComparison.Ordinal));
        // Far-ahead ones are refused before X3DH; once mallory keeps failing, the rest are not even tried.
        Assert.Contains(errors, e => e.Contains("too far ahead", StringComparison.Ordinal));
        Assert.True(errors.Count(e => e.Contains("not tried", StringComparison.Ordinal)) > Forged / 2, string.Join("\n", errors.Take(20)));
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
