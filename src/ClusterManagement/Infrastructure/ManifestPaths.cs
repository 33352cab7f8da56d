using System.Management.Automation;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Turns -Path values (files, folders, wildcards, PowerShell paths) into manifest files, in a stable order.</summary>
internal static class ManifestPaths
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            IEnumerable<string> resolved;
            try
            {
                resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
            }
            catch (ItemNotFoundException)
            {
                throw new ArgumentException($"No manifest found at '{path}'.");
            }
            foreach (var item in resolved)
            {
                if (Directory.Exists(item))
                {
                    files.AddRange(Directory.EnumerateFiles(item)
                        .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                        .Order(StringComparer.Ordinal));
                }
                else
                {
                    files.Add(item);
                }
            }
        }
        return files.Count > 0 ? files : throw new ArgumentException($"No .yaml, .yml or .json manifests found at: {string.Join(", ", paths)}.");
    }
}
