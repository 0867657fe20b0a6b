namespace Entice.Server.Cluster;

/// <summary>
/// Marks a message that travels between server nodes. <c>hocon/cluster.conf</c> binds it to
/// <see cref="ClusterMessageSerializer"/>; anything else sent to another node is refused, never JSON.
/// </summary>
public interface IClusterMessage;
