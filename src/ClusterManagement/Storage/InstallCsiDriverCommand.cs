using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Manifests;
using ClusterManagement.Engine.Manifests;
using ClusterManagement.Commands.Manifests;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

/// <summary>
/// Applies a CSI driver's manifests (server-side, as Publish-ClusterManifest) and waits until its
/// CSIDriver object exists and its controller and node workloads are ready; returns the driver.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "CsiDriver", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "Install-CsiDriver.md")]
[OutputType(typeof(CsiDriver))]
public sealed class InstallCsiDriverCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    /// <summary>Takes over fields that other field managers own (kubectl's --force-conflicts); -Force only skips confirmation.</summary>
    [Parameter]
    public SwitchParameter ForceConflicts { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The driver to wait for; defaults to the CSIDriver object in the manifests.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void ProcessRecord()
    {
        IReadOnlyList<ManifestDocument> documents;
        string driver;
        try
        {
            documents = ManifestReader.ReadFiles(ManifestPaths.Resolve(this, Path));
            driver = CsiDriverInstaller.DriverNameOf(documents, Name);
        }
        catch (ArgumentException e)
        {
            ThrowErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ManifestNotFound, e.Message, Path));
            return;
        }
        catch (ClusterException e)
        {
            ThrowErrorRecord(ErrorRecords.From(e));
            return;
        }
        RunInContexts(async (connection, writer, ct) =>
        {
            var applied = new List<AppliedObject>();
            var skipped = false;
            await foreach (var result in new ManifestService(connection, writer).ApplyAsync(documents, SessionNamespaceFor(connection), ForceConflicts, async plan =>
            {
                var go = await writer.ShouldProcessAsync(plan.Target, $"Apply for CSI driver {driver} ({(plan.Exists ? "update" : "create")})").ConfigureAwait(false);
                skipped |= !go;
                return go;
            }, ct).ConfigureAwait(false))
            {
                applied.Add(result);
                writer.Verbose($"{result}: {result.Action.ToString().ToLowerInvariant()}");
            }
            if (!skipped)
            {
                writer.Object(await new CsiDriverInstaller(connection, writer).WaitReadyAsync(driver, applied, Timeout, ct).ConfigureAwait(false));
            }
        });
    }
}
