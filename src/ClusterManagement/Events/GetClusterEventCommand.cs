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
    [ArgumentCompleter(typeof(EventReasonCompleter))]
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

    /// <summary>With -Watch, the objects piped in so far: they are watched together once the pipeline has given them all.</summary>
    private readonly List<IClusterObject> watched = [];

    protected override void ProcessRecord()
    {
        if (Watch && Object is { } piped)
        {
            watched.Add(piped);
            return;
        }

        RunInContexts(async (connection, writer, ct) =>
        {
            var events = new EventService(connection, writer);
            var (ns, subjects) = Object is { } input
                ? await events.SubjectsOfAsync(input, ct).ConfigureAwait(false)
                : (AllNamespaces ? null : NamespaceFor(connection, Namespace), null);
            if (Watch)
            {
                await events.WatchAsync(ns, subjects, Wanted, writer.Object, WatchTimeout, ct).ConfigureAwait(false);
                return;
            }

            foreach (var e in await events.ListAsync(ns, subjects, Wanted, ct).ConfigureAwait(false))
            {
                writer.Object(e);
            }
        });
    }

    protected override void EndProcessing()
    {
        if (watched.Count > 0)
        {
            RunInContexts(async (connection, writer, ct) =>
            {
                var events = new EventService(connection, writer);
                var namespaces = new HashSet<string?>();
                var subjects = new List<EventSubject>();
                foreach (var input in watched)
                {
                    try
                    {
                        var (ns, about) = await events.SubjectsOfAsync(input, ct).ConfigureAwait(false);
                        namespaces.Add(ns);
                        subjects.AddRange(about);
                    }
                    catch (ClusterException e)
                    {
                        writer.Error(ErrorRecords.From(e));
                    }
                }

                if (subjects.Count > 0)
                {
                    await events.WatchAsync(namespaces.Count == 1 ? namespaces.Single() : null, subjects, Wanted, writer.Object, WatchTimeout, ct).ConfigureAwait(false);
                }
            });
        }

        base.EndProcessing();
    }

    private TimeSpan WatchTimeout => Timeout ?? System.Threading.Timeout.InfiniteTimeSpan;

    private NameFilter? reasons;

    private bool Wanted(ClusterEvent e) =>
        (Type is null || e.Type == Type)
        && (reasons ??= new NameFilter(Reason)).Matches(e.Reason)
        && (Since is null || e.LastSeen >= Since);
}
