using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Manifests;
using ClusterManagement.Engine.Manifests;

namespace ClusterManagement.Commands.Manifests;

/// <summary>
/// Server-side apply of YAML/JSON manifests (field manager "clustermanagement"), namespaces first,
/// then CRDs, then RBAC, then the rest. -WhatIf prints the plan: which objects would be created and
/// which applied to existing ones.
/// </summary>
[Cmdlet(VerbsData.Publish, "ClusterManifest", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "Publish-ClusterManifest.md")]
[OutputType(typeof(AppliedObject))]
public sealed class PublishClusterManifestCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    /// <summary>Takes over fields that other field managers own (kubectl's --force-conflicts); -Force only skips confirmation.</summary>
    [Parameter]
    public SwitchParameter ForceConflicts { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>For namespaced objects whose manifest names no namespace.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Waits until the Deployments, StatefulSets and DaemonSets applied are ready.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void ProcessRecord()
    {
        IReadOnlyList<ManifestDocument> documents;
        try
        {
            documents = ManifestReader.ReadFiles(ManifestPaths.Resolve(this, Path));
        }
        catch (ArgumentException e)
        {
            ThrowErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ManifestNotFound, e.Message, Path));
            return;
        }
        catch (Diagnostics.ClusterException e)
        {
            ThrowErrorRecord(ErrorRecords.From(e));
            return;
        }
        RunInContexts(async (connection, writer, ct) =>
        {
            var applied = new List<AppliedObject>();
            var skipped = false;
            await foreach (var result in new ManifestService(connection, writer).ApplyAsync(documents, Namespace ?? SessionNamespaceFor(connection), ForceConflicts, async plan =>
            {
                var go = await writer.ShouldProcessAsync(plan.Target, plan.Exists ? "Apply (server-side, update)" : "Apply (server-side, create)").ConfigureAwait(false);
                skipped |= !go;
                return go;
            }, ct).ConfigureAwait(false))
            {
                applied.Add(result);
                writer.Object(result);
            }
            if (Wait && !skipped)
            {
                await new WorkloadReadiness(connection, writer).WaitAsync(applied, Timeout, "Waiting for applied workloads", ct).ConfigureAwait(false);
            }
        });
    }
}
