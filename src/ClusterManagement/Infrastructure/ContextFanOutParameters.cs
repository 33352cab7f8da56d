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
public abstract class ContextInputParameters
{
    /// <summary>A context from Get-ClusterContext: the command runs on every piped context.</summary>
    [Parameter(ValueFromPipeline = true)]
    public ClusterContext? InputContext { get; set; }

    /// <summary>How many contexts are worked on at the same time.</summary>
    internal abstract int ContextLimit { get; }

    /// <summary>Whether no further context starts after the first one that failed.</summary>
    internal virtual bool StopsOnFirstFailure => false;
}

/// <summary>The context parameters of a cluster cmdlet, whose -ThrottleLimit counts contexts.</summary>
public class ContextFanOutParameters : ContextInputParameters
{
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    internal override int ContextLimit => ThrottleLimit;
}

/// <summary>The parameters of a cmdlet that changes things across several contexts.</summary>
public sealed class ContextChangeParameters : ContextFanOutParameters
{
    /// <summary>Starts no further context after the first one that failed: staging first, then production.</summary>
    [Parameter]
    public SwitchParameter StopOnFirstFailure { get; set; }

    internal override bool StopsOnFirstFailure => StopOnFirstFailure.IsPresent;
}

/// <summary>
/// The context parameters of a node-host cmdlet: its own -ThrottleLimit counts the nodes worked on at once in
/// each cluster, so the contexts have -ContextThrottleLimit.
/// </summary>
public class NodeHostContextParameters : ContextInputParameters
{
    [Parameter]
    [ValidateRange(1, 64)]
    public int ContextThrottleLimit { get; set; } = 4;

    internal override int ContextLimit => ContextThrottleLimit;
}

/// <summary>The parameters of a node-host cmdlet that changes node hosts across several contexts.</summary>
public sealed class NodeHostContextChangeParameters : NodeHostContextParameters
{
    /// <summary>Starts no further context after the first one that failed: staging first, then production.</summary>
    [Parameter]
    public SwitchParameter StopOnFirstFailure { get; set; }

    internal override bool StopsOnFirstFailure => StopOnFirstFailure.IsPresent;
}
