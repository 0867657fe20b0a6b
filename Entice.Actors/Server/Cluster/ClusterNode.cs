using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Remote.Transport.DotNetty;

namespace Entice.Server.Cluster;

/// <summary>Joining a server node's actor system to the others.</summary>
public static class ClusterNode
{
    /// <summary>
    /// Joins the seed nodes, or with none starts a new cluster with this node as its first member.
    /// Akka retries until a seed answers, so nodes may start in any order.
    /// </summary>
    public static void Join(ActorSystem system, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (settings.SeedNodes.Count == 0)
            cluster.Join(cluster.SelfAddress);
        else
            cluster.JoinSeedNodes(settings.SeedNodes.Select(s => Address.Parse(settings.SeedAddressOf(s))));
    }

    /// <summary>
    /// The actor system of a cluster node: with the cluster's certificate (<see cref="ClusterSettings.Secure"/>),
    /// Akka.Remote speaks only TLS with mutual authentication, and accepts and connects to only peers that
    /// present that same certificate (<see cref="ClusterCertificatePin"/>). The certificate reaches Akka as a
    /// setup object, so its password never enters the HOCON (which Akka may log).
    /// </summary>
    /// <param name="config">The whole configuration, <see cref="ClusterSettings.ToAkkaConfig"/> included.</param>
    public static ActorSystem CreateSystem(ClusterSettings settings, Akka.Configuration.Config config)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Certificate is null)
        {
            if (!settings.Tls.Insecure)
                throw new ClusterTlsException("a cluster node without the cluster's certificate: call ClusterSettings.Secure first");
            _ = settings.Tls.Load(settings.Host); // insecure: refused unless on loopback
        }
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        if (settings.Certificate is { } certificate)
        {
            setup = setup.And(new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
                validateCertificateHostname: false, customValidator: ClusterCertificatePin.To(certificate)));
        }
        return ActorSystem.Create(ClusterSettings.SystemName, setup);
    }
}
