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
/// Connections are cached per kubeconfig and context, so a pipeline of commands (or a fan-out over many
/// contexts) reuses one HTTP connection pool per cluster instead of paying TLS set-up on every command.
/// </summary>
internal sealed class ClusterConnection
{
    private static readonly ConcurrentDictionary<string, ClusterConnection> Cache = new(StringComparer.Ordinal);
    private static readonly object CacheSwap = new();

    /// <summary>When the kubeconfig files were last written as this connection read them.</summary>
    private string Stamp { get; set; } = "";

    private ClusterConnection(IKubernetes client, string contextName, string? clusterName, string server, string contextNamespace, X509Certificate2Collection? certificateAuthorities)
    {
        Client = client;
        ClusterName = clusterName;
        CertificateAuthorities = certificateAuthorities;
        ContextName = contextName;
        Server = server;
        ContextNamespace = contextNamespace;
    }

    public string ContextName { get; }

    /// <summary>The cluster the context names in the kubeconfig; null in a pod's own cluster.</summary>
    public string? ClusterName { get; }

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
            return OpenInCluster(options.ConnectTimeout ?? ApiTransport.DefaultConnectTimeout);
        }

        var connectTimeout = options.ConnectTimeout ?? ApiTransport.DefaultConnectTimeout;
        var key = CacheKey(paths, options.Context, connectTimeout);
        var stamp = WriteStamp(paths);
        if (Cache.TryGetValue(key, out var cached) && cached.Stamp == stamp)
        {
            return cached;
        }

        var fresh = OpenFromFiles(paths, options.Context, connectTimeout);
        fresh.Stamp = stamp;
        lock (CacheSwap)
        {
            if (Cache.TryGetValue(key, out cached) && cached.Stamp == stamp)
            {
                fresh.Client.Dispose();
                return cached;
            }

            Cache[key] = fresh;
        }

        // A kubeconfig that changed on disk (a rotated token, a new server) must not be served from the cache,
        // and the connections of its old content would otherwise stay open for the life of the session.
        cached?.Client.Dispose();
        return fresh;
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

    private static ClusterConnection OpenFromFiles(IReadOnlyList<string> paths, string? requestedContext, TimeSpan connectTimeout)
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

        return Create(configuration, contextName, context.ContextDetails?.Cluster, MergedKubeConfig.NamespaceOf(context), connectTimeout);
    }

    private static ClusterConnection OpenInCluster(TimeSpan connectTimeout)
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw new ClusterException(ClusterErrors.KubeConfigNotFound, "No kubeconfig found: pass -KubeConfig, set $env:KUBECONFIG, create ~/.kube/config, or run inside a pod with a service account.");
        }

        var configuration = KubernetesClientConfiguration.InClusterConfig();
        return Create(configuration, "in-cluster", null, configuration.Namespace ?? "default", connectTimeout);
    }

    private static ClusterConnection Create(KubernetesClientConfiguration configuration, string contextName, string? clusterName, string contextNamespace, TimeSpan connectTimeout)
    {
        // ApiTransport bounds each request itself, per command; KubernetesClient's own 100 s bound would cut a longer -RequestTimeout.
        configuration.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        var client = new k8s.Kubernetes(configuration, new ApiRequestLog(), new ApiTransport(configuration, connectTimeout));
        return new ClusterConnection(client, contextName, clusterName, configuration.Host, contextNamespace, configuration.SslCaCerts);
    }

    /// <summary>The connect timeout is the handler's own, fixed when it is built: another one is another connection.</summary>
    private static string CacheKey(IReadOnlyList<string> paths, string? context, TimeSpan connectTimeout) =>
        string.Join('|', paths.Select(Path.GetFullPath)) + "#" + context + "#" + connectTimeout.Ticks;

    private static string WriteStamp(IReadOnlyList<string> paths) =>
        string.Join('|', paths.Select(p => File.GetLastWriteTimeUtc(p).Ticks));
}
