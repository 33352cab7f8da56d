using System.Reflection;
using System.Runtime.Loader;

namespace ClusterManagement.Loader;

/// <summary>
/// The module's private AssemblyLoadContext. KubernetesClient needs YamlDotNet 18 while a typical
/// admin session already holds powershell-yaml's YamlDotNet 11; loading the engine and everything it
/// depends on here lets both live side by side.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver resolver;

    public DependencyLoadContext(string engineAssemblyPath)
        : base("ClusterManagement", isCollectible: false)
    {
        resolver = new AssemblyDependencyResolver(engineAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The shared types must have one identity on both sides: always the default context's copy.
        if (assemblyName.Name == ModuleInitializer.TypesAssemblyName)
        {
            return null;
        }

        // Anything not shipped in dependencies/ (the framework itself) comes from the default context.
        var path = resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
