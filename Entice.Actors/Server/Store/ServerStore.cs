using Akka.Actor;
using Entice.Wire;

namespace Entice.Server.Store;

/// <summary>
/// The relay's durable state as an actor: rooms, transports, the name registry and the janitor send it
/// requests and hear the answer as a message; none of them touches the database. Requests with the same
/// <see cref="Request.Key"/> (one room, one name, one node) run one after another in the order sent;
/// requests with different keys run side by side on <see cref="DispatcherId"/>, a dispatcher of its own,
/// so a slow database slows only those who wait for it. Requests that need no answer get none.
/// </summary>
public static class ServerStore
{
    /// <summary>The dispatcher the store's workers run on (hocon/server.conf): no store call ever runs on the default one.</summary>
    public const string DispatcherId = "entice.store-dispatcher";

    /// <param name="open">Opens the database; called once, on the store's dispatcher.</param>
    /// <param name="workers">Calls that may run at once (SQLite has one writer, PostgreSQL a pool).</param>
    /// <param name="calls">How a worker runs a request; a test wraps it (e.g. to add latency). Null: the request runs as is.</param>
    public static Props Props(Func<OfflineStore> open, int workers, Func<Request, OfflineStore, object?>? calls = null) =>
        Akka.Actor.Props.Create(() => new StoreActor(open, Math.Max(1, workers), calls ?? ((r, s) => r.Run(s)))).WithDispatcher(DispatcherId);

    /// <summary>Told to the parent when the database cannot be opened; the store then answers nothing.</summary>
    public sealed record OpenFailed(string Reason);

    /// <summary>Told to the parent once the database is open (the relay says it listens only after this).</summary>
    public sealed record Opened;

    /// <summary>One call on the store. <see cref="Key"/> orders it after earlier requests with the same key.</summary>
    public abstract record Request
    {
        internal abstract string Key { get; }

        /// <summary>Runs the call; the result (if not null) is the answer sent to the requester.</summary>
        internal abstract object? Run(OfflineStore store);
    }

    // ---- Rooms: the members they remember and the envelopes kept for those away ----

    /// <summary>Answered with <see cref="MembersLoaded"/>: the room's remembered members after trimming (see <see cref="OfflineStore.TrimmedMembers"/>).</summary>
    /// <param name="AllAway">A lone node's room starting: everyone it remembers is away from now on (see <see cref="OfflineStore.TrimmedMembers"/>).</param>
    public sealed record LoadMembers(string Room, DateTimeOffset SeenSince, int KeepAtMost, bool AllAway = false) : Request
    {
        internal override string Key => RoomKey(Room);

        internal override object Run(OfflineStore store) => new MembersLoaded(Room, store.TrimmedMembers(Room, SeenSince, KeepAtMost, AllAway));
    }

    public sealed record MembersLoaded(string Room, IReadOnlyList<(MemberInfo Member, DateTimeOffset SeenAt)> Members);

    /// <summary>Answered with <see cref="MemberFound"/>: whether the room remembers <paramref name="Name"/>.</summary>
    public sealed record FindMember(string Room, string Name) : Request
    {
        internal override string Key => RoomKey(Room);

        internal override object Run(OfflineStore store) => new MemberFound(store.Members(Room).FirstOrDefault(m => m.Name == Name));
    }

    public sealed record MemberFound(MemberInfo? Member);

    public sealed record RememberMember(string Room, MemberInfo Member) : Request
    {
        internal override string Key => RoomKey(Room);

        internal override object? Run(OfflineStore store)
        {
            store.RememberMember(Room, Member);
            return null;
        }
    }

    public sealed record ForgetMember(string Room, string Name) : Request
    {
        internal override string Key => RoomKey(Room);

        internal override object? Run(OfflineStore store)
        {
            store.ForgetMember(Room, Name);
            return null;
        }
    }

    public sealed record MarkAway(string Room, string Name) : Request
    {
        internal override string Key => RoomKey(Room);

        internal override object? Run(OfflineStore store)
        {
            store.MarkAway(Room, Name);
            return null;
        }
    }

    /// <summary>Answered with <see cref="Enqueued"/> once the envelope is committed (or refused); a room-wide one (no recipient) goes to the room's log.</summary>
    public sealed record Enqueue(string Room, Envelope Envelope) : Request
    {
        internal override string Key => RoomKey(Room);

        internal override object Run(OfflineStore store)
        {
            if (Envelope.Recipient.Length == 0) // refused only by the sender's quotas
                return store.EnqueueForRoom(Room, Envelope) ? new Enqueued(true, false) : new Enqueued(false, true);
            return store.Enqueue(Room, Envelope.Recipient, Envelope)
                ? new Enqueued(true, false)
                : new Enqueued(false, store.SenderQuotaReached(Envelope.Sender));
        }
    }

    /// <param name="Kept">Committed: it survives a crash.</param>
    /// <param name="SenderFull">Not kept because its sender has as many waiting as one sender may (otherwise: the recipient's queue is full).</param>
    public sealed record Enqueued(bool Kept, bool SenderFull);

    /// <summary>Answered with <see cref="PendingFound"/>: what waits for <paramref name="Recipient"/> in the room, oldest first.</summary>
    public sealed record Pending(string Room, string Recipient) : Request
    {
        internal override string Key => RoomKey(Room);

        internal override object Run(OfflineStore store) => new PendingFound(Recipient, store.Pending(Room, Recipient));
    }

    public sealed record PendingFound(string Recipient, IReadOnlyList<StoredEnvelope> Envelopes);

    /// <summary>The recipient handled a stored envelope: delete it (only the recipient's own).</summary>
    public sealed record Delete(string Recipient, ulong Seq) : Request
    {
        internal override string Key => "recipient:" + Recipient;

        internal override object? Run(OfflineStore store)
        {
            store.Delete(Recipient, Seq);
            return null;
        }
    }

    // ---- Prekeys ----

    public sealed record BindPrekeys(string Name, byte[] Owner) : Request
    {
        internal override string Key => PrekeyKey(Name);

        internal override object? Run(OfflineStore store)
        {
            store.BindPrekeys(Name, Owner);
            return null;
        }
    }

    public sealed record PublishPrekeys(string Name, byte[] Owner, IReadOnlyList<OneTimePrekey> Prekeys) : Request
    {
        internal override string Key => PrekeyKey(Name);

        internal override object? Run(OfflineStore store)
        {
            store.PublishPrekeys(Name, Owner, Prekeys);
            return null;
        }
    }

    /// <summary>Answered with <see cref="PrekeyTaken"/>: one of the name's one-time prekeys, used up.</summary>
    public sealed record TakePrekey(string Name) : Request
    {
        internal override string Key => PrekeyKey(Name);

        internal override object Run(OfflineStore store) => new PrekeyTaken(Name, store.TakePrekey(Name));
    }

    public sealed record PrekeyTaken(string Name, OneTimePrekey? Prekey);

    // ---- Names: ownership and which node holds an online name ----

    /// <summary>
    /// Answered with <see cref="NameDecided"/>: ownership first when <paramref name="UnusedFor"/> is set
    /// (see <see cref="OfflineStore.OwnName"/>), then the cluster-wide claim through <paramref name="Node"/> when set.
    /// </summary>
    public sealed record ClaimName(string Name, string Skeleton, byte[] Identity, TimeSpan? UnusedFor, string? Node) : Request
    {
        internal override string Key => NameKey(Name);

        internal override object Run(OfflineStore store)
        {
            if (UnusedFor is { } unused && store.OwnName(Name, Skeleton, Identity, unused) is { Result: not NameOwnershipResult.Owned } refused)
                return new NameDecided(Name, refused, null);
            return new NameDecided(Name, null, Node is null ? null : store.ClaimName(Name, Identity, Node));
        }
    }

    /// <param name="Refused">Another identity owns the name (or one that looks the same); null when owned or ownership is off.</param>
    /// <param name="Shared">The cluster-wide claim's answer; null when there is none (refused, or a lone node).</param>
    public sealed record NameDecided(string Name, NameOwnership? Refused, NameClaim? Shared);

    public sealed record ReleaseName(string Name, string Node) : Request
    {
        internal override string Key => NameKey(Name);

        internal override object? Run(OfflineStore store)
        {
            store.ReleaseName(Name, Node);
            return null;
        }
    }

    /// <summary>Answered with <see cref="NodeReleased"/>: every name held through <paramref name="Node"/> is free.</summary>
    public sealed record ReleaseNode(string Node) : Request
    {
        internal override string Key => "node:" + Node;

        internal override object Run(OfflineStore store) => new NodeReleased(Node, store.ReleaseNode(Node));
    }

    public sealed record NodeReleased(string Node, int Count);

    private static string RoomKey(string room) => "room:" + room;

    private static string NameKey(string name) => "name:" + name;

    private static string PrekeyKey(string name) => "prekeys:" + name;
}
