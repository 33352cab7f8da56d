using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Events;
using ClusterManagement.Events;

namespace ClusterManagement.Commands.Events;

[Cmdlet(VerbsCommon.Get, "ClusterEvent", DefaultParameterSetName = InNamespace, HelpUri = HelpPages.Docs + "Get-ClusterEvent.md")]
[OutputType(typeof(ClusterEvent))]
public sealed class GetClusterEventCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    private const string InNamespace = "InNamespace";
    private const string Everywhere = "AllNamespaces";
    private const string AboutObject = "AboutObject";

    [Parameter(ParameterSetName = InNamespace)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = Everywhere)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>An object of this module; its events, and for an app those of its ReplicaSets and pods.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AboutObject, Position = 0, ValueFromPipeline = true)]
    [Alias("InputObject")]
    [ValidateNotNull]
    public IClusterObject? Object { get; set; }

    [Parameter]
    public ClusterEventType? Type { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Reason { get; set; }

    /// <summary>Only events last seen since then: how long ago (TimeSpan, seconds) or a DateTime.</summary>
    [Parameter]
    [SinceTransformation]
    public DateTime? Since { get; set; }

    [Parameter]
    public SwitchParameter Watch { get; set; }

    /// <summary>With -Watch, stop after this long; without it, until Ctrl+C.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? Timeout { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Timeout is { } timeout && (!Watch || timeout <= TimeSpan.Zero))
        {
            ThrowErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.EventWatchTimeoutInvalid,
                Watch ? "-Timeout must be more than zero." : "-Timeout bounds -Watch: give -Watch with it, or leave -Timeout out.", timeout));
        }
    }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var events = new EventService(connection, writer);
        var reasons = new NameFilter(Reason);
        var (ns, subjects) = Object is { } input
            ? await events.SubjectsOfAsync(input, ct).ConfigureAwait(false)
            : (AllNamespaces ? null : NamespaceFor(connection, Namespace), null);

        bool Wanted(ClusterEvent e) =>
            (Type is null || e.Type == Type)
            && reasons.Matches(e.Reason)
            && (Since is null || e.LastSeen >= Since)
            && (subjects is null || subjects.Any(s => s.IsAbout(e.InvolvedObject)));

        if (Watch)
        {
            await events.WatchAsync(ns, Wanted, writer.Object, Timeout ?? System.Threading.Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
            return;
        }

        foreach (var e in await events.ListAsync(ns, Wanted, ct).ConfigureAwait(false))
        {
            writer.Object(e);
        }
    });
}
