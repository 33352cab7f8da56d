using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Auth;

/// <summary>
/// A kube-system Secret bootstrap-token-&lt;id&gt; read as k8s.io/cluster-bootstrap reads it: what both
/// the bootstrap token authenticator and the bootstrap signer accept. A token that is expired, being
/// deleted, of the wrong type or whose id does not match its name is no token at all.
/// </summary>
public sealed partial record BootstrapTokenSecret(string Id, string Secret, IReadOnlyList<string> ExtraGroups, bool Authentication, bool Signing)
{
    public const string SecretType = "bootstrap.kubernetes.io/token";
    public const string NamePrefix = "bootstrap-token-";

    public static BootstrapTokenSecret? Read(JsonObject? secret, DateTimeOffset now)
    {
        if (secret?.StringAt("type") != SecretType || secret.StringAt("metadata", "deletionTimestamp") is not null
            || !secret.Name().StartsWith(NamePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = Decode(secret, "token-id");
        var tokenSecret = Decode(secret, "token-secret");
        if (id is null || tokenSecret is null || secret.Name() != NamePrefix + id || !IdPattern().IsMatch(id) || !SecretPattern().IsMatch(tokenSecret))
        {
            return null;
        }

        // Like the real code, an expiration that does not parse makes the token unusable rather than eternal.
        if (Decode(secret, "expiration") is { } expiration
            && (!DateTimeOffset.TryParse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires) || expires <= now))
        {
            return null;
        }

        var groups = (Decode(secret, "auth-extra-groups") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (groups.Any(g => !GroupPattern().IsMatch(g)))
        {
            return null;
        }

        return new BootstrapTokenSecret(id, tokenSecret, groups, Decode(secret, "usage-bootstrap-authentication") == "true", Decode(secret, "usage-bootstrap-signing") == "true");
    }

    public static BootstrapTokenSecret? Find(ObjectStore store, string id, DateTimeOffset now) =>
        Read(store.Get(CoreKinds.Secrets, "kube-system", NamePrefix + id), now);

    private static string? Decode(JsonObject secret, string key)
    {
        if (secret.StringAt("data", key) is not { } base64)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[a-z0-9]{6}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9]{16}$")]
    private static partial Regex SecretPattern();

    /// <summary>k8s.io/cluster-bootstrap/token/api BootstrapGroupPattern: extra groups must stay under system:bootstrappers.</summary>
    [GeneratedRegex("^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$")]
    private static partial Regex GroupPattern();
}
