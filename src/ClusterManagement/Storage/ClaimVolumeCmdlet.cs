using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

/// <summary>Base of the volume cmdlets: a claim from the pipeline (Get-CsiVolumeClaim) means its bound volume.</summary>
public abstract class ClaimVolumeCmdlet : ReferringInputCmdlet<CsiVolumeClaim>
{
    private protected override string? ReferredName(CsiVolumeClaim input) => input.Volume;

    private protected override ErrorRecord Unreferred(CsiVolumeClaim input) => ErrorRecords.InvalidArgument(ClusterErrors.ClaimNotBound, $"Claim {input} is {input.Status} and bound to no volume yet.", input);
}
