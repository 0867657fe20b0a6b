using System.Collections.Concurrent;
using System.Net;
using Entice.Discovery;
using Makaretu.Dns;

namespace Entice.Tests.Discovery;

/// <summary>An <see cref="IMdnsLink"/> that never touches a network: records what is sent, delivers what a spec hands it.</summary>
internal sealed class FakeMdnsLink : IMdnsLink
{
    public ConcurrentQueue<Message> Sent { get; } = new();

    public bool Started { get; private set; }

    public bool Disposed { get; private set; }

    public Exception? FailStart { get; init; }

    /// <summary>Called for each message sent (after it is recorded): a spec answers queries here.</summary>
    public Action<FakeMdnsLink, Message>? OnSend { get; init; }

    public event Action<Message, IPEndPoint>? QueryReceived;

    public event Action<Message, IPEndPoint>? AnswerReceived;

    public void Start()
    {
        if (FailStart is { } ex)
            throw ex;
        Started = true;
    }

    public void Send(Message message)
    {
        Sent.Enqueue(message);
        OnSend?.Invoke(this, message);
    }

    public void Dispose() => Disposed = true;

    /// <summary>Delivers <paramref name="message"/> as heard from <paramref name="from"/>, through its wire form (as a real link would).</summary>
    public void Hear(Message message, IPEndPoint from)
    {
        var heard = new Message();
        heard.Read(message.ToByteArray(), 0, message.ToByteArray().Length);
        if (heard.IsQuery)
            QueryReceived?.Invoke(heard, from);
        else
            AnswerReceived?.Invoke(heard, from);
    }

    public static Message Query(DomainName name, DnsType type)
    {
        var q = new Message { QR = false };
        q.Questions.Add(new Question { Name = name, Type = type, Class = DnsClass.IN });
        return q;
    }
}
