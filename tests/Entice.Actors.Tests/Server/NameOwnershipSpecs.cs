using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Server.Store;
using Entice.Server.Names;

namespace Entice.Tests.Server;

/// <summary>The name registry with ownership in a store: probes stand in for the transports claiming names.</summary>
public sealed class NameOwnershipSpecs : TestKit
{
    private readonly TempDirs _dirs = new();
    private readonly OfflineStore _store;

    public NameOwnershipSpecs() : base("akka.loglevel = WARNING\n" + StoreActors.DispatcherHocon) => _store = OfflineStore.Open(_dirs.New("entice-test-store-"));

    [Fact]
    public async Task A_name_is_granted_to_its_first_identity_again_and_refused_to_others_even_when_its_owner_is_offline()
    {
        var names = Sys.ActorOf(NameRegistry.Props(StoreActors.Start(Sys, _store), ownedUnusedFor: TimeSpan.FromDays(90)));
        var first = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("bill", Key(1), first.Ref), first.Ref);
        await first.ExpectMsgAsync<NameRegistry.Claimed>();
        Sys.Stop(first.Ref); // bill goes offline: the name is no longer online, still owned

        var impostor = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("bill", Key(2), impostor.Ref), impostor.Ref);
        var refused = await impostor.ExpectMsgAsync<NameRegistry.Refused>();
        Assert.Equal(ErrorCodes.NameOwned, refused.Code);

        var lookAlike = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("bi11", Key(2), lookAlike.Ref), lookAlike.Ref);
        var confusable = await lookAlike.ExpectMsgAsync<NameRegistry.Refused>();
        Assert.Equal(ErrorCodes.NameConfusable, confusable.Code);
        Assert.Contains("looks like bill", confusable.Message, StringComparison.Ordinal);

        var back = CreateTestProbe();
        names.Tell(new NameRegistry.Claim("bill", Key(1), back.Ref), back.Ref);
        await back.ExpectMsgAsync<NameRegistry.Claimed>();
    }

    private static byte[] Key(byte b) => [.. Enumerable.Repeat(b, 32)];

    protected override void AfterAll()
    {
        _store.Dispose();
        _dirs.Dispose();
        base.AfterAll();
    }
}
