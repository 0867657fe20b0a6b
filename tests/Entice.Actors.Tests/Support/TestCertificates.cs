using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Entice.Tests.Support;

/// <summary>
/// Certificates for cluster specs, made in code (nothing committed): the test cluster's own, shared by
/// every node a spec starts, and any number of others that merely look like it.
/// </summary>
internal static class TestCertificates
{
    /// <summary>The test cluster's .pfx password (a test value, not a secret).</summary>
    public const string ClusterPassword = "entice-test-cluster-password";

    private static readonly Lazy<X509Certificate2> ClusterCertificate = new(() => SelfSigned("entice-cluster"));
    private static readonly Lazy<string> ClusterPfx = new(() =>
    {
        var file = WritePfx(Cluster, ClusterPassword);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(file);
        return file;
    });

    /// <summary>The test cluster's certificate, with its private key.</summary>
    public static X509Certificate2 Cluster => ClusterCertificate.Value;

    /// <summary>The test cluster's certificate as a .pfx file (mode 0600, <see cref="ClusterPassword"/>), for server processes.</summary>
    public static string ClusterPfxFile => ClusterPfx.Value;

    /// <summary>A fresh self-signed certificate (ECDSA P-256) with its private key, as <c>openssl req -x509</c> makes.</summary>
    public static X509Certificate2 SelfSigned(string commonName, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using var made = request.CreateSelfSigned(to.AddDays(-60), to);
        // Through PKCS#12, as a node loads it: the key then lives with the certificate on every platform.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12, ""), "");
    }

    /// <summary>Writes <paramref name="certificate"/> with its key to a new temporary .pfx file (mode 0600).</summary>
    public static string WritePfx(X509Certificate2 certificate, string password)
    {
        var file = Path.Combine(Path.GetTempPath(), $"entice-test-{Guid.NewGuid():N}.pfx");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(file, options))
            stream.Write(certificate.Export(X509ContentType.Pkcs12, password));
        return file;
    }
}
