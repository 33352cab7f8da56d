using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

[Cmdlet(VerbsCommon.New, "StorageClass", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "New-StorageClass.md")]
[OutputType(typeof(StorageClass))]
public sealed class NewStorageClassCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CsiDriverNameCompleter))]
    public string Provisioner { get; set; } = "";

    /// <summary>Provisioner parameters; values are sent as strings (true becomes "true").</summary>
    [Parameter]
    [Alias("Parameters")]
    public Hashtable? Parameter { get; set; }

    [Parameter]
    [ValidateSet("Delete", "Retain")]
    public string ReclaimPolicy { get; set; } = "Delete";

    [Parameter]
    public SwitchParameter AllowVolumeExpansion { get; set; }

    [Parameter]
    [ValidateSet("Immediate", "WaitForFirstConsumer")]
    public string VolumeBindingMode { get; set; } = "Immediate";

    /// <summary>Makes the new class the cluster's default, clearing the previous default.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    [Parameter]
    [Alias("MountOptions")]
    [ValidateNotNullOrEmpty]
    public string[]? MountOption { get; set; }

    protected override void ProcessRecord()
    {
        var parameters = ParameterMaps.Strings(Parameter);
        RunInContexts(async (connection, writer, ct) =>
        {
            if (!await writer.ShouldProcessAsync($"StorageClass '{Name}'", $"Create with provisioner {Provisioner}, reclaim policy {ReclaimPolicy}{(Default ? ", as the default class" : "")}").ConfigureAwait(false))
            {
                return;
            }

            var request = new StorageClassRequest(Name, Provisioner, parameters, ReclaimPolicy, VolumeBindingMode, AllowVolumeExpansion, Default, MountOption ?? []);
            writer.Object(await new StorageClassService(connection, writer).CreateAsync(request, ct).ConfigureAwait(false));
        });
    }
}
