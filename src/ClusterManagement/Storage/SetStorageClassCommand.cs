using System.Collections;
using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

/// <summary>
/// Changes what Kubernetes lets change on a class: whether it is the default and whether it allows
/// volume expansion. Parameters, provisioner, reclaim policy and binding mode are immutable: asking
/// to change them is refused before any request, with what to do instead.
/// </summary>
[Cmdlet(VerbsCommon.Set, "StorageClass", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "Set-StorageClass.md")]
[OutputType(typeof(StorageClass))]
public sealed class SetStorageClassCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("StorageClass")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StorageClassNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>-Default makes it the default (clearing the previous one); -Default:$false stops it being the default.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    [Parameter]
    public SwitchParameter AllowVolumeExpansion { get; set; }

    [Parameter]
    [Alias("Parameters")]
    public Hashtable? Parameter { get; set; }

    [Parameter]
    [ValidateSet("Delete", "Retain")]
    public string? ReclaimPolicy { get; set; }

    [Parameter]
    [ValidateSet("Immediate", "WaitForFirstConsumer")]
    public string? VolumeBindingMode { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        bool? makeDefault = MyInvocation.BoundParameters.ContainsKey(nameof(Default)) ? Default.IsPresent : null;
        bool? allowExpansion = MyInvocation.BoundParameters.ContainsKey(nameof(AllowVolumeExpansion)) ? AllowVolumeExpansion.IsPresent : null;
        var parameters = Parameter is null ? null : ParameterMaps.Strings(Parameter);
        RunInContexts(async (connection, writer, ct) =>
        {
            var classes = new StorageClassService(connection, writer);
            var current = await classes.GetAsync(Name, ct).ConfigureAwait(false);
            var immutable = new List<string>();
            if (parameters is not null && !SameMap(parameters, current.Parameters))
            {
                immutable.Add("parameters");
            }
            if (ReclaimPolicy is not null && ReclaimPolicy != current.ReclaimPolicy)
            {
                immutable.Add("reclaim policy");
            }
            if (VolumeBindingMode is not null && VolumeBindingMode != current.VolumeBindingMode)
            {
                immutable.Add("volume binding mode");
            }
            if (immutable.Count > 0)
            {
                writer.Error(ErrorRecords.InvalidArgument(ClusterErrors.StorageClassFieldImmutable,
                    $"The {string.Join(" and ", immutable)} of StorageClass '{Name}' cannot change: Kubernetes makes them immutable once a class exists. " +
                    $"Create a new class with the new settings (New-StorageClass) for new claims; existing volumes keep the settings they were provisioned with. " +
                    "To change a volume's reclaim policy, use Set-CsiVolume -ReclaimPolicy.", Name));
                return;
            }
            if (makeDefault is null && allowExpansion is null)
            {
                writer.Verbose($"Nothing to change on StorageClass '{Name}'.");
                if (PassThru)
                {
                    writer.Object(current);
                }
                return;
            }
            var change = string.Join(", ", new[]
            {
                makeDefault is { } d ? (d ? "make it the default class" : "stop it being the default class") : null,
                allowExpansion is { } a ? (a ? "allow volume expansion" : "disallow volume expansion") : null,
            }.OfType<string>());
            if (!await writer.ShouldProcessAsync($"StorageClass '{Name}'", change).ConfigureAwait(false))
            {
                return;
            }
            var changed = await classes.SetAsync(Name, makeDefault, allowExpansion, ct).ConfigureAwait(false);
            if (PassThru)
            {
                writer.Object(changed);
            }
        });
    }

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
