namespace Entice.Client.History;

/// <summary>How far an own message got: taken by the server (✓), read by a recipient's client (✓✓).</summary>
public enum Delivery : byte
{
    None = 0,
    Sent = 1,
    Delivered = 2,
}

/// <summary>
/// One message of a conversation as the client showed it, kept on disk (sealed). <paramref name="Conversation"/>
/// is <c>#room</c> or <c>@peer</c>; <paramref name="Id"/> is this client's own id for the record (state
/// changes of own messages refer to it); <paramref name="From"/> and <paramref name="Text"/> are as shown
/// (peer text already made visible).
/// </summary>
public sealed record KeptMessage(string Id, string Conversation, string From, string Text, DateTimeOffset At, bool Own, bool Direct, Delivery Delivery)
{
    /// <summary>The conversation key of a room.</summary>
    public static string Room(string name) => "#" + name;

    /// <summary>The conversation key of a direct conversation.</summary>
    public static string DirectWith(string peer) => "@" + peer;

    /// <summary>
    /// The id a received message is kept under: its envelope's (authenticated, chosen by the sender), so a copy of
    /// it delivered again after a crash (shown before its key state was saved) is known (issue 17).
    /// </summary>
    public static string ReceivedId(ulong envelopeId) => "e:" + envelopeId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether this is a received message kept under <see cref="ReceivedId"/>.</summary>
    public bool KeptByEnvelope => !Own && Id.StartsWith("e:", StringComparison.Ordinal);

    // Never print the text.
    public override string ToString() => $"KeptMessage {{ Id = {Id}, Conversation = {Conversation}, From = {From}, At = {At:O}, Own = {Own}, Delivery = {Delivery} }}";
}
