using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClusterManagement.Emulator.Auth;

/// <summary>
/// The cluster CA: signs the serving certificate and client certificates. ECDSA P-256 because
/// key generation takes microseconds, which keeps emulator start-up fast.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private CertificateAuthority(ECDsa key, X509Certificate2 certificate)
    {
        _key = key;
        Certificate = certificate;
    }

    /// <summary>The CA certificate (public part only), as kubeconfig's certificate-authority-data carries it.</summary>
    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority Create()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=emulator-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddYears(10));
        return new CertificateAuthority(key, X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)));
    }

    /// <summary>Serving certificate for 127.0.0.1 and localhost (Go clients insist on a SAN and serverAuth).</summary>
    public X509Certificate2 IssueServerCertificate() => IssueServerCertificate(IPAddress.Loopback, "localhost", expired: false);

    /// <param name="expired">Valid from two days ago until yesterday, as a certificate nobody renewed.</param>
    public X509Certificate2 IssueServerCertificate(IPAddress address, string? dnsName, bool expired)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(address);
        if (dnsName is not null)
        {
            san.AddDnsName(dnsName);
        }
        var now = DateTimeOffset.UtcNow;
        var (notBefore, notAfter) = expired ? (now.AddDays(-2), now.AddDays(-1)) : (now.AddHours(-1), now.AddYears(1));
        return Issue("CN=kube-apiserver", [san.Build()], new Oid("1.3.6.1.5.5.7.3.1"), notBefore, notAfter);
    }

    /// <summary>A client certificate the way Kubernetes reads one: CN is the user, each O a group.</summary>
    public X509Certificate2 IssueClientCertificate(string user, params string[] groups)
    {
        var subject = string.Join(", ", groups.Select(g => $"O={g}").Prepend($"CN={user}"));
        var now = DateTimeOffset.UtcNow;
        return Issue(subject, [], new Oid("1.3.6.1.5.5.7.3.2"), now.AddHours(-1), now.AddYears(1));
    }

    /// <summary>
    /// Signs a PKCS#10 request (PEM) as a client certificate for its own subject, as the controller
    /// manager's csrsigning controller does for an approved request; the request's signature is checked.
    /// </summary>
    public X509Certificate2 SignClientRequest(string requestPem)
    {
        var request = CertificateRequest.LoadSigningRequestPem(requestPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        request.CertificateExtensions.Clear();
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        lock (_key)
        {
            return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddMinutes(-5), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        }
    }

    /// <summary>
    /// The CA's private key (PKCS#8 PEM), as /etc/kubernetes/pki/ca.key on the host kubeadm init ran on: tests
    /// hand it to joining control planes (kube-system/kubeadm-certs), whose kubeadm signs admin.conf with it.
    /// </summary>
    public string ExportKeyPem()
    {
        lock (_key)
        {
            return _key.ExportPkcs8PrivateKeyPem();
        }
    }

    /// <summary>True when this CA signed <paramref name="certificate"/> and it is within its validity.</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private X509Certificate2 Issue(string subject, IEnumerable<X509Extension> extensions, Oid usage, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        // Not disposed: the returned certificate keeps using the key.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }
        using var signed = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
