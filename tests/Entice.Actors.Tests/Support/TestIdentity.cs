using Entice.Wire;
using Entice.Crypto.Identity;

namespace Entice.Tests.Support;

/// <summary>A real identity (keys, prekey, signed bundle) for tests that need a member the server accepts.</summary>
internal sealed class TestIdentity : IDisposable
{
    public TestIdentity(string name)
    {
        Name = name;
        Keys = IdentityKeys.Create();
        Prekey = SignedPrekey.Create(Keys, 7);
        Bundle = Bundles.CreateBundle(Keys, Prekey);
    }

    public string Name { get; }

    public IdentityKeys Keys { get; }

    public SignedPrekey Prekey { get; }

    public IdentityBundle Bundle { get; }

    public MemberInfo Member => new(Name, Bundle);

    public void Dispose()
    {
        Prekey.Dispose();
        Keys.Dispose();
    }
}
