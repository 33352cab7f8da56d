using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Auth;

/// <summary>
/// Client certificates signed by the cluster CA, the static tokens of the kubeconfig, and
/// bootstrap tokens backed by kube-system Secrets. A request without credentials is
/// system:anonymous, as on a kubeadm cluster (anonymous auth on, RBAC lets it read cluster-info
/// only); a credential that does not authenticate is 401.
/// </summary>
public sealed partial class Authenticator(CertificateAuthority ca, EmulatorCredentials credentials, ObjectStore store, TimeProvider time)
{
    public const string AnonymousUser = "system:anonymous";

    public const string TeamAUser = "team-a";
    public const string ReadonlyUser = "readonly";

    public EmulatorUser Authenticate(HttpContext context)
    {
        if (context.Connection.ClientCertificate is { } certificate && ca.Issued(certificate))
        {
            return FromCertificate(certificate);
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            if (token == credentials.TeamAToken)
            {
                return new EmulatorUser(TeamAUser, ["system:authenticated"], AccessLevel.Admin);
            }
            if (token == credentials.ReadonlyToken)
            {
                return new EmulatorUser(ReadonlyUser, ["system:authenticated"], AccessLevel.ReadOnly);
            }
            if (BootstrapUser(token) is { } bootstrap)
            {
                return bootstrap;
            }
        }
        if (header.Length == 0 && context.Connection.ClientCertificate is null)
        {
            return new EmulatorUser(AnonymousUser, ["system:unauthenticated"], AccessLevel.Anonymous);
        }
        throw Status.Unauthorized();
    }

    private static EmulatorUser FromCertificate(X509Certificate2 certificate)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .ToList();
        // kubeadm:cluster-admins is what admin.conf carries since kubeadm 1.29; kubeadm init binds it to cluster-admin.
        var access = groups.Contains("system:masters") || groups.Contains("kubeadm:cluster-admins") ? AccessLevel.Admin
            : groups.Contains("system:nodes") ? AccessLevel.Node
            : AccessLevel.ReadOnly;
        return new EmulatorUser(name, [.. groups, "system:authenticated"], access);
    }

    /// <summary>
    /// kubeadm-style bootstrap token <c>&lt;id&gt;.&lt;secret&gt;</c> matched against Secret bootstrap-token-&lt;id&gt;,
    /// which must allow authentication and be neither expired nor deleted.
    /// </summary>
    private EmulatorUser? BootstrapUser(string token)
    {
        if (BootstrapToken().Match(token) is not { Success: true } match
            || BootstrapTokenSecret.Find(store, match.Groups["id"].Value, time.GetUtcNow()) is not { Authentication: true } secret
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret.Secret), Encoding.UTF8.GetBytes(match.Groups["secret"].Value)))
        {
            return null;
        }
        return new EmulatorUser($"system:bootstrap:{secret.Id}", ["system:bootstrappers", .. secret.ExtraGroups, "system:authenticated"], AccessLevel.Bootstrap);
    }

    [GeneratedRegex("^(?<id>[a-z0-9]{6})\\.(?<secret>[a-z0-9]{16})$")]
    private static partial Regex BootstrapToken();
}
