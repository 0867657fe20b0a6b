
namespace Entice.Crypto.Ratchet;

/// <summary>The set of sessions per peer: adding (with the per-peer cap), removing, forgetting a peer.</summary>
public sealed partial class SessionBook
{
    /// <summary>Drop every session with this peer and its skipped keys; replays of its old messages stay refused.</summary>
    public void ForgetPeer(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(name);
        foreach (var id in sessions.Keys.Where(id => id.Peer == name).ToList())
        {
            RemoveSession(id);
        }

        sendingTo.Remove(name);
        lastSessionId.Remove(name);
    }

    private void AddSession(RatchetSession session)
    {
        session.Sequence = nextSequence++;
        sessions.Add(session.Id, session);
        var sending = sendingTo.GetValueOrDefault(session.Peer);
        var surplus = sessions.Values
            .Where(other => other.Peer == session.Peer && other.Id != sending && other.Id != session.Id)
            .OrderBy(other => other.Sequence)
            .Take(Math.Max(0, SessionCount(session.Peer) - MaxSessionsPerPeer))
            .Select(other => other.Id)
            .ToList();
        surplus.ForEach(RemoveSession);
    }

    private void RemoveSession(SessionId id)
    {
        if (!sessions.Remove(id, out var session))
        {
            return;
        }

        if (!session.WeInitiated)
        {
            retired[id] = session.Prekeys.SignedPrekeyId;
        }

        skipped.RemoveWhere(owner => owner == id);
        session.Dispose();
    }
}
