using System.Net.WebSockets;
using Akka.TestKit.Xunit2;
using Entice.ClientNode.Ui.Web;
using Entice.Tests.Support;

namespace Entice.Tests.Ui.Web;

/// <summary>
/// A page that stops reading (a frozen tab, a hostile local page that got in) costs at most
/// max-queued-messages messages: past that its socket is cut off, the others keep going.
/// </summary>
public sealed class WebConnectionSpecs : TestKit
{
    // A socket whose peer never reads (stuck: every send waits until cancelled) or reads at once; nothing is ever received.
    private sealed class StuckSocket(bool stuck = true) : WebSocket
    {
        public bool Aborted { get; private set; }

        public int Sends { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => Aborted ? WebSocketState.Aborted : WebSocketState.Open;

        public override string? SubProtocol => WebServer.Protocol;

        public override void Abort() => Aborted = true;

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new OperationCanceledException();
        }

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Sends++;
            if (stuck)
                await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    [Fact]
    public async Task A_page_that_stops_reading_is_cut_off_once_its_queue_is_full_and_the_other_tabs_go_on()
    {
        var settings = WebSettings.Default with { MaxQueuedMessages = 16 };
        var connections = new WebConnections(settings);
        var stuck = new StuckSocket();
        var slow = connections.Open(stuck)!;
        var run = slow.RunAsync(TestActor, CancellationToken.None);
        var healthy = new StuckSocket(stuck: false);
        var other = connections.Open(healthy)!;
        var otherRun = other.RunAsync(TestActor, CancellationToken.None);

        // one message is in the socket's send, 16 wait: all kept
        // (the tab that reads takes each before the next comes)
        for (var i = 0; i < 17; i++)
        {
            connections.Notify($"{{\"n\":{i}}}");
            var sent = i + 1;
            await Eventually.HoldsAsync(() => Task.FromResult(healthy.Sends == sent && stuck.Sends == 1));
        }
        Assert.False(slow.Overflowed);
        Assert.False(stuck.Aborted);

        connections.Notify("{\"n\":17}"); // one more than fits: cut off
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(slow.Overflowed);
        Assert.True(stuck.Aborted);
        connections.Closed(slow);
        Assert.Equal(1, connections.Overflows);
        Assert.Equal(1, connections.Count);
        Assert.False(other.Overflowed); // the queue is per socket: the tab that reads got everything
        Assert.False(healthy.Aborted);
        await Eventually.HoldsAsync(() => Task.FromResult(healthy.Sends == 18));
        other.Complete();
        await otherRun.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
