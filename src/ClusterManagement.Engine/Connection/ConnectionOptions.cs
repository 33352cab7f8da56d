using ClusterManagement.Connection;
namespace ClusterManagement.Engine.Connection;

/// <summary>What a caller asked for; anything left null falls back the way kubectl does.</summary>
internal sealed record ConnectionOptions
{
    /// <summary>One kubeconfig path, or several joined with the platform's path separator (as $KUBECONFIG).</summary>
    public string? KubeConfig { get; init; }

    public string? Context { get; init; }

    /// <summary>Overrides the context's namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>How long opening a connection to the API server (TCP and TLS) may take; null for <see cref="Kubernetes.ApiTransport.DefaultConnectTimeout"/>.</summary>
    public TimeSpan? ConnectTimeout { get; init; }
}
