using System.Security.Cryptography.X509Certificates;

namespace ClusterManagement.Emulator.Tests;

/// <summary>The certificate variants the emulator serves, seen as a client that trusts the cluster CA sees them.</summary>
public sealed class ServingCertificateTests
{
    [Theory]
    [InlineData(ServingCertificate.Valid, true, "127.0.0.1", false)]
    [InlineData(ServingCertificate.OtherAuthority, false, "127.0.0.1", false)]
    [InlineData(ServingCertificate.OtherAddress, true, "127.0.0.2", false)]
    [InlineData(ServingCertificate.Expired, true, "127.0.0.1", true)]
    public async Task ServesTheCertificateAsked(ServingCertificate kind, bool issuedByTheClusterCa, string address, bool expired)
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false, ServingCertificate = kind });
        X509Certificate2? served = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            served = new X509Certificate2(certificate!);
            return true;
        };
        using var http = new HttpClient(handler);

        using var response = await http.GetAsync(emulator.Url + "/healthz");

        Assert.NotNull(served);
        Assert.Equal(issuedByTheClusterCa, served.Issuer == emulator.CaCertificate.Subject && Signed(served, emulator.CaCertificate));
        var names = served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal([address], names.EnumerateIPAddresses().Select(a => a.ToString()));
        Assert.Equal(expired, served.NotAfter.ToUniversalTime() < DateTime.UtcNow);
        Assert.Equal(1, emulator.Connections);
    }

    private static bool Signed(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate);
    }
}
