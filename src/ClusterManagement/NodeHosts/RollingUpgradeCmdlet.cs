using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.NodeHosts.Rollout;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Commands.NodeHosts;

/// <summary>
/// Base of the rolling node upgrades (Update-NodeDocker, Update-ClusterNode): how many nodes at a time, how each is taken
/// out of service (kubectl drain's flags, or only a cordon) and its budget, which the engine's node upgrade cycle takes as one.
/// </summary>
public abstract class RollingUpgradeCmdlet : NodeHostCmdlet
{
    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxUnavailable { get; set; } = 1;

    [Parameter]
    public SwitchParameter SkipDrain { get; set; }

    [Parameter]
    public SwitchParameter DeleteEmptyDirData { get; set; }

    [Parameter]
    public SwitchParameter DeleteUnmanagedPods { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force.IsPresent;

    private protected EngineUpgradeOptions UpgradeOptions() => new(
        SkipDrain ? null : new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = DeleteEmptyDirData.IsPresent, DeleteUnmanagedPods = DeleteUnmanagedPods.IsPresent },
        Timeout);
}
