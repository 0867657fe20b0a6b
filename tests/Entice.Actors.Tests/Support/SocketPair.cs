using System.Net;
using System.Net.Sockets;

namespace Entice.Tests.Support;

/// <summary>
/// A real loopback TCP connection made in-process, for driving a server-side transport actor over its
/// own socket: the accepted end goes to the transport (which owns it from then on), the other end is a
/// plaintext <see cref="RawClient"/> the spec writes and reads frames on.
/// </summary>
internal static class SocketPair
{
    /// <summary>Listens on 127.0.0.1 port 0, connects and accepts.</summary>
    public static async Task<(Socket Accepted, RawClient Client)> OpenAsync()
    {
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen(1);
        var accept = listening.AcceptAsync();
        var client = await RawClient.ConnectAsync((IPEndPoint)listening.LocalEndPoint!, plaintext: true);
        return (await accept.WaitAsync(TimeSpan.FromSeconds(10)), client);
    }

    /// <summary>
    /// Waits until the accepted end has nothing unread in the kernel (its owner took what was sent into a
    /// read) or is closed, so the next bytes sent arrive as a read of their own. Fails the test after 10 s.
    /// </summary>
    public static async Task ReadByServerAsync(Socket accepted)
    {
        var deadline = Environment.TickCount64 + 10_000;
        for (var spins = 0; Environment.TickCount64 < deadline; spins++)
        {
            try
            {
                if (accepted.Available == 0)
                    return;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }
            if (spins < 100)
                await Task.Yield(); // usually a matter of microseconds
            else
                await Task.Delay(1);
        }
        Assert.Fail("the server did not read what was sent within 10 s");
    }
}
