using Akka.Actor;
using Akka.Event;

namespace Entice.Client.Memory;

/// <summary>Two states: idle, and writing (changes meanwhile are written once the write is done).</summary>
internal sealed class MemoryKeeperActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _keyDir;
    private ClientMemory _memory;
    private bool _dirty;

    public MemoryKeeperActor(string keyDir, ClientMemory initial)
    {
        _keyDir = keyDir;
        _memory = initial;
        Idle();
    }

    private void Idle()
    {
        Receive<ChatEvent>(e =>
        {
            Observe(e);
            if (_dirty)
                StartWrite();
        });
    }

    private void Writing()
    {
        Receive<ChatEvent>(Observe);
        Receive<Written>(w =>
        {
            if (w.Error is { } error)
                _log.Warning("Could not remember the rooms in {Dir}: {Error}", _keyDir, error);
            Become(Idle);
            if (_dirty)
                StartWrite();
        });
    }

    private void Observe(ChatEvent e)
    {
        var next = e switch
        {
            ReadyEvent r => _memory.Joined(r.Room),
            RoomEnteredEvent r => _memory.Joined(r.Room),
            RoomExitedEvent r => _memory.Left(r.Room),
            _ => _memory,
        };
        if (ReferenceEquals(next, _memory))
            return;
        _memory = next;
        _dirty = true;
    }

    private void StartWrite()
    {
        _dirty = false;
        var snapshot = _memory;
        var dir = _keyDir;
        Task.Run(() =>
        {
            try
            {
                snapshot.Save(dir);
                return new Written(null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new Written(ex.Message);
            }
        }).PipeTo(Self);
        Become(Writing);
    }

    private sealed record Written(string? Error);
}
