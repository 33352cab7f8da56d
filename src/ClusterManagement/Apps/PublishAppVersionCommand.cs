using System.Collections;
using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Infrastructure;

namespace ClusterManagement.Apps;

[Cmdlet(VerbsData.Publish, "AppVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AppRollout))]
public sealed class PublishAppVersionCommand : AppCmdlet
{
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
    public object Image { get; set; } = "";

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
        RunForApp(async (writer, ct) =>
        {
            var connection = Connect();
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

    /// <summary>Reads -Image on the pipeline thread, so a bad reference or shape is an error before any request.</summary>
    private List<KeyValuePair<string?, string>>? ParseImages()
    {
        var value = Image is PSObject wrapped ? wrapped.BaseObject : Image;
        var images = new List<KeyValuePair<string?, string>>();
        if (value is IDictionary map)
        {
            if (Container is not null)
            {
                WriteErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ContainerWithImageMap, "-Container names one container; with a hashtable -Image names them itself. Give one or the other.", Container));
                return null;
            }
            foreach (DictionaryEntry entry in map)
            {
                images.Add(new(entry.Key?.ToString(), (entry.Value is PSObject p ? p.BaseObject : entry.Value)?.ToString() ?? ""));
            }
        }
        else if (value is string text)
        {
            images.Add(new(Container, text));
        }
        else
        {
            WriteErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ImageNotRecognized, $"-Image takes an image reference or a hashtable of container name to image, not {value.GetType().Name}.", Image));
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
        return images;
    }
}
