using Akka.Actor;
using Akka.Event;
using Entice.Crypto;
using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// One state. Owns the identity, a signed prekey made fresh for this run (so ciphertext recorded
/// before a restart cannot be replayed into this run), the pairwise sessions and the pin store.
/// Logs never include plaintext, keys or ciphertext: only names and outcomes.
/// </summary>
internal sealed class CryptoAgentActor : ReceiveActor
{
    private const int MaxHeldPerPeer = 256;

    private readonly string _name;
    private readonly IdentityKeys _identity;
    private readonly KeyDirectory _keys;
    private readonly SignedPrekey _prekey;
    private readonly SessionBook _sessions;
    private readonly IdentityBundle _bundle;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _blocked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<CryptoAgent.Decrypt>> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _sendSequence = new(StringComparer.Ordinal);

    public CryptoAgentActor(string name, IdentityKeys identity, KeyDirectory keys, int maxSkip)
    {
        _name = name;
        _identity = identity;
        _keys = keys;
        _prekey = SignedPrekey.Create(identity, (uint)Random.Shared.Next(1, int.MaxValue));
        _sessions = new SessionBook(identity, name, _prekey, maxSkip);
        _bundle = Bundles.CreateBundle(identity, _prekey);

        Receive<CryptoAgent.GetIdentity>(_ => Sender.Tell(new CryptoAgent.IdentityInfo(_bundle, _identity.Public.Fingerprint)));
        Receive<CryptoAgent.SignHello>(s => Sender.Tell(new CryptoAgent.HelloSigned(IdentitySignatures.SignHello(_identity, s.Challenge, _name))));
        Receive<CryptoAgent.ObservePeer>(o => Sender.Tell(new CryptoAgent.PeerObserved(o.Peer.Name, Observe(o.Peer))));
        Receive<CryptoAgent.Encrypt>(OnEncrypt);
        Receive<CryptoAgent.Decrypt>(d => Sender.Tell(OnDecrypt(d)));
        Receive<CryptoAgent.ComputeSafetyNumber>(c => Sender.Tell(new CryptoAgent.SafetyNumberComputed(c.Peer.Name,
            SafetyNumber.ForIdentities(_identity.Public, _name, PublicIdentity.FromBundle(c.Peer.Identity), c.Peer.Name))));
        Receive<CryptoAgent.Trust>(OnTrust);
    }

    protected override void PostStop()
    {
        _sessions.Dispose();
        _prekey.Dispose();
        _identity.Dispose();
    }

    private PeerKeyStatus Observe(MemberInfo peer)
    {
        if (!IdentitySignatures.VerifyBundle(peer.Identity))
        {
            _log.Warning("Keys announced for {Peer} do not verify; refusing them", peer.Name);
            _blocked.Add(peer.Name);
            return PeerKeyStatus.Invalid;
        }
        switch (_keys.Pins.Check(peer.Name, PublicIdentity.FromBundle(peer.Identity)))
        {
            case PinStatus.New:
                return PeerKeyStatus.New;
            case PinStatus.Same:
                return _blocked.Contains(peer.Name) ? PeerKeyStatus.Changed : PeerKeyStatus.Known;
            default:
                _log.Warning("The identity key of {Peer} changed; nothing is sent to them until the user trusts it", peer.Name);
                _blocked.Add(peer.Name);
                _sessions.ForgetPeer(peer.Name);
                return PeerKeyStatus.Changed;
        }
    }

    private void OnEncrypt(CryptoAgent.Encrypt e)
    {
        var to = e.Recipient.Name;
        if (_blocked.Contains(to) || _keys.Pins.Check(to, PublicIdentity.FromBundle(e.Recipient.Identity)) == PinStatus.Changed)
        {
            _blocked.Add(to);
            Sender.Tell(new CryptoAgent.EncryptRefused(to, ErrorCodes.UntrustedKey,
                $"not sent to {to}: their key changed. Compare safety numbers (/verify {to}), then /trust {to} to accept it"));
            return;
        }

        var sequence = _sendSequence.GetValueOrDefault(to) + 1;
        _sendSequence[to] = sequence;
        var plaintext = new ChatPlaintext(sequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), e.Text).Encode();
        var context = new MessageContext(e.Room, _name, to, e.Direct);
        var ciphertext = _sessions.Encrypt(new PeerKeys(to, e.Recipient.Identity), context, plaintext);
        Array.Clear(plaintext);
        Sender.Tell(new CryptoAgent.Encrypted(new Envelope(e.Room, _name, to, e.EnvelopeId, e.Direct, ciphertext)));
    }

    private object OnDecrypt(CryptoAgent.Decrypt d)
    {
        var from = d.Sender.Name;
        if (_blocked.Contains(from))
        {
            var queue = _held.TryGetValue(from, out var q) ? q : _held[from] = new Queue<CryptoAgent.Decrypt>();
            if (queue.Count < MaxHeldPerPeer)
                queue.Enqueue(d);
            return new CryptoAgent.DecryptHeld(from, d.Ticket);
        }

        var env = d.Envelope;
        // The recipient in the context is always us: a message routed to someone else must not open.
        var context = new MessageContext(env.Room, from, _name, env.Direct);
        var result = _sessions.Decrypt(new PeerKeys(from, d.Sender.Identity), context, env.Ciphertext);
        if (!result.Succeeded)
        {
            _log.Warning("Rejected envelope {EnvelopeId} from {Peer}: {Failure}", env.Id, from, result.Failure);
            var code = result.Failure == DecryptFailure.Replay ? ErrorCodes.Replay : ErrorCodes.DecryptFailed;
            return new CryptoAgent.DecryptRejected(from, code, Describe(result.Failure.Value, from), d.Ticket);
        }
        if (!ChatPlaintext.TryDecode(result.Plaintext, out var plaintext))
            return new CryptoAgent.DecryptRejected(from, ErrorCodes.DecryptFailed, $"a message from {from} decrypted to something unreadable", d.Ticket);
        return new CryptoAgent.Decrypted(env.Room, from, env.Direct, plaintext, d.Ticket);
    }

    private void OnTrust(CryptoAgent.Trust t)
    {
        var name = t.Peer.Name;
        if (!IdentitySignatures.VerifyBundle(t.Peer.Identity))
        {
            Sender.Tell(new CryptoAgent.EncryptRefused(name, ErrorCodes.UntrustedKey, $"the keys announced for {name} do not verify and cannot be trusted"));
            return;
        }
        _keys.Pins.Accept(name, PublicIdentity.FromBundle(t.Peer.Identity));
        _blocked.Remove(name);
        _sessions.ForgetPeer(name);
        Sender.Tell(new CryptoAgent.TrustAccepted(name));
        if (_held.Remove(name, out var held))
        {
            foreach (var d in held)
                Sender.Tell(OnDecrypt(d with { Sender = t.Peer }));
        }
    }

    private static string Describe(DecryptFailure failure, string from) => failure switch
    {
        DecryptFailure.Replay => $"a message from {from} was a replay of one already shown; ignored",
        DecryptFailure.TooFarAhead => $"a message from {from} is too far ahead of the conversation; ignored",
        DecryptFailure.UnknownPrekey => $"a message from {from} was for an earlier run of this client and cannot be read",
        _ => $"a message from {from} failed authentication (altered or forged); not shown",
    };
}
