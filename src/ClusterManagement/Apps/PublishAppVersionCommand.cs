using System.Collections;
using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

[Cmdlet(VerbsData.Publish, "AppVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Publish-AppVersion.md")]
[OutputType(typeof(AppRollout))]
public sealed class PublishAppVersionCommand : AppCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? Timeout { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    [ContainerImagesTransformation]
    public ContainerImages? Image { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppContainerCompleter))]
    public string? Container { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChangeCause { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        var images = ParseImages();
        if (images is null)
        {
            return;
        }
        RunForApp(async (connection, writer, ct) =>
        {
            var ns = NamespaceFor(connection, Namespace);
            var apps = new AppService(connection);
            var what = string.Join(", ", images.Select(i => i.Key is null ? i.Value : $"{i.Key}={i.Value}"));
            if (!await writer.ShouldProcessAsync($"app {ns}/{Name}", $"Publish {what}").ConfigureAwait(false))
            {
                return;
            }
            var rollout = await apps.PublishAsync(ns, Name, images, ChangeCause, writer, ct).ConfigureAwait(false);
            if (Wait)
            {
                rollout = await FollowAfterAsync(apps, writer, rollout, Timeout, ct).ConfigureAwait(false);
            }
            writer.Object(rollout);
        });
    }

    /// <summary>Checks -Image on the pipeline thread, so a bad reference or shape is an error before any request.</summary>
    private IReadOnlyList<KeyValuePair<string?, string>>? ParseImages()
    {
        var images = Image!.Images;
        if (Image.NamesContainers && Container is not null)
        {
            WriteErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ContainerWithImageMap, "-Container names one container; with a hashtable -Image names them itself. Give one or the other.", Container));
            return null;
        }
        foreach (var (container, image) in images)
        {
            if (ImageReference.Problem(image) is { } problem)
            {
                WriteErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ImageReferenceInvalid, $"'{image}' is not a valid image reference{(container is null ? "" : $" for container '{container}'")}: {problem}.", image));
                return null;
            }
        }
        if (images.Count == 0)
        {
            WriteErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ImageMissing, "-Image is an empty hashtable: name at least one container and its image.", Image));
            return null;
        }
        return images.Select(i => new KeyValuePair<string?, string>(i.Key ?? Container, i.Value)).ToList();
    }
}
