using System.Management.Automation;
using ClusterManagement.Connection;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>How many kubeconfig contexts a cmdlet works on in one call.</summary>
internal enum ContextReach
{
    /// <summary>One: a -Context that selects several is an error.</summary>
    One,

    /// <summary>Several at once, reading.</summary>
    Reads,

    /// <summary>Several at once, changing: confirmation per cluster, and -StopOnFirstFailure for staged changes.</summary>
    Changes,
}

/// <summary>
/// The parameters of a cmdlet that works across several contexts (<see cref="ClusterCmdlet.Reach"/>). They are
/// dynamic parameters of <see cref="ClusterCmdlet"/>, so every such cmdlet has them from one place and the
/// cmdlets that work on one context do not offer them.
/// </summary>
public class ContextFanOutParameters
{
    /// <summary>A context from Get-ClusterContext: the command runs on every piped context.</summary>
    [Parameter(ValueFromPipeline = true)]
    public ClusterContext? InputContext { get; set; }

    /// <summary>How many contexts are worked on at the same time.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;
}

/// <summary>The parameters of a cmdlet that changes things across several contexts.</summary>
public sealed class ContextChangeParameters : ContextFanOutParameters
{
    /// <summary>Starts no further context after the first one that failed: staging first, then production.</summary>
    [Parameter]
    public SwitchParameter StopOnFirstFailure { get; set; }
}
