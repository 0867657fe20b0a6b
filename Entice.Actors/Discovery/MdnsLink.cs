using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Makaretu.Dns;

namespace Entice.Discovery;

/// <summary>
/// <see cref="IMdnsLink"/> over UDP sockets, IPv4 only: one socket on 0.0.0.0:5353 that joins
/// 224.0.0.251 on each chosen interface and keeps only what arrives on those interfaces (IP_PKTINFO),
/// and one sender per interface address (bound to it, IP_MULTICAST_IF set), so nothing is sent on an
/// interface that was not chosen. DNS messages are read and written by Makaretu.Dns.
/// (Makaretu.Dns.Multicast 0.27.0 restores here but cannot start on .NET 10: its static constructor
/// needs IPNetwork2 2.x, and only 5.x, which renamed the type, is available.)
/// </summary>
public sealed class MdnsLink : IMdnsLink
{
    /// <summary>The largest multicast DNS message (RFC 6762 section 17); longer datagrams are cut and fail to parse.</summary>
    public const int MaxMessageBytes = 9000;

    private static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");
    private const int Port = 5353;

    private readonly IReadOnlyCollection<string>? _interfaces;
    private readonly List<Socket> _senders = [];
    private readonly HashSet<int> _indexes = [];
    private readonly CancellationTokenSource _stop = new();
    private Socket? _receiver;

    /// <param name="interfaces">Interface names to use; null: every one that is up, not loopback, can multicast and has an IPv4 address.</param>
    public MdnsLink(IReadOnlyCollection<string>? interfaces) => _interfaces = interfaces;

    public event Action<Message, IPEndPoint>? QueryReceived;

    public event Action<Message, IPEndPoint>? AnswerReceived;

    /// <summary>The interfaces in use once started.</summary>
    public IReadOnlyList<string> InUse { get; private set; } = [];

    public void Start()
    {
        var nics = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.SupportsMulticast && n.Supports(NetworkInterfaceComponent.IPv4))
            .Where(n => _interfaces is null ? n.NetworkInterfaceType != NetworkInterfaceType.Loopback : _interfaces.Contains(n.Name))
            .ToList();
        var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _receiver = receiver;
        receiver.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        receiver.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
        receiver.Bind(new IPEndPoint(IPAddress.Any, Port));
        var used = new List<string>();
        foreach (var nic in nics)
        {
            var index = nic.GetIPProperties().GetIPv4Properties()?.Index;
            var address = nic.GetIPProperties().UnicastAddresses.Select(u => u.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
            if (index is not { } i || address is null)
                continue;
            receiver.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, i));
            var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                sender.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                sender.Bind(new IPEndPoint(address, Port));
                sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(i));
                sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
                // Other programs on this machine (a client beside the server) hear it too.
                sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            }
            catch
            {
                sender.Dispose();
                throw;
            }
            _senders.Add(sender);
            _indexes.Add(i);
            used.Add(nic.Name);
        }
        if (used.Count == 0)
            throw new InvalidOperationException(_interfaces is null
                ? "no interface that is up can multicast and has an IPv4 address"
                : $"none of {string.Join(", ", _interfaces)} is up, can multicast and has an IPv4 address");
        InUse = used;
        _ = Task.Run(ReceiveLoopAsync);
    }

    public void Send(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bytes = message.ToByteArray();
        if (bytes.Length > MaxMessageBytes)
            throw new ArgumentException($"a multicast DNS message is at most {MaxMessageBytes} bytes", nameof(message));
        var group = new IPEndPoint(Group, Port);
        foreach (var sender in _senders)
        {
            try
            {
                sender.SendTo(bytes, group);
            }
            catch (SocketException)
            {
                // One interface went away: the others still get it.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _receiver?.Dispose();
        foreach (var s in _senders)
            s.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[MaxMessageBytes];
        var any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested && _receiver is { } receiver)
        {
            SocketReceiveMessageFromResult got;
            try
            {
                got = await receiver.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested || ex is ObjectDisposedException)
                    return;
                await Task.Delay(100).ConfigureAwait(false); // never a busy loop on a failing socket
                continue;
            }
            // Only what arrived on a chosen interface (the socket may see the group on others too).
            if (!_indexes.Contains(got.PacketInformation.Interface) || got.RemoteEndPoint is not IPEndPoint from)
                continue;
            var message = new Message();
            try
            {
                message.Read(buffer, 0, got.ReceivedBytes);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                continue; // not DNS, or damaged: ignored
            }
            if (message.Opcode != MessageOperation.Query || message.Status != MessageStatus.NoError)
                continue;
            try
            {
                if (message.IsQuery && message.Questions.Count > 0)
                    QueryReceived?.Invoke(message, from);
                else if (message.IsResponse && message.Answers.Count > 0)
                    AnswerReceived?.Invoke(message, from);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A handler's fault must not end the loop.
            }
        }
    }
}
