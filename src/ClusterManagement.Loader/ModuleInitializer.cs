using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace ClusterManagement.Loader;

/// <summary>
/// Routes ClusterManagement.Engine into the module's own load context, where everything the engine
/// needs then resolves; ClusterManagement.Types stays in the default context for both sides.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    internal const string TypesAssemblyName = "ClusterManagement.Types";
    private const string EngineAssemblyName = "ClusterManagement.Engine";

    private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
    private static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");

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

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) => name.Name switch
    {
        EngineAssemblyName => LoadContext.Value.LoadFromAssemblyName(name),
        // Requested by the engine before any cmdlet touched it: the module root's copy, in the default context.
        TypesAssemblyName => context.LoadFromAssemblyPath(Path.Combine(ModuleFolder, TypesAssemblyName + ".dll")),
        _ => null,
    };
}
