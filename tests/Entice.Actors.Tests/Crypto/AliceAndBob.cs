namespace Entice.Tests.Crypto;

/// <summary>
/// The two parties most crypto specs talk between: a fresh pair for each spec (xunit makes a new instance
/// per test), their keys disposed after it.
/// </summary>
public abstract class AliceAndBob : IDisposable
{
    private protected readonly Party alice = new("alice");
    private protected readonly Party bob = new("bob");

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        alice.Dispose();
        bob.Dispose();
    }
}
