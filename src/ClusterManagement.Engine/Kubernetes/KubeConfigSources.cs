namespace ClusterManagement.Engine.Kubernetes;

/// <summary>Decides which kubeconfig files apply, in kubectl's order of precedence.</summary>
internal static class KubeConfigSources
{
    public const string EnvironmentVariable = "KUBECONFIG";

    /// <summary>
    /// An explicit path list wins, then $KUBECONFIG, then ~/.kube/config. An empty result means
    /// "no file": the caller then tries the in-cluster service account.
    /// </summary>
    public static IReadOnlyList<string> Resolve(string? explicitPaths)
    {
        var list = explicitPaths ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(list))
        {
            var paths = Split(list);
            // An explicit -KubeConfig must exist; $KUBECONFIG entries that do not exist are skipped, as kubectl does.
            if (explicitPaths is not null)
            {
                return paths;
            }

            return paths.Where(File.Exists).ToList();
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultPath = Path.Combine(home, ".kube", "config");
        return File.Exists(defaultPath) ? [defaultPath] : [];
    }

    private static List<string> Split(string list) =>
        list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
