using System.Threading.Channels;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// The lines a session writes to a line transport (stdin/stdout: one connection, so answers and
/// notifications go the same way). A transport whose reader falls behind (its channel is full) loses
/// lines rather than memory: they are counted, and a "dropped" notification says how many once there is
/// room again.
/// </summary>
internal sealed class JsonRpcOutput(ChannelWriter<string> output) : IJsonRpcOutput
{
    private long _dropped;

    public void Answer(long connection, string line) => Write(line);

    public void Notify(string line) => Write(line);

    public void Write(string line)
    {
        if (_dropped > 0)
        {
            var dropped = JsonRpcLines.Notification("dropped", w => w.WriteNumber("lines", _dropped));
            if (!output.TryWrite(dropped))
            {
                _dropped++;
                return;
            }
            _dropped = 0;
        }
        if (!output.TryWrite(line))
            _dropped++;
    }

    /// <summary>No more lines: the transport's reader ends after those written.</summary>
    public void Complete() => output.TryComplete();
}
