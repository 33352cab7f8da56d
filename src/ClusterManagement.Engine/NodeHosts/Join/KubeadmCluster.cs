using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using k8s;

namespace ClusterManagement.Engine.NodeHosts.Join;

/// <summary>
/// What kubeadm join needs from the cluster, which kubeadm init created and the module does not make
/// up: kube-public/cluster-info (the server and CA a joining node trusts once the bootstrap signer has
/// signed it for the token) and kube-system/kubeadm-config (the ClusterConfiguration). Read-only.
/// </summary>
internal sealed record KubeadmCluster(string? ControlPlaneEndpoint, string? KubernetesVersion)
{
    public const string ControlPlaneRole = "control-plane";

    /// <summary>kubeadm's certificate key: 32 bytes, hex (what upload-certs prints); refused before anything is contacted.</summary>
    public static void RequireCertificateKeyForm(NewNodeRequest request)
    {
        if (request.JoinsControlPlane && request.CertificateKey is null)
        {
            throw new ClusterException(ClusterErrors.CertificateKeyMissing,
                $"-Role {ControlPlaneRole} joins {request.Name} as a control plane, which needs the certificates the control planes share: run 'kubeadm init phase upload-certs --upload-certs' on a control-plane node "
                + "(it uploads them to kube-system/kubeadm-certs for two hours) and pass the key it prints as -CertificateKey.", request.Name);
        }

        if (request.CertificateKey is { } key && (key.Length != 64 || !key.All(char.IsAsciiHexDigit)))
        {
            throw new ClusterException(ClusterErrors.CertificateKeyInvalid, "-CertificateKey is not a kubeadm certificate key: 64 hexadecimal characters, as 'kubeadm init phase upload-certs --upload-certs' prints it.", request.Name);
        }

        if (!request.JoinsControlPlane && request.CertificateKey is not null)
        {
            throw new ClusterException(ClusterErrors.CertificateKeyInvalid, $"-CertificateKey is for a control-plane join only: add -Role {ControlPlaneRole}, or leave the key out.", request.Name);
        }
    }

    /// <summary>What kubeadm join --control-plane needs from the cluster, checked before anything changes: a stable endpoint and the uploaded certificates.</summary>
    public async Task RequireControlPlaneJoinAsync(ClusterConnection connection, string node, CancellationToken cancellationToken)
    {
        if (ControlPlaneEndpoint is null)
        {
            throw new ClusterException(ClusterErrors.ControlPlaneEndpointMissing,
                $"{node} cannot join as a control plane: the ClusterConfiguration in kube-system/kubeadm-config has no controlPlaneEndpoint, and kubeadm adds control planes only to a cluster with a stable endpoint. Nothing was changed.", node);
        }

        try
        {
            await KubeApi.Call(ct => connection.Client.CoreV1.ReadNamespacedSecretAsync("kubeadm-certs", "kube-system", cancellationToken: ct), new ResourceRef("Secret", "kubeadm-certs", "kube-system"), cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            throw new ClusterException(ClusterErrors.ControlPlaneCertificatesNotFound,
                $"{node} cannot join as a control plane: kube-system/kubeadm-certs does not exist (it is deleted two hours after upload). Run 'kubeadm init phase upload-certs --upload-certs' on a control-plane node again and pass the new key as -CertificateKey. Nothing was changed.", node, e);
        }
    }

    public static async Task<KubeadmCluster> ReadAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        var info = await ReadConfigMapAsync(connection, "kube-public", "cluster-info", cancellationToken).ConfigureAwait(false);
        if (info?.TryGetValue("kubeconfig", out var kubeconfig) != true || string.IsNullOrWhiteSpace(kubeconfig))
        {
            throw new ClusterException(ClusterErrors.ClusterInfoNotFound,
                $"The cluster of context {connection.ContextName} has no kube-public/cluster-info ConfigMap with a kubeconfig, which kubeadm join reads to find and trust the API server. "
                + "The cluster was not set up by kubeadm init, or cluster-info was deleted; on a control-plane node, 'kubeadm init phase bootstrap-token' creates it again. Nothing was changed.",
                "kube-public/cluster-info");
        }

        var config = await ReadConfigMapAsync(connection, "kube-system", "kubeadm-config", cancellationToken).ConfigureAwait(false);
        if (config?.TryGetValue("ClusterConfiguration", out var clusterConfiguration) != true || string.IsNullOrWhiteSpace(clusterConfiguration))
        {
            throw new ClusterException(ClusterErrors.KubeadmConfigNotFound,
                $"The cluster of context {connection.ContextName} has no kube-system/kubeadm-config ConfigMap with a ClusterConfiguration, which kubeadm join reads. "
                + "The cluster was not set up by kubeadm init, or kubeadm-config was deleted; on a control-plane node, 'kubeadm init phase upload-config kubeadm' uploads it again. Nothing was changed.",
                "kube-system/kubeadm-config");
        }

        return new KubeadmCluster(TopLevel(clusterConfiguration!, "controlPlaneEndpoint"), TopLevel(clusterConfiguration!, "kubernetesVersion"));
    }

    private static async Task<IDictionary<string, string>?> ReadConfigMapAsync(ClusterConnection connection, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var map = await KubeApi.Call(ct => connection.Client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct), new ResourceRef("ConfigMap", name, ns), cancellationToken).ConfigureAwait(false);
            return map.Data;
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>A top-level scalar of the ClusterConfiguration YAML, as kubeadm writes it (plain or quoted); null when absent or empty.</summary>
    private static string? TopLevel(string yaml, string key)
    {
        var match = Regex.Match(yaml, $"^{key}:[ \\t]*(?<value>[^\\r\\n]*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        var value = match.Success ? match.Groups["value"].Value.Trim().Trim('"', '\'') : string.Empty;
        return value.Length == 0 ? null : value;
    }
}
