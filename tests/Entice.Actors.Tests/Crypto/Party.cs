using Entice.Crypto;

namespace Entice.Tests.Crypto;

/// <summary>One chat participant for tests: identity, signed prekey, session book and published keys.</summary>
internal sealed class Party : IDisposable
{
    public Party(string name, int maxSkip = 1000, uint prekeyId = 1)
    {
        Name = name;
        Identity = IdentityKeys.Create();
        Prekey = SignedPrekey.Create(Identity, prekeyId);
        Book = new SessionBook(Identity, name, Prekey, maxSkip);
        Keys = new PeerKeys(name, Bundles.CreateBundle(Identity, Prekey));
    }

    public string Name { get; }

    public IdentityKeys Identity { get; }

    public SignedPrekey Prekey { get; }

    public SessionBook Book { get; }

    public PeerKeys Keys { get; }

    public static MessageContext Direct(Party from, Party to) => new("lobby", from.Name, to.Name, Direct: true);

    public void Dispose()
    {
        Book.Dispose();
        Prekey.Dispose();
        Identity.Dispose();
    }
}
