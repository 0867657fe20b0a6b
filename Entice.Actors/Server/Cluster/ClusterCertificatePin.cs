using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Entice.Server.Cluster;

/// <summary>
/// Who may talk to this node over Akka.Remote: a peer that presents exactly the cluster's certificate, on
/// either side of the connection (Akka's DotNetty transport asks both the accepting and the connecting
/// side). The cluster's certificate is self-signed, so chain errors are expected and ignored: an exact
/// match of the certificate's bytes is a stronger test than any chain. The TLS handshake itself proves
/// the peer holds the matching private key.
/// </summary>
public static class ClusterCertificatePin
{
    public static CertificateValidationCallback To(X509Certificate2 cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var expected = cluster.RawData;
        return (peerCertificate, _, peer, _, log) =>
        {
            if (peerCertificate is null)
            {
                log.Warning("Cluster TLS: {0} presented no certificate; refused", peer);
                return false;
            }
            if (CryptographicOperations.FixedTimeEquals(peerCertificate.RawDataMemory.Span, expected))
                return true;
            log.Warning("Cluster TLS: {0} presented a certificate that is not the cluster's (SHA-256 {1}); refused",
                peer, peerCertificate.GetCertHashString(HashAlgorithmName.SHA256));
            return false;
        };
    }
}
