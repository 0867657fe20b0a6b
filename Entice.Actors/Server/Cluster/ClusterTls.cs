using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Entice.Server.Cluster;

/// <summary>
/// How node-to-node traffic is protected, read from <c>entice.cluster.tls</c> in <c>hocon/cluster.conf</c>:
/// TLS with mutual authentication, every node presenting the cluster's certificate (one PKCS#12 file
/// shared by all nodes) and accepting only peers that present the very same certificate
/// (<see cref="ClusterCertificatePin"/>). Plaintext only by an explicit <see cref="Insecure"/> opt-in, and
/// only on loopback.
/// </summary>
public sealed record ClusterTls
{
    /// <summary>The environment variable naming the certificate file; wins over the configuration.</summary>
    public const string CertificateVariable = "ENTICE_CLUSTER_CERT";

    /// <summary>The environment variable holding the certificate's password; wins over <see cref="PasswordFile"/>.</summary>
    public const string PasswordVariable = "ENTICE_CLUSTER_CERT_PASSWORD";

    /// <summary>The cluster's certificate and private key, a PKCS#12 (.pfx) file.</summary>
    public string CertificateFile { get; init; } = "";

    /// <summary>A file whose first line is the .pfx password; empty: no file.</summary>
    public string PasswordFile { get; init; } = "";

    /// <summary>
    /// The password itself, from <see cref="PasswordVariable"/>. Never printed: <see cref="PrintMembers"/>
    /// leaves it out.
    /// </summary>
    public string? Password { get; init; }

    /// <summary>Plaintext, unauthenticated node-to-node traffic; refused unless the node's cluster host is loopback.</summary>
    public bool Insecure { get; init; }

    public static ClusterTls FromConfig(Akka.Configuration.Config? tls)
    {
        var d = new ClusterTls();
        if (tls is null)
            return d;
        return new ClusterTls
        {
            CertificateFile = tls.GetString("certificate", d.CertificateFile),
            PasswordFile = tls.GetString("password-file", d.PasswordFile),
            Insecure = tls.GetBoolean("insecure", d.Insecure),
        };
    }

    /// <summary>The environment variables over the configuration (a password is better kept out of files).</summary>
    public ClusterTls WithEnvironment() => this with
    {
        CertificateFile = Environment.GetEnvironmentVariable(CertificateVariable) is { Length: > 0 } file ? file : CertificateFile,
        Password = Environment.GetEnvironmentVariable(PasswordVariable) ?? Password,
    };

    /// <summary>
    /// The certificate this node presents and pins, or null for an allowed <see cref="Insecure"/> node on
    /// <paramref name="clusterHost"/>. Anything else (no file, a wrong password, no private key, expired) is a
    /// <see cref="ClusterTlsException"/> whose message is one line saying what to do.
    /// </summary>
    public X509Certificate2? Load(string clusterHost)
    {
        if (Insecure)
        {
            if (!IsLoopback(clusterHost))
                throw new ClusterTlsException($"entice.cluster.tls.insecure is for tests on one machine: it is refused with cluster host {clusterHost}, which is not a loopback address; give the nodes the cluster's certificate instead (README, \"Cluster TLS\")");
            return null;
        }
        if (CertificateFile.Length == 0)
            throw new ClusterTlsException($"a cluster node needs the cluster's certificate: set {CertificateVariable} (or entice.cluster.tls.certificate) to the .pfx file every node shares; make one with openssl as README \"Cluster TLS\" shows (tests/cluster/make-cert.sh makes a throwaway one)");
        if (!File.Exists(CertificateFile))
            throw new ClusterTlsException($"cluster certificate {CertificateFile}: no such file");
        var password = Password ?? ReadPasswordFile();
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificateFile, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException)
        {
            // The exception's own text adds nothing and could, in some providers, echo input: say it plainly.
            throw new ClusterTlsException($"cluster certificate {CertificateFile}: cannot be read: a wrong password ({PasswordVariable} or entice.cluster.tls.password-file) or not a PKCS#12 (.pfx) file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ClusterTlsException($"cluster certificate {CertificateFile}: not readable (permission denied)");
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ClusterTlsException($"cluster certificate {CertificateFile}: has no private key (export it with openssl pkcs12 -export -inkey ...)");
        }
        var now = DateTime.Now;
        if (now > certificate.NotAfter || now < certificate.NotBefore)
        {
            var (from, to) = (certificate.NotBefore, certificate.NotAfter);
            certificate.Dispose();
            throw new ClusterTlsException($"cluster certificate {CertificateFile}: valid only from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; make a new one and give it to every node");
        }
        return certificate;
    }

    private string ReadPasswordFile()
    {
        if (PasswordFile.Length == 0)
            return "";
        try
        {
            using var reader = new StreamReader(PasswordFile);
            return reader.ReadLine() ?? "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ClusterTlsException($"cluster certificate password file {PasswordFile}: cannot be read ({(ex is UnauthorizedAccessException ? "permission denied" : "no such file")})");
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"CertificateFile = {CertificateFile}, PasswordFile = {PasswordFile}, Password = {(Password is null ? "(none)" : "(hidden)")}, Insecure = {Insecure}");
        return true;
    }
}
