using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Auth;

/// <summary>
/// Client certificates signed by the cluster CA, the static tokens of the kubeconfig, and
/// bootstrap tokens backed by kube-system Secrets. Anything else is 401, as on a cluster with
/// anonymous auth disabled.
/// </summary>
public sealed partial class Authenticator(CertificateAuthority ca, EmulatorCredentials credentials, ObjectStore store)
{
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
        throw Status.Unauthorized();
    }

    private static EmulatorUser FromCertificate(X509Certificate2 certificate)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .ToList();
        var access = groups.Contains("system:masters") ? AccessLevel.Admin
            : groups.Contains("system:nodes") ? AccessLevel.Node
            : AccessLevel.ReadOnly;
        return new EmulatorUser(name, [.. groups, "system:authenticated"], access);
    }

    /// <summary>kubeadm-style bootstrap token <c>&lt;id&gt;.&lt;secret&gt;</c> matched against Secret bootstrap-token-&lt;id&gt;.</summary>
    private EmulatorUser? BootstrapUser(string token)
    {
        if (BootstrapToken().Match(token) is not { Success: true } match)
        {
            return null;
        }
        var id = match.Groups["id"].Value;
        var secret = store.Get(CoreKinds.Secrets, "kube-system", $"bootstrap-token-{id}");
        if (secret?.StringAt("type") != "bootstrap.kubernetes.io/token"
            || Decode(secret.StringAt("data", "token-id")) != id
            || Decode(secret.StringAt("data", "token-secret")) != match.Groups["secret"].Value)
        {
            return null;
        }
        var extraGroups = (Decode(secret.StringAt("data", "auth-extra-groups")) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new EmulatorUser($"system:bootstrap:{id}", ["system:bootstrappers", .. extraGroups, "system:authenticated"], AccessLevel.Bootstrap);
    }

    private static string? Decode(string? base64)
    {
        try
        {
            return base64 is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex("^(?<id>[a-z0-9]{6})\\.(?<secret>[a-z0-9]{16})$")]
    private static partial Regex BootstrapToken();
}
