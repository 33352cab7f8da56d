using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Checks the API server's certificate the way kubectl (Go's crypto/x509) does, in the same order
/// (validity period, then the name, then the issuer) and says why it fails in the same words, so an
/// admin can search for the message they already know. Revocation is not checked, as kubectl does not.
/// </summary>
internal static class ServerCertificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <param name="host">The name or IP address the client asked for (kubeconfig tls-server-name, else the server URL's host).</param>
    /// <param name="authorities">The CAs the kubeconfig trusts; null for the system's trust store.</param>
    /// <param name="intermediates">Certificates the server sent along with its own.</param>
    /// <returns>Null when the certificate is valid, else the reason in Go's x509 words.</returns>
    public static string? Problem(
        X509Certificate2 certificate, string host, X509Certificate2Collection? authorities, X509Certificate2Collection intermediates, DateTime nowUtc)
    {
        var notBefore = certificate.NotBefore.ToUniversalTime();
        var notAfter = certificate.NotAfter.ToUniversalTime();
        if (nowUtc > notAfter || nowUtc < notBefore)
        {
            var (relation, bound) = nowUtc > notAfter ? ("after", notAfter) : ("before", notBefore);
            return $"x509: certificate has expired or is not yet valid: current time {Rfc3339(nowUtc)} is {relation} {Rfc3339(bound)}";
        }

        if (NameProblem(certificate, host) is { } nameProblem)
        {
            return nameProblem;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = nowUtc;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        if (authorities is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        if (chain.Build(certificate))
        {
            return null;
        }

        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotSignatureValid)) != 0)
        {
            return "x509: certificate signed by unknown authority";
        }

        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            // The server's own certificate was checked above, so it is an issuer that is out of its period.
            return "x509: certificate signed by unknown authority (possibly because an issuing CA certificate has expired or is not yet valid)";
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return "x509: certificate specifies an incompatible key usage";
        }

        return "x509: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
    }

    /// <summary>Go matches subjectAltName entries only (no common name since Go 1.15), IP addresses against IP entries only.</summary>
    private static string? NameProblem(X509Certificate2 certificate, string host)
    {
        var bare = host.Trim('[', ']');
        if (certificate.MatchesHostname(bare, allowWildcards: true, allowCommonName: false))
        {
            return null;
        }

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (IPAddress.TryParse(bare, out _))
        {
            var addresses = names?.EnumerateIPAddresses().Select(a => a.ToString()).ToList() ?? [];
            return addresses.Count == 0
                ? $"x509: cannot validate certificate for {bare} because it doesn't contain any IP SANs"
                : $"x509: certificate is valid for {string.Join(", ", addresses)}, not {bare}";
        }

        var dnsNames = names?.EnumerateDnsNames().ToList() ?? [];
        return dnsNames.Count == 0
            ? $"x509: certificate is not valid for any names, but wanted to match {bare}"
            : $"x509: certificate is valid for {string.Join(", ", dnsNames)}, not {bare}";
    }

    private static string Rfc3339(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
