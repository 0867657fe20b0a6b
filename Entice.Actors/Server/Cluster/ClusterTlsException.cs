namespace Entice.Server.Cluster;

/// <summary>The cluster's certificate is missing or unusable; the message is one line telling what to do.</summary>
public sealed class ClusterTlsException : Exception
{
    public ClusterTlsException()
    {
    }

    public ClusterTlsException(string message)
        : base(message)
    {
    }

    public ClusterTlsException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
