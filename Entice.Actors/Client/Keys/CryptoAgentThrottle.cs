namespace Entice.Client.Keys;

/// <summary>
/// Bounds the work a peer (or a relay speaking in its name) can make the crypto actor do with messages that
/// would start a session: each costs an X3DH (four DHs), a DH ratchet step and chain steps before anything
/// is authenticated. After <c>freeFailures</c> such messages in a row fail, at most one more is tried per
/// <c>interval</c>; the others are refused unread (visible). A message that decrypts clears the record.
/// Messages on sessions we already hold are never throttled. Bounded: at most <see cref="MaxPeers"/> records.
/// </summary>
internal sealed class CryptoAgentThrottle(int freeFailures, TimeSpan interval, Func<DateTimeOffset> clock)
{
    public const int MaxPeers = 4096;

    private readonly Dictionary<string, (int Failures, DateTimeOffset NextTry)> _peers = new(StringComparer.Ordinal);

    /// <summary>May an expensive attempt for this peer be made now?</summary>
    public bool MayTry(string peer) =>
        !_peers.TryGetValue(peer, out var record) || record.Failures < freeFailures || clock() >= record.NextTry;

    public void Failed(string peer)
    {
        if (!_peers.ContainsKey(peer) && _peers.Count >= MaxPeers)
            _peers.Clear();
        var failures = _peers.TryGetValue(peer, out var record) ? record.Failures + 1 : 1;
        _peers[peer] = (failures, failures >= freeFailures ? clock() + interval : record.NextTry);
    }

    public void Succeeded(string peer) => _peers.Remove(peer);
}
