using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Client.Keys;
using Entice.Crypto.Storage;

namespace Entice.Tests.Support;

/// <summary>
/// A TestKit for specs that drive real crypto actors directly (each with its own key directory), standing in
/// for the chat actor: start one, introduce peers, encrypt, decrypt, stop. Directories are removed at the end.
/// </summary>
public abstract class CryptoAgentTestKit : TestKit
{
    private readonly TempDirs _dirs = new();
    private ulong _nextId = 1;
    private ulong _nextRoomId = 5000;

    protected CryptoAgentTestKit(ITestOutputHelper output) : base("akka.loglevel = WARNING", output: output)
    {
    }

    /// <summary>A crypto actor and the member it is announced as.</summary>
    protected sealed record Agent(IActorRef Ref, MemberInfo Info, string KeyDir)
    {
        public string Name => Info.Name;
    }

    protected string NewDir() => _dirs.New();

    protected Task<Agent> StartAsync(string name, string? keyDir = null, CryptoAgent.Options? options = null) =>
        StartAsync(name, new KeyDirectory(keyDir ?? NewDir()), options);

    /// <summary>A crypto actor on <paramref name="keys"/> (a passphrase-protected directory, say).</summary>
    protected async Task<Agent> StartAsync(string name, KeyDirectory keys, CryptoAgent.Options? options = null)
    {
        // One answer per decrypt here unless a spec asks for the early one (shown before the save, DecryptSaved after).
        options ??= new CryptoAgent.Options();
        if (options.ShowBeforeSave is null)
            options = options with { ShowBeforeSave = false };
        var agent = Sys.ActorOf(CryptoAgent.Props(name, keys, options));
        agent.Tell(new CryptoAgent.GetIdentity());
        var info = await ExpectMsgAsync<CryptoAgent.IdentityInfo>();
        return new Agent(agent, new MemberInfo(name, info.Bundle), keys.Path);
    }

    /// <summary>A copy of a key directory's files as they are now (what a crash at this instant would leave).</summary>
    protected static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    /// <summary>
    /// A room message from <paramref name="from"/> to <paramref name="members"/>: the sender-key distributions it
    /// needed first (one per member without our key yet), then the one room-wide envelope.
    /// </summary>
    protected async Task<(List<Envelope> Distributions, Envelope Room)> RoomSendAsync(Agent from, IReadOnlyList<MemberInfo> members, string text)
    {
        var id = _nextRoomId;
        _nextRoomId += 1 + (ulong)members.Count;
        from.Ref.Tell(new CryptoAgent.EncryptRoom("lobby", members, text, id, id + 1));
        var distributions = new List<Envelope>();
        while (true)
        {
            var answer = await ExpectMsgAsync<CryptoAgent.Encrypted>(TimeSpan.FromSeconds(10));
            if (!answer.Distribution)
                return (distributions, answer.Envelope);
            distributions.Add(answer.Envelope);
        }
    }

    protected async Task StopAsync(Agent agent)
    {
        Watch(agent.Ref);
        Sys.Stop(agent.Ref);
        await ExpectTerminatedAsync(agent.Ref);
        Unwatch(agent.Ref);
    }

    protected async Task<CryptoAgent.PeerObserved> MeetAsync(Agent who, MemberInfo peer)
    {
        who.Ref.Tell(new CryptoAgent.ObservePeer(peer));
        return await ExpectMsgAsync<CryptoAgent.PeerObserved>();
    }

    /// <summary>Both introduced to each other, as the relay does when they share a room.</summary>
    protected async Task IntroduceAsync(Agent a, Agent b)
    {
        await MeetAsync(a, b.Info);
        await MeetAsync(b, a.Info);
    }

    /// <summary>Alice (on <paramref name="aliceDir"/>, or a fresh directory) and bob, introduced to each other: how most conversations here begin.</summary>
    protected Task<(Agent Alice, Agent Bob)> StartPairAsync(string? aliceDir = null, CryptoAgent.Options? aliceOptions = null) =>
        StartPairAsync(new KeyDirectory(aliceDir ?? NewDir()), aliceOptions);

    /// <summary>Alice on <paramref name="aliceKeys"/> (a passphrase-protected directory, say) and bob, introduced to each other.</summary>
    protected async Task<(Agent Alice, Agent Bob)> StartPairAsync(KeyDirectory aliceKeys, CryptoAgent.Options? aliceOptions = null)
    {
        var alice = await StartAsync("alice", aliceKeys, aliceOptions);
        var bob = await StartAsync("bob");
        await IntroduceAsync(alice, bob);
        return (alice, bob);
    }

    protected async Task<Envelope> EncryptAsync(Agent from, MemberInfo to, string text, string room = "lobby", bool direct = false)
    {
        from.Ref.Tell(new CryptoAgent.Encrypt(to, room, direct, text, _nextId++));
        return (await ExpectMsgAsync<CryptoAgent.Encrypted>()).Envelope;
    }

    /// <summary>The answer to one Decrypt (Decrypted, DecryptRejected or DecryptHeld).</summary>
    protected async Task<object> DecryptAsync(Agent to, Envelope envelope, MemberInfo from, ulong ticket = 0)
    {
        to.Ref.Tell(new CryptoAgent.Decrypt(envelope, from, ticket));
        var answer = await ExpectMsgAsync<object>(m => m is CryptoAgent.Decrypted or CryptoAgent.DecryptRejected or CryptoAgent.DecryptHeld);
        // Shown before its save: the save's answer follows; the decrypt is done only then.
        if (answer is CryptoAgent.Decrypted { Saved: false } early)
            Assert.Equal(early.Ticket, (await ExpectMsgAsync<CryptoAgent.DecryptSaved>(TimeSpan.FromSeconds(30))).Ticket);
        return answer;
    }

    protected async Task<CryptoAgent.Decrypted> OpenAsync(Agent to, Envelope envelope, MemberInfo from) =>
        Assert.IsType<CryptoAgent.Decrypted>(await DecryptAsync(to, envelope, from));

    /// <summary>Sent by <paramref name="from"/>, decrypted by <paramref name="to"/>: the text that came out.</summary>
    protected async Task<string> SendAsync(Agent from, Agent to, string text) =>
        (await OpenAsync(to, await EncryptAsync(from, to.Info, text), from.Info)).Plaintext.Text;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _dirs.Dispose();
    }
}
