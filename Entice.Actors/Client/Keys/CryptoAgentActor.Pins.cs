using Akka.Event;
using Entice.Wire;
using Entice.Crypto.Identity;

namespace Entice.Client.Keys;

/// <summary>
/// Pins and identity: trust on first use, a changed key blocks the peer (nothing is sent to them, their
/// messages are held unread) until the user trusts it; a verification is recorded only for the pinned key.
/// Keys that do not verify are refused without touching the pin, so one bad announcement cannot turn into a
/// false KEY CHANGED. A pin change shows at once in memory; its append goes to the key writer and the answer that depends on it
/// waits for it, like every save (see the actor's header).
/// </summary>
internal sealed partial class CryptoAgentActor
{
    private readonly HashSet<string> _blocked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<CryptoAgent.Decrypt>> _heldFromBlocked = new(StringComparer.Ordinal);

    private void OnObservePeer(CryptoAgent.ObservePeer o)
    {
        var status = Observe(o.Peer);
        var verified = status is PeerKeyStatus.New or PeerKeyStatus.Known && _keys.Pins.IsVerified(o.Peer.Name);
        var needsSession = status is PeerKeyStatus.New or PeerKeyStatus.Known
            && !_offered.ContainsKey(o.Peer.Name) && _sessions.NeedsNewSession(new PeerKeys(o.Peer.Name, o.Peer.Identity));
        Answer(new CryptoAgent.PeerObserved(o.Peer.Name, status, verified, needsSession));
    }

    private PeerKeyStatus Observe(MemberInfo peer)
    {
        if (!IdentitySignatures.VerifyBundle(peer.Identity))
        {
            // Refused, and nothing else: the pin and the block list stay as they were, so the relay cannot turn
            // one bad announcement into a false KEY CHANGED for the valid keys that follow.
            _log.Warning("Keys announced for {Peer} do not verify or are unusable; refusing them", peer.Name);
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
                Changed();
                return PeerKeyStatus.Changed;
        }
    }

    // Only the key the user compared can be marked: the pinned one, which must be the one announced now.
    private void OnMarkVerified(CryptoAgent.MarkVerified m)
    {
        var name = m.Peer.Name;
        if (_blocked.Contains(name) || _keys.Pins.Check(name, PublicIdentity.FromBundle(m.Peer.Identity)) != PinStatus.Same)
        {
            Answer(new CryptoAgent.VerificationRefused(name, $"the key of {name} changed; compare the new safety number (/verify {name}) and /trust {name} first"));
            return;
        }
        _keys.Pins.MarkVerified(name);
        Answer(new CryptoAgent.VerificationRecorded(name));
    }

    private void OnTrust(CryptoAgent.Trust t)
    {
        var name = t.Peer.Name;
        if (!IdentitySignatures.VerifyBundle(t.Peer.Identity))
        {
            Answer(new CryptoAgent.EncryptRefused(name, ErrorCodes.UntrustedKey, $"the keys announced for {name} do not verify and cannot be trusted"));
            return;
        }
        _keys.Pins.Accept(name, PublicIdentity.FromBundle(t.Peer.Identity));
        _blocked.Remove(name);
        // Our sender keys were not given to the key we refused until now: the next room message makes new ones.
        DropOwnSenderKeys();
        _sessions.ForgetPeer(name);
        // A one-time prekey fetched for this name before is the previous identity's: a session started
        // with it could not be read by the new one.
        _offered.Remove(name);
        _staleFailures.Remove(name);
        _reset.Remove(name);
        Changed();
        Answer(new CryptoAgent.TrustAccepted(name));
        if (_heldFromBlocked.Remove(name, out var held))
        {
            foreach (var d in held)
                Answer(OnDecrypt(d with { Sender = t.Peer }));
        }
    }
}
