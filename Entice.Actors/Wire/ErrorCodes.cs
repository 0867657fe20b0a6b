namespace Entice.Wire;

/// <summary>Stable error codes: clients and scripts match on these, so never rename one.</summary>
public static class ErrorCodes
{
    public const string BadFrame = "bad_frame";
    public const string FrameTooLarge = "frame_too_large";
    public const string UnsupportedVersion = "unsupported_version";
    public const string BadHello = "bad_hello";
    public const string NotAuthenticated = "not_authenticated";
    public const string InvalidName = "invalid_name";
    public const string NameTaken = "name_taken";
    public const string InvalidRoom = "invalid_room";
    public const string NotInRoom = "not_in_room";
    public const string NoSuchMember = "no_such_member";
    public const string Overloaded = "overloaded";
    public const string HandshakeTimeout = "handshake_timeout";
    public const string IdleTimeout = "idle_timeout";
    public const string RateLimited = "rate_limited";
    public const string TooManyRooms = "too_many_rooms";
    public const string RoomFull = "room_full";
    public const string ServerShutdown = "server_shutdown";
    public const string RecipientFull = "recipient_full";
    /// <summary>The sender has as many envelopes waiting for away members as one sender may (offline.max-per-sender).</summary>
    public const string SenderFull = "sender_full";
    public const string Replaced = "replaced";
    /// <summary>The name belongs to another identity (it claimed it first); released by its owner, the operator or disuse.</summary>
    public const string NameOwned = "name_owned";
    /// <summary>The name looks like one that belongs to another identity ("аlice" with a Cyrillic а beside "alice").</summary>
    public const string NameConfusable = "name_confusable";

    /// <summary>The server refused the name itself: nothing to retry with the same name (a client exits 2).</summary>
    public static bool IsNameRefusal(string code) => code is NameTaken or NameOwned or NameConfusable or InvalidName;

    // Raised by clients, never sent by a server.
    public const string DecryptFailed = "decrypt_failed";
    public const string Replay = "replay";
    public const string UntrustedKey = "untrusted_key";
    public const string ServerUnreachable = "server_unreachable";
    /// <summary>Client-side: the server presented another key than the one given or pinned for its address.</summary>
    public const string ServerKeyChanged = "server_key_changed";
    public const string Disconnected = "disconnected";
    public const string UnknownCommand = "unknown_command";
    public const string MessageTooLong = "message_too_long";
    public const string BadRoster = "bad_roster";
    public const string NotDelivered = "not_delivered";
    public const string ActorFailed = "actor_failed";
}
