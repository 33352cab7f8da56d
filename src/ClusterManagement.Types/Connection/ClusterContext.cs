namespace ClusterManagement.Connection;

/// <summary>One kubeconfig context, as Get-ClusterContext shows it.</summary>
public sealed class ClusterContext
{
    public required string Name { get; init; }
    public string? Cluster { get; init; }
    public string? Server { get; init; }
    public string? User { get; init; }

    /// <summary>The context's namespace, or <c>default</c> when it names none (kubectl's rule).</summary>
    public required string Namespace { get; init; }

    public bool IsCurrent { get; init; }

    /// <summary>The kubeconfig file that defined the context (the first one wins in a merge).</summary>
    public string? Source { get; init; }

    public override string ToString() => Name;
}
