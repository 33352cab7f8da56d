using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Several kubeconfig files merged by kubectl's rules: the first file that names a cluster,
/// user or context wins, and the first file that sets current-context decides it.
/// </summary>
internal sealed class MergedKubeConfig
{
    // KubernetesClient's own reader (KubernetesYaml) first maps every API model type of the library for
    // YAML: 1-4 s in a fresh process, the largest part of a pipeline step's first call. A kubeconfig
    // needs only its own few types, read with the same naming and scalar rules.
    private static readonly Lazy<IDeserializer> KubeConfigReader = new(() => new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithAttemptingUnquotedStringTypeDeserialization()
        .IgnoreUnmatchedProperties()
        .Build());

    private MergedKubeConfig(K8SConfiguration configuration, IReadOnlyDictionary<string, string> contextSources)
    {
        Configuration = configuration;
        ContextSources = contextSources;
    }

    public K8SConfiguration Configuration { get; }

    private IReadOnlyDictionary<string, string> ContextSources { get; }

    public static MergedKubeConfig Load(IReadOnlyList<string> paths)
    {
        var merged = new K8SConfiguration
        {
            Clusters = new List<Cluster>(),
            Users = new List<User>(),
            Contexts = new List<Context>(),
        };
        var clusters = new HashSet<string>(StringComparer.Ordinal);
        var users = new HashSet<string>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var path in paths)
        {
            var file = LoadFile(path);
            merged.CurrentContext ??= string.IsNullOrEmpty(file.CurrentContext) ? null : file.CurrentContext;
            foreach (var cluster in file.Clusters ?? [])
            {
                if (clusters.Add(cluster.Name))
                {
                    ((List<Cluster>)merged.Clusters).Add(cluster);
                }
            }

            foreach (var user in file.Users ?? [])
            {
                if (users.Add(user.Name))
                {
                    ((List<User>)merged.Users).Add(user);
                }
            }

            foreach (var context in file.Contexts ?? [])
            {
                if (contexts.TryAdd(context.Name, path))
                {
                    ((List<Context>)merged.Contexts).Add(context);
                }
            }
        }

        return new MergedKubeConfig(merged, contexts);
    }

    public IEnumerable<ClusterContext> Contexts(string? currentOverride)
    {
        var current = currentOverride ?? Configuration.CurrentContext;
        foreach (var context in Configuration.Contexts)
        {
            var clusterName = context.ContextDetails?.Cluster;
            var cluster = Configuration.Clusters.FirstOrDefault(c => c.Name == clusterName);
            yield return new ClusterContext
            {
                Name = context.Name,
                Cluster = clusterName,
                Server = cluster?.ClusterEndpoint?.Server,
                User = context.ContextDetails?.User,
                Namespace = NamespaceOf(context),
                IsCurrent = context.Name == current,
                Source = ContextSources.GetValueOrDefault(context.Name),
            };
        }
    }

    public Context FindContext(string name) =>
        Configuration.Contexts.FirstOrDefault(c => c.Name == name)
        ?? throw new ClusterException(ClusterErrors.ContextNotFound, $"The kubeconfig has no context named '{name}'. Known contexts: {string.Join(", ", Configuration.Contexts.Select(c => c.Name))}.",
            name);

    public static string NamespaceOf(Context context) =>
        string.IsNullOrEmpty(context.ContextDetails?.Namespace) ? "default" : context.ContextDetails.Namespace;

    private static K8SConfiguration LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ClusterException(ClusterErrors.KubeConfigNotFound, $"The kubeconfig file '{path}' does not exist.",
                path);
        }

        try
        {
            using var reader = File.OpenText(path);
            var configuration = KubeConfigReader.Value.Deserialize<K8SConfiguration?>(new MergingParser(new Parser(reader)))
                ?? throw new ClusterException(ClusterErrors.KubeConfigInvalid, $"The kubeconfig file '{path}' is empty.", path);
            // Certificate and key paths in the file are relative to the file, as kubectl reads them.
            configuration.FileName = Path.GetFullPath(path);
            return configuration;
        }
        catch (Exception e) when (e is not ClusterException)
        {
            // The YAML parser's own message says which line is wrong; the file path says which file.
            throw new ClusterException(ClusterErrors.KubeConfigInvalid, $"The kubeconfig file '{path}' cannot be read: {e.Message}",
                path,
                e);
        }
    }
}
