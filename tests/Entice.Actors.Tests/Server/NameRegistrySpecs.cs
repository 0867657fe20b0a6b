using Akka.TestKit.Xunit2;
using Entice.Server.Names;
using Entice.Server.Store;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Server;

/// <summary>
/// The name registry over the store actor, probes standing in for transports: claims for different
/// names are decided side by side, claims for one name one after another, and a stopped holder frees
/// its cluster-wide claim.
/// </summary>
public sealed class NameRegistrySpecs : TestKit
{
    private readonly TempDirs _dirs = new();
    private readonly OfflineStore _store;
    private readonly SemaphoreSlim _held = new(0);

    // A claim is answered after a SQLite write on the store's thread: under a loaded CI machine that took
    // over TestKit's default 3 s once. Generous, as the wait ends when the answer comes.
    private static readonly TimeSpan StoreAnswer = TimeSpan.FromSeconds(20);

    public NameRegistrySpecs() : base("akka.loglevel = WARNING\n" + StoreActors.DispatcherHocon) =>
        _store = OfflineStore.Open(_dirs.New("entice-test-names-"));

    // Claims for "slow" wait in the store until the spec lets them through.
    private Akka.Actor.IActorRef Registry(NameRegistry.SharedClaims? shared = null, TimeSpan? answerTimeout = null) =>
        Sys.ActorOf(NameRegistry.Props(StoreActors.Start(Sys, _store, calls: (request, store) =>
        {
            if (request is ServerStore.ClaimName { Name: "slow" })
                _held.Wait(TimeSpan.FromSeconds(30));
            return request.Run(store);
        }), shared, TimeSpan.FromDays(90), answerTimeout));

    [Fact]
    public async Task A_claim_waiting_for_the_store_does_not_hold_up_claims_for_other_names()
    {
        var names = Registry();
        var slow = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("slow", Key(1), slow.Ref), slow.Ref);
        var quick = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("quick", Key(2), quick.Ref), quick.Ref);

        Assert.Equal("quick", (await quick.ExpectMsgAsync<NameRegistry.Claimed>(StoreAnswer)).Name);
        await slow.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        _held.Release();
        Assert.Equal("slow", (await slow.ExpectMsgAsync<NameRegistry.Claimed>(StoreAnswer)).Name);
    }

    [Fact]
    public async Task Claims_for_one_name_are_decided_in_order_the_second_seeing_the_first()
    {
        var names = Registry();
        var first = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("slow", Key(1), first.Ref), first.Ref);
        var sameIdentity = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("slow", Key(1), sameIdentity.Ref), sameIdentity.Ref);
        var other = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("slow", Key(2), other.Ref), other.Ref);

        _held.Release(3);

        await first.ExpectMsgAsync<NameRegistry.Claimed>(StoreAnswer);
        await sameIdentity.ExpectMsgAsync<NameRegistry.Claimed>(StoreAnswer);
        await first.ExpectMsgAsync<NameRegistry.Replaced>(StoreAnswer); // the same identity again: the older connection goes
        Assert.Equal(ErrorCodes.NameOwned, (await other.ExpectMsgAsync<NameRegistry.Refused>(StoreAnswer)).Code);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_gets_the_claim_refused_as_overloaded_not_hung()
    {
        var names = Registry(answerTimeout: TimeSpan.FromMilliseconds(300));
        var slow = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("slow", Key(1), slow.Ref), slow.Ref);

        Assert.Equal(ErrorCodes.Overloaded, (await slow.ExpectMsgAsync<NameRegistry.Refused>(StoreAnswer)).Code);
        _held.Release();
    }

    [Fact]
    public async Task A_holder_that_stops_frees_its_cluster_wide_claim()
    {
        var names = Registry(new NameRegistry.SharedClaims("node-a"));
        var holder = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("ann", Key(1), holder.Ref), holder.Ref);
        await holder.ExpectMsgAsync<NameRegistry.Claimed>(StoreAnswer);
        Assert.False(_store.ClaimName("ann", Key(2), "node-b").Granted); // held through node-a

        Sys.Stop(holder.Ref);

        await Eventually.HoldsAsync(() => Task.FromResult(_store.ClaimName("ann", Key(2), "node-b").Granted));
    }

    private static byte[] Key(byte b) => [.. Enumerable.Repeat(b, 32)];

    protected override void AfterAll()
    {
        _held.Release(10);
        base.AfterAll();
        _held.Dispose();
        _dirs.Dispose();
    }
}
