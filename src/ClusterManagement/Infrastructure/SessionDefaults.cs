using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// What Use-ClusterContext chose, kept per runspace: never written to a kubeconfig file, so parallel
/// pipelines and sessions cannot change each other's target cluster.
/// </summary>
internal sealed class SessionDefaults
{
    private static readonly ConditionalWeakTable<Runspace, SessionDefaults> PerRunspace = new();

    public string? KubeConfig { get; set; }

    public string? Context { get; set; }

    public string? Namespace { get; set; }

    public static SessionDefaults Current =>
        Runspace.DefaultRunspace is { } runspace ? PerRunspace.GetValue(runspace, _ => new SessionDefaults()) : new SessionDefaults();
}
