using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;

namespace Entice.Benchmarks;

/// <summary>A party: identity, signed prekey, published keys.</summary>
internal sealed class BenchParty : IDisposable
{
    public BenchParty(string name)
    {
        Name = name;
        Identity = IdentityKeys.Create();
        Prekey = SignedPrekey.Create(Identity, 1);
        Keys = new PeerKeys(name, Bundles.CreateBundle(Identity, Prekey));
    }

    public string Name { get; }
    public IdentityKeys Identity { get; }
    public SignedPrekey Prekey { get; }
    public PeerKeys Keys { get; }

    public SessionBook NewBook() => new(Identity, Name, Prekey);

    public void Dispose()
    {
        Prekey.Dispose();
        Identity.Dispose();
    }
}

/// <summary>Client-side crypto per message and per session, and the safety number.</summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private BenchParty _alice = null!;
    private BenchParty _bob = null!;
    private SessionBook _aliceBook = null!;
    private SessionBook _bobBook = null!;
    private MessageContext _ctx = null!;
    private byte[] _plaintext = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alice = new BenchParty("alice");
        _bob = new BenchParty("bob");
        _aliceBook = _alice.NewBook();
        _bobBook = _bob.NewBook();
        _ctx = new MessageContext("lobby", "alice", "bob", Direct: false);
        _plaintext = RandomNumberGenerator.GetBytes(256);
        // Establish the session (X3DH) once: the per-message benchmark measures only the chain step and AEAD.
        var first = _aliceBook.Encrypt(_bob.Keys, _ctx, _plaintext);
        if (!_bobBook.Decrypt(_alice.Keys, _ctx, first).Succeeded)
            throw new InvalidOperationException("session setup failed");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aliceBook.Dispose();
        _bobBook.Dispose();
        _alice.Dispose();
        _bob.Dispose();
    }

    /// <summary>256 B plaintext: encrypt in an established session and decrypt it on the other side.</summary>
    [Benchmark]
    public bool EncryptDecrypt256()
    {
        var ct = _aliceBook.Encrypt(_bob.Keys, _ctx, _plaintext);
        return _bobBook.Decrypt(_alice.Keys, _ctx, ct).Succeeded;
    }

    /// <summary>Encrypt only (the sender's share of the above).</summary>
    [Benchmark]
    public byte[] Encrypt256() => _aliceBook.Encrypt(_bob.Keys, _ctx, _plaintext);

    /// <summary>The two Ed25519 verifications Encrypt and Decrypt each repeat on every message (bundle check).</summary>
    [Benchmark]
    public bool VerifyBundleOnly() => IdentitySignatures.VerifyBundle(_bob.Keys.Bundle);

    /// <summary>Session start: first Encrypt to a new peer (X3DH as initiator) and the first Decrypt (X3DH as responder).</summary>
    [Benchmark]
    public bool SessionStart()
    {
        using var a = _alice.NewBook();
        using var b = _bob.NewBook();
        var ct = a.Encrypt(_bob.Keys, _ctx, _plaintext);
        return b.Decrypt(_alice.Keys, _ctx, ct).Succeeded;
    }

    /// <summary>The 60-digit safety number of two identities (2 x 5200 SHA-512 rounds).</summary>
    [Benchmark]
    public string SafetyNumberCompute() => SafetyNumber.ForIdentities(_alice.Identity.Public, "alice", _bob.Identity.Public, "bob");
}
