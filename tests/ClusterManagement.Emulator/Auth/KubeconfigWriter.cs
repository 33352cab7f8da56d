using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ClusterManagement.Emulator.Auth;

/// <summary>
/// Writes the kubeconfig of the CONTRIBUTING.md contract. Hand-written YAML keeps the emulator
/// free of a YAML dependency; every value is a plain scalar, so no quoting rules come into play.
/// </summary>
public static class KubeconfigWriter
{
    public const string ClusterName = "sandbox";

    public static string Render(string url, CertificateAuthority ca, X509Certificate2 adminCertificate, EmulatorCredentials credentials)
    {
        var caData = Base64(ca.Certificate.ExportCertificatePem());
        var certData = Base64(adminCertificate.ExportCertificatePem());
        var keyData = Base64(adminCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return $"""
            apiVersion: v1
            kind: Config
            preferences: {"{}"}
            current-context: sandbox
            clusters:
            - name: {ClusterName}
              cluster:
                server: {url}
                certificate-authority-data: {caData}
            contexts:
            - name: sandbox
              context:
                cluster: {ClusterName}
                user: admin
                namespace: default
            - name: sandbox-token
              context:
                cluster: {ClusterName}
                user: team-a
                namespace: team-a
            - name: sandbox-readonly
              context:
                cluster: {ClusterName}
                user: readonly
                namespace: default
            - name: sandbox-badtoken
              context:
                cluster: {ClusterName}
                user: badtoken
                namespace: default
            users:
            - name: admin
              user:
                client-certificate-data: {certData}
                client-key-data: {keyData}
            - name: team-a
              user:
                token: {credentials.TeamAToken}
            - name: readonly
              user:
                token: {credentials.ReadonlyToken}
            - name: badtoken
              user:
                token: {credentials.BadToken}

            """;
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
