using System.Globalization;
using System.Text.Json.Nodes;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Join;

/// <summary>
/// The kubeadm JoinConfiguration that carries the bootstrap token to <c>kubeadm join --config</c>, so
/// the token is in a root-only file and on no command line. Written as JSON, which kubeadm's YAML
/// decoder reads as well.
/// </summary>
internal static class KubeadmJoinConfiguration
{
    /// <summary>The script that runs the join: the configuration arrives on stdin into a 0600 file of its own, removed however the join ends.</summary>
    public const string JoinScript =
        "umask 077; config=$(mktemp) || exit 1; trap 'rm -f \"$config\"' EXIT; trap 'exit 129' HUP INT TERM; " +
        "cat > \"$config\" && kubeadm join --config \"$config\"";

    /// <summary>kubeadm.k8s.io/v1beta4 from kubeadm 1.31 on (where it became the default), v1beta3 before.</summary>
    public static string ApiVersionFor(string kubeadmVersion, string node)
    {
        var parts = kubeadmVersion.Split(':')[^1].Split('.', '-', '+', '~');
        if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            throw new ClusterException(ClusterErrors.KubeadmVersionUnknown, $"Cannot tell which kubeadm configuration API kubeadm {kubeadmVersion} on {node} reads.", node);
        }

        return (major, minor) switch
        {
            ( > 1, _) or (1, >= 31) => "kubeadm.k8s.io/v1beta4",
            (1, >= 22) => "kubeadm.k8s.io/v1beta3",
            _ => throw new ClusterException(ClusterErrors.KubeadmTooOld, $"kubeadm {kubeadmVersion} on {node} predates the v1beta3 configuration API (1.22); the module joins with a configuration file only.", node),
        };
    }

    /// <summary>A control-plane join (controlPlane.certificateKey) when <paramref name="certificateKey"/> is given, else a worker's.</summary>
    public static string Render(string apiVersion, string apiServerEndpoint, string token, string caCertHash, string nodeName, string criSocket, string? certificateKey = null)
    {
        var configuration = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = "JoinConfiguration",
            ["discovery"] = new JsonObject
            {
                ["bootstrapToken"] = new JsonObject { ["apiServerEndpoint"] = apiServerEndpoint, ["token"] = token, ["caCertHashes"] = new JsonArray(caCertHash) },
                ["tlsBootstrapToken"] = token,
            },
            // Named, not detected: kubeadm refuses a host where it finds two CRI sockets (containerd's and cri-dockerd's).
            ["nodeRegistration"] = new JsonObject { ["name"] = nodeName, ["criSocket"] = criSocket },
        };
        if (certificateKey is not null)
        {
            configuration["controlPlane"] = new JsonObject { ["certificateKey"] = certificateKey };
        }

        return configuration.ToJsonString();
    }
}
