using Akka.Actor;
using Entice.Client;
using Entice.Wire;
using Entice.Crypto.Ratchet;
using Entice.Client.Keys;
using Entice.Crypto.Storage;

namespace Entice.Tests.Support;

/// <summary>
/// A peer for a <see cref="FakeRelay"/> to speak for: a real crypto actor with its own key directory,
/// so what it encrypts is exactly what a genuine client of that name would send.
/// </summary>
internal sealed class FakePeer
{
    private readonly IActorRef _agent;
    private ulong _nextId = 1000;

    private FakePeer(string name, IActorRef agent, MemberInfo member)
    {
        Name = name;
        _agent = agent;
        Member = member;
    }

    public string Name { get; }

    public MemberInfo Member { get; }

    public static async Task<FakePeer> StartAsync(ActorSystem system, string name, string dir)
    {
        var keys = new KeyDirectory(dir);
        var agent = system.ActorOf(CryptoAgent.Props(name, keys, 1000));
        var info = await agent.Ask<CryptoAgent.IdentityInfo>(new CryptoAgent.GetIdentity(), TimeSpan.FromSeconds(10));
        return new FakePeer(name, agent, new MemberInfo(name, info.Bundle));
    }

    /// <summary>An envelope from this peer to <paramref name="to"/>, as the relay would deliver it (sender stamped).</summary>
    public async Task<Envelope> EncryptAsync(MemberInfo to, string room, string text, bool direct = false)
    {
        await _agent.Ask<CryptoAgent.PeerObserved>(new CryptoAgent.ObservePeer(to), TimeSpan.FromSeconds(10));
        var encrypted = await _agent.Ask<CryptoAgent.Encrypted>(new CryptoAgent.Encrypt(to, room, direct, text, _nextId++), TimeSpan.FromSeconds(10));
        return encrypted.Envelope with { Sender = Name };
    }

    /// <summary>Decrypts what <paramref name="from"/> (a real client) sent this peer.</summary>
    public async Task<ChatPlaintext> DecryptAsync(Envelope envelope, string from, IdentityBundle fromKeys)
    {
        var sender = new MemberInfo(from, fromKeys);
        await _agent.Ask<CryptoAgent.PeerObserved>(new CryptoAgent.ObservePeer(sender), TimeSpan.FromSeconds(10));
        var answer = await _agent.Ask<object>(new CryptoAgent.Decrypt(envelope with { Sender = from }, sender), TimeSpan.FromSeconds(10));
        return Assert.IsType<CryptoAgent.Decrypted>(answer).Plaintext;
    }
}
