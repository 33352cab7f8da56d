using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using k8s;
using k8s.Exceptions;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// A client for one kubeconfig context, with the namespace that context defaults to.
/// Connections are cached per kubeconfig content and context, so a pipeline of commands
/// reuses one HTTP connection pool instead of paying TLS set-up on every command.
/// </summary>
internal sealed class ClusterConnection
{
    private static readonly ConcurrentDictionary<string, ClusterConnection> Cache = new(StringComparer.Ordinal);

    private ClusterConnection(IKubernetes client, string contextName, string server, string contextNamespace, X509Certificate2Collection? certificateAuthorities)
    {
        Client = client;
        CertificateAuthorities = certificateAuthorities;
        ContextName = contextName;
        Server = server;
        ContextNamespace = contextNamespace;
    }

    public string ContextName { get; }

    public string Server { get; }

    /// <summary>The namespace the context names (kubectl's default namespace for it).</summary>
    public string ContextNamespace { get; }

    internal IKubernetes Client { get; }

    /// <summary>The CA certificates the context trusts for the API server; null when it relies on the system's trust store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; }

    public static ClusterConnection Open(ConnectionOptions options)
    {
        var paths = KubeConfigSources.Resolve(options.KubeConfig);
        if (paths.Count == 0)
        {
            return OpenInCluster();
        }

        var key = CacheKey(paths, options.Context);
        return Cache.GetOrAdd(key, _ => OpenFromFiles(paths, options.Context));
    }

    /// <summary>Lists the contexts of the kubeconfig that <paramref name="kubeConfig"/> (or the environment) selects.</summary>
    public static IReadOnlyList<ClusterContext> ListContexts(string? kubeConfig, string? currentOverride)
    {
        var paths = KubeConfigSources.Resolve(kubeConfig);
        if (paths.Count == 0)
        {
            return [];
        }

        return MergedKubeConfig.Load(paths).Contexts(currentOverride).ToList();
    }

    public string ResolveNamespace(string? requested) => string.IsNullOrEmpty(requested) ? ContextNamespace : requested;

    private static ClusterConnection OpenFromFiles(IReadOnlyList<string> paths, string? requestedContext)
    {
        var merged = MergedKubeConfig.Load(paths);
        var contextName = requestedContext ?? merged.Configuration.CurrentContext
            ?? throw new ClusterException(ClusterErrors.CurrentContextMissing, $"The kubeconfig ({string.Join(Path.PathSeparator, paths)}) sets no current-context; name one with -Context or Use-ClusterContext.");
        var context = merged.FindContext(contextName);

        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged.Configuration, contextName);
        }
        catch (KubeConfigException e)
        {
            throw new ClusterException(ClusterErrors.KubeConfigInvalid, $"The kubeconfig context '{contextName}' cannot be used: {e.Message}",
                contextName,
                e);
        }

        return Create(configuration, contextName, MergedKubeConfig.NamespaceOf(context));
    }

    private static ClusterConnection OpenInCluster()
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw new ClusterException(ClusterErrors.KubeConfigNotFound, "No kubeconfig found: pass -KubeConfig, set $env:KUBECONFIG, create ~/.kube/config, or run inside a pod with a service account.");
        }

        var configuration = KubernetesClientConfiguration.InClusterConfig();
        return Create(configuration, "in-cluster", configuration.Namespace ?? "default");
    }

    private static ClusterConnection Create(KubernetesClientConfiguration configuration, string contextName, string contextNamespace)
    {
        // ApiTransport bounds each request itself, per command; KubernetesClient's own 100 s bound would cut a longer -RequestTimeout.
        configuration.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        var client = new k8s.Kubernetes(configuration, new ApiRequestLog(), new ApiTransport(configuration));
        return new ClusterConnection(client, contextName, configuration.Host, contextNamespace, configuration.SslCaCerts);
    }

    // A kubeconfig that changed on disk (a rotated token, a new server) must not be served from the cache.
    private static string CacheKey(IReadOnlyList<string> paths, string? context) =>
        string.Join('|', paths.Select(p => $"{Path.GetFullPath(p)}@{File.GetLastWriteTimeUtc(p).Ticks}")) + "#" + context;
}
