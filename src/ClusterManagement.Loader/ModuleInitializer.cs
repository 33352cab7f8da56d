using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace ClusterManagement.Loader;

/// <summary>
/// Routes the one assembly the cmdlets reference directly, ClusterManagement.Engine, into the
/// module's own load context. Everything the engine needs then resolves inside that context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private const string EngineAssemblyName = "ClusterManagement.Engine";

    private static readonly string DependencyFolder =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

    private static readonly Lazy<DependencyLoadContext> LoadContext =
        new(() => new DependencyLoadContext(Path.Combine(DependencyFolder, EngineAssemblyName + ".dll")));

    private static int registered;

    public void OnImport()
    {
        // Import-Module -Force runs this again in the same process; one handler is enough.
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineAssemblyName ? LoadContext.Value.LoadFromAssemblyName(name) : null;
}
