using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Server.Names;
using Entice.Server.Rooms;
using Entice.Server.Store;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Server.Connections;

/// <summary>
/// The protocol side of one client connection: the hello (a signed challenge proves the name's
/// identity), the name claim, room joins and leaves (each room a member actor), envelopes with their rate
/// limit, prekeys, goodbye and the drain before a shutdown. A plain object driven by the connection
/// actor (<see cref="ClientTransportActor"/>) through <see cref="IClientProtocol"/>; it reaches the
/// socket only through <see cref="IClientLink"/>.
/// </summary>
internal sealed class ClientProtocol : IClientProtocol
{
    private readonly IClientLink _link;
    private readonly ServerSettings _settings;
    private readonly IActorRef _names;
    private readonly IActorRef _rooms;
    private readonly IActorRef? _store;
    private readonly byte[] _challenge = RandomNumberGenerator.GetBytes(32);
    private readonly Memberships _memberships;
    private readonly TokenBucket _rate;
    private readonly TokenBucket _joinRate;
    private MemberInfo? _member;
    private bool _goodbyeRequested;
    private bool _shuttingDown;
    private long _lastRateNoticeTicks;
    private long _rateLimited;

    public ClientProtocol(IClientLink link, ServerSettings settings, IActorRef names, IActorRef rooms, IActorRef? store)
    {
        _link = link;
        _settings = settings;
        _names = names;
        _rooms = rooms;
        _store = store;
        _memberships = new Memberships(link);
        _rate = new TokenBucket(settings.EnvelopesPerSecond, settings.EnvelopeBurst, NowTicks());
        _joinRate = new TokenBucket(settings.JoinsPerSecond, settings.JoinBurst, NowTicks());
    }

    public string Name { get; private set; } = "";

    private static long NowTicks() => Environment.TickCount64 * TimeSpan.TicksPerMillisecond;

    public void Start() => _link.Send(new ServerHello(ProtocolVersion.Current, _challenge));

    public void OnHello(Hello hello)
    {
        if (hello.Version != ProtocolVersion.Current)
        {
            _link.Close(ErrorCodes.UnsupportedVersion, $"protocol version {hello.Version} is not supported; this server speaks {ProtocolVersion.Current}", $"version {hello.Version}");
            return;
        }
        if (NameProfile.Problem(hello.Name) is { } problem)
        {
            _link.Close(ErrorCodes.InvalidName, problem, "invalid name");
            return;
        }
        // Signed is not enough: a correctly signed low-order key would reach every peer through the room.
        // Checked first, so the refusal names the key rather than calling the signatures bad.
        if (PublicKeyCheck.Problem(hello.Identity) is { } badKey)
        {
            _link.Close(ErrorCodes.BadHello, $"refused: {badKey}", $"bad key in hello: {badKey}");
            return;
        }
        // Proof of who owns the name: the keys are bound to each other and the challenge is signed.
        // This is the only cryptography on the server; it decrypts nothing.
        if (!IdentitySignatures.VerifyBundle(hello.Identity) ||
            !IdentitySignatures.VerifyHello(hello.Identity.SigningKey, _challenge, hello.Name, hello.ChallengeSignature))
        {
            _link.Close(ErrorCodes.BadHello, "identity signatures do not verify", "bad signatures in hello");
            return;
        }
        Name = hello.Name;
        _member = new MemberInfo(hello.Name, hello.Identity);
        _link.HelloAccepted();
        _names.Tell(new NameRegistry.Claim(hello.Name, hello.Identity.SigningKey, _link.Self));
    }

    public void OnMessage(WireMessage message)
    {
        switch (message)
        {
            case JoinRoom join: OnJoinRoom(join.Room); break;
            case LeaveRoom leave: OnLeaveRoom(leave.Room); break;
            // Stopping: not taken, not refused; the client sends it again wherever it reconnects.
            case Envelope when _shuttingDown: break;
            case Envelope envelope: OnEnvelope(envelope); break;
            case Goodbye: OnGoodbye(); break;
            case StoredAck ack: _store?.Tell(new ServerStore.Delete(Name, ack.Seq)); break;
            // Only usable keys are kept: a low-order one-time prekey would be handed to an initiator.
            case PublishPrekeys publish:
                _store?.Tell(new ServerStore.PublishPrekeys(Name, _member!.Identity.SigningKey,
                    publish.Prekeys.Where(p => PublicKeyCheck.IsUsableX25519(p.PublicKey)).ToList()));
                break;
            case FetchPrekey fetch: OnFetchPrekey(fetch.Name); break;
            default:
                _link.Close(ErrorCodes.BadFrame, $"unexpected {message.GetType().Name} from a client", $"unexpected {message.GetType().Name}");
                break;
        }
    }

    public bool OnReply(object message)
    {
        switch (message)
        {
            case NameRegistry.Claimed claimed: OnClaimed(claimed); return true;
            case NameRegistry.Refused r: _link.Close(r.Code, r.Message, $"name refused: {r.Code}"); return true;
            case NameRegistry.Replaced r:
                _link.Close(ErrorCodes.Replaced, $"{r.Name} connected again from elsewhere; this older connection is closed", "replaced by a newer connection");
                return true;
            case Room.Joined joined:
                _memberships.Add(joined.Room, joined.Member, joined.RoomRef);
                _link.Send(new RoomJoined(joined.Room, joined.Members));
                return true;
            case Room.JoinRefused r: _link.Send(new ErrorMessage(r.Code, r.Message)); return true;
            case ServerStore.PrekeyTaken taken:
                _link.Send(new PrekeyFor(taken.Name, taken.Prekey is { } prekey ? [prekey] : []));
                return true;
            case Room.Drained d:
                _memberships.Drained(d.Room);
                if (_shuttingDown)
                    MaybeCloseForShutdown();
                else
                    MaybeSayGoodbye();
                return true;
            // A watched member actor stopped (its room removed it), or a stale notice: nothing else watches.
            case Terminated t: _memberships.Stopped(t.ActorRef); return true;
            default: return false;
        }
    }

    private void OnClaimed(NameRegistry.Claimed claimed)
    {
        // Only now that the name is ours, and before any room shows us to peers who could fetch a prekey:
        // a previous holder's prekeys would start sessions this identity cannot read.
        // The store runs a name's prekey calls in order, so this comes before any fetch for it.
        _store?.Tell(new ServerStore.BindPrekeys(Name, _member!.Identity.SigningKey));
        _link.Log.Info("{Name} connected from {Remote}", Name, _link.Remote);
        _link.Send(new Welcome(claimed.Name));
        _link.Welcomed();
    }

    // Each join starts or wakes a room actor and each leave may leave one idle: both are rate-limited.
    private bool JoinOrLeaveAllowed(string room)
    {
        if (_joinRate.TryTake(NowTicks()))
            return true;
        _link.Send(new ErrorMessage(ErrorCodes.RateLimited,
            $"slow down: at most {_settings.JoinsPerSecond:0.#} joins and leaves per second; {room} was not joined or left"));
        return false;
    }

    private void OnJoinRoom(string room)
    {
        if (!JoinOrLeaveAllowed(room))
            return;
        if (NameProfile.Problem(room, room: true) is { } problem)
        {
            _link.Send(new ErrorMessage(ErrorCodes.InvalidRoom, problem));
            return;
        }
        if (!_memberships.Contains(room) && _memberships.Count >= _settings.MaxRoomsPerClient)
        {
            _link.Send(new ErrorMessage(ErrorCodes.TooManyRooms, $"you are in {_memberships.Count} rooms, the most this server allows; leave one first"));
            return;
        }
        _rooms.Tell(new Room.Join(room, _member!, _link.Self));
    }

    private void OnLeaveRoom(string room)
    {
        if (!JoinOrLeaveAllowed(room))
            return;
        if (!_memberships.Leave(room))
            _link.Send(new ErrorMessage(ErrorCodes.NotInRoom, $"you are not in room {room}"));
    }

    // Handing out a prekey uses it up for good, so asking counts against the rate limit like an envelope.
    private void OnFetchPrekey(string name)
    {
        if (!_rate.TryTake(NowTicks()) || !Entice.Wire.Names.IsValidName(name) || _store is null)
        {
            _link.Send(new PrekeyFor(name, []));
            return;
        }
        _store.Ask<ServerStore.PrekeyTaken>(new ServerStore.TakePrekey(name), _settings.StoreAnswerTimeout)
            .PipeTo(_link.Self, failure: _ => new ServerStore.PrekeyTaken(name, null));
    }

    private void OnEnvelope(Envelope envelope)
    {
        var now = NowTicks();
        if (!_rate.TryTake(now))
        {
            // Refused, and said so at most once a second: the error must not become a flood of its own.
            _rateLimited++;
            if (now - _lastRateNoticeTicks >= TimeSpan.TicksPerSecond)
            {
                _lastRateNoticeTicks = now;
                _link.Log.Warning("{Name} is over the rate limit ({Refused} envelopes refused so far)", Name, _rateLimited);
                _link.Send(new ErrorMessage(ErrorCodes.RateLimited,
                    $"slow down: at most {_settings.EnvelopesPerSecond:0} envelopes per second; envelope {envelope.Id} and others were not delivered"));
            }
            return;
        }
        // Straight to the room (no hop through the member actor), stamped with the name this connection
        // proved: a client cannot speak as someone else. The room checks it comes from this connection.
        if (_memberships.TryGetRoom(envelope.Room, out var room))
            room.Tell(new Room.Route(envelope.Sender == Name ? envelope : envelope with { Sender = Name }), _link.Self);
        else
            _link.Send(new EnvelopeRefused(envelope.Id, ErrorCodes.NotInRoom, $"join room {envelope.Room} before sending to it"));
    }

    // The server is stopping. First the client becomes away in each room, so whatever is routed to it
    // from now on is kept for it (here or in the shared store) instead of being written to a connection
    // about to close; once every room confirms, what they sent before is in the connection's mailbox,
    // queued ahead of the shutdown notice.
    public void OnShutdown()
    {
        if (_memberships.Count == 0)
        {
            MaybeCloseForShutdown();
            return;
        }
        _shuttingDown = true;
        _memberships.DrainAll(self => new Member.Away(self));
    }

    private void MaybeCloseForShutdown()
    {
        if (!_memberships.Draining)
            _link.Close(ErrorCodes.ServerShutdown, "the server is shutting down; reconnect later or to another server", "server shutdown");
    }

    // Goodbye is answered only after every room has routed what this client sent before it, so a
    // client that exits on GoodbyeAck knows its last messages are on their way.
    private void OnGoodbye()
    {
        _goodbyeRequested = true;
        _memberships.DrainAll(self => new Member.Drain(self));
        MaybeSayGoodbye();
    }

    private void MaybeSayGoodbye()
    {
        if (!_goodbyeRequested || _memberships.Draining)
            return;
        _goodbyeRequested = false;
        _link.Send(new GoodbyeAck());
        _link.CloseWhenSent();
    }
}
