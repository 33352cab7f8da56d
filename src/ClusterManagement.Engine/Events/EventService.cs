using ClusterManagement.Apps;
using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Apps;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Events;
using ClusterManagement.Nodes;
using ClusterManagement.Storage;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Events;

/// <summary>
/// Reads the cluster's events as kubectl events does: from events.k8s.io/v1 where the server serves it,
/// else from core/v1 (both hold the same Event objects), sorted by when they were last seen.
/// </summary>
internal sealed class EventService(ClusterConnection connection, IOperationLog log)
{
    private static ResourceRef Ref(string? ns) => new("Event", null, ns ?? "*");

    /// <summary>Above this many objects, one read of their namespace filtered here costs less than a selected read per object.</summary>
    private const int MostSelectedReads = 16;

    private bool? eventsV1Served;

    /// <summary>Every event in <paramref name="ns"/> (null: every namespace) that <paramref name="wanted"/> keeps.</summary>
    public Task<IReadOnlyList<ClusterEvent>> ListAsync(string? ns, Func<ClusterEvent, bool> wanted, CancellationToken cancellationToken) =>
        ListAsync(ns, null, wanted, cancellationToken);

    /// <param name="ns">Null for every namespace.</param>
    /// <param name="about">
    /// Only the events about these objects, each read with a field selector (in its own namespace, or in every
    /// namespace for a cluster-scoped object) rather than the whole namespace; null for every event in <paramref name="ns"/>.
    /// </param>
    public async Task<IReadOnlyList<ClusterEvent>> ListAsync(string? ns, IReadOnlyList<EventSubject>? about, Func<ClusterEvent, bool> wanted, CancellationToken cancellationToken)
    {
        var events = new Dictionary<(string, string), ClusterEvent>();
        if (about is null || about.Count > MostSelectedReads)
        {
            await ReadAsync(ns, null, Keep, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var subject in about)
            {
                await ReadAsync(subject.Namespace, subject.FieldSelector, Keep, cancellationToken).ConfigureAwait(false);
            }
        }

        return Sorted([.. events.Values]);

        void Keep(ClusterEvent e)
        {
            if (wanted(e) && IsAbout(about, e))
            {
                events[(e.Namespace, e.Name)] = e;
            }
        }
    }

    /// <summary>The reasons of the events in a namespace (null: every namespace), from one page: what -Reason completes.</summary>
    public async Task<IReadOnlyList<string>> ListReasonsAsync(string? ns, CancellationToken cancellationToken)
    {
        var reasons = new HashSet<string>(StringComparer.Ordinal);
        if (await ServesEventsV1Async(ns, cancellationToken).ConfigureAwait(false))
        {
            var page = await KubeApi.Call(
                ct => ns is null
                    ? connection.Client.EventsV1.ListEventForAllNamespacesAsync(limit: Paging.PageSize, cancellationToken: ct)
                    : connection.Client.EventsV1.ListNamespacedEventAsync(ns, limit: Paging.PageSize, cancellationToken: ct),
                Ref(ns), cancellationToken, idempotent: false).ConfigureAwait(false);
            reasons.UnionWith(page.Items.Select(e => e.Reason).OfType<string>());
        }
        else
        {
            var page = await KubeApi.Call(
                ct => ns is null
                    ? connection.Client.CoreV1.ListEventForAllNamespacesAsync(limit: Paging.PageSize, cancellationToken: ct)
                    : connection.Client.CoreV1.ListNamespacedEventAsync(ns, limit: Paging.PageSize, cancellationToken: ct),
                Ref(ns), cancellationToken, idempotent: false).ConfigureAwait(false);
            reasons.UnionWith(page.Items.Select(e => e.Reason).OfType<string>());
        }

        reasons.Remove("");
        return [.. reasons.Order(StringComparer.Ordinal)];
    }

    /// <summary>Every event in <paramref name="ns"/> (null: all), or those <paramref name="selector"/> selects under the labels of the API read.</summary>
    private async Task ReadAsync(string? ns, Func<bool, string>? selector, Action<ClusterEvent> keep, CancellationToken cancellationToken)
    {
        if (await ServesEventsV1Async(ns, cancellationToken).ConfigureAwait(false))
        {
            var fieldSelector = selector?.Invoke(true);
            var pages = Paging.ListAll<Eventsv1EventList, Eventsv1Event>(
                (token, limit, ct) => ns is null
                    ? connection.Client.EventsV1.ListEventForAllNamespacesAsync(continueParameter: token, fieldSelector: fieldSelector, limit: limit, cancellationToken: ct)
                    : connection.Client.EventsV1.ListNamespacedEventAsync(ns, continueParameter: token, fieldSelector: fieldSelector, limit: limit, cancellationToken: ct),
                list => list.Items, list => list.Metadata?.ContinueProperty, Ref(ns), cancellationToken);
            await foreach (var e in pages.ConfigureAwait(false))
            {
                keep(EventMapper.FromEventsV1(e));
            }
        }
        else
        {
            var fieldSelector = selector?.Invoke(false);
            var pages = Paging.ListAll<Corev1EventList, Corev1Event>(
                (token, limit, ct) => ns is null
                    ? connection.Client.CoreV1.ListEventForAllNamespacesAsync(continueParameter: token, fieldSelector: fieldSelector, limit: limit, cancellationToken: ct)
                    : connection.Client.CoreV1.ListNamespacedEventAsync(ns, continueParameter: token, fieldSelector: fieldSelector, limit: limit, cancellationToken: ct),
                list => list.Items, list => list.Metadata?.ContinueProperty, Ref(ns), cancellationToken);
            await foreach (var e in pages.ConfigureAwait(false))
            {
                keep(EventMapper.FromCore(e));
            }
        }
    }

    /// <summary>
    /// The wanted events there are now, sorted, then each new or repeated one as it happens, until
    /// <paramref name="timeout"/> or cancellation. A repeat of a series comes again with its new count.
    /// One watch whatever the number of objects in <paramref name="about"/>: a single object's events are
    /// selected by the server, several objects' by reading their namespace (every namespace when they differ).
    /// </summary>
    public async Task WatchAsync(
        string? ns, IReadOnlyList<EventSubject>? about, Func<ClusterEvent, bool> wanted, Action<ClusterEvent> seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var single = about is [var only] ? only : null;
        if (single is not null)
        {
            ns = single.Namespace;
        }

        bool Wanted(ClusterEvent e) => wanted(e) && IsAbout(about, e);
        if (await ServesEventsV1Async(ns, cancellationToken).ConfigureAwait(false))
        {
            var fieldSelector = single?.FieldSelector(true);
            await FollowAsync<Eventsv1Event>(
                async ct =>
                {
                    var list = ns is null
                        ? await connection.Client.EventsV1.ListEventForAllNamespacesAsync(fieldSelector: fieldSelector, cancellationToken: ct).ConfigureAwait(false)
                        : await connection.Client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: fieldSelector, cancellationToken: ct).ConfigureAwait(false);
                    return (list.Items.ToList(), list.Metadata.ResourceVersion);
                },
                (rv, onError, ct) => ns is null
                    ? connection.Client.EventsV1.WatchListEventForAllNamespacesAsync(fieldSelector: fieldSelector, resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct)
                    : connection.Client.EventsV1.WatchListNamespacedEventAsync(ns, fieldSelector: fieldSelector, resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
                EventMapper.FromEventsV1, ns, Wanted, seen, timeout, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var fieldSelector = single?.FieldSelector(false);
            await FollowAsync<Corev1Event>(
                async ct =>
                {
                    var list = ns is null
                        ? await connection.Client.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: fieldSelector, cancellationToken: ct).ConfigureAwait(false)
                        : await connection.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: fieldSelector, cancellationToken: ct).ConfigureAwait(false);
                    return (list.Items.ToList(), list.Metadata.ResourceVersion);
                },
                (rv, onError, ct) => ns is null
                    ? connection.Client.CoreV1.WatchListEventForAllNamespacesAsync(fieldSelector: fieldSelector, resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct)
                    : connection.Client.CoreV1.WatchListNamespacedEventAsync(ns, fieldSelector: fieldSelector, resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
                EventMapper.FromCore, ns, Wanted, seen, timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsAbout(IReadOnlyList<EventSubject>? about, ClusterEvent e) => about is null || about.Any(s => s.IsAbout(e.InvolvedObject));

    /// <summary>
    /// Rides on <see cref="CollectionWatch"/> (reconnects, relists on 410) with a condition that never holds:
    /// it only tells, on every look at the set, the events whose resourceVersion it has not told yet, so a
    /// relist repeats none.
    /// </summary>
    private async Task FollowAsync<T>(
        CollectionWatch.ReadAll<T> read, ObjectWatch.WatchFrom<T> watch, Func<T, ClusterEvent> map,
        string? ns, Func<ClusterEvent, bool> wanted, Action<ClusterEvent> seen, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class, IMetadata<V1ObjectMeta>
    {
        var told = new Dictionary<string, string?>(StringComparer.Ordinal);
        await CollectionWatch.UntilAsync(
            read,
            watch,
            set =>
            {
                var fresh = set
                    .Where(pair => !told.TryGetValue(pair.Key, out var version) || version != pair.Value.Metadata.ResourceVersion)
                    .ToList();
                foreach (var (uid, item) in fresh)
                {
                    told[uid] = item.Metadata.ResourceVersion;
                }

                foreach (var e in Sorted(fresh.Select(pair => map(pair.Value)).Where(wanted).ToList()))
                {
                    seen(e);
                }

                return false;
            },
            Ref(ns),
            timeout,
            log,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The objects whose events a module object stands for, and the namespace to read (null: every
    /// namespace, where the events of cluster-scoped objects are).
    /// </summary>
    public async Task<(string? Namespace, IReadOnlyList<EventSubject> Subjects)> SubjectsOfAsync(IClusterObject input, CancellationToken cancellationToken) => input switch
    {
        ClusterApp app => (app.Namespace, await SubjectsOfAppAsync(app.Namespace, app.Name, cancellationToken).ConfigureAwait(false)),
        AppRevision revision => (revision.Namespace, await SubjectsOfRevisionAsync(revision, cancellationToken).ConfigureAwait(false)),
        CsiVolumeClaim claim => (claim.Namespace, [new EventSubject("PersistentVolumeClaim", claim.Name, claim.Namespace, claim.Uid)]),
        ClusterNode node => (null, [new EventSubject("Node", node.Name, null)]),
        CsiVolume volume => (null, [new EventSubject("PersistentVolume", volume.Name, null)]),
        StorageClass storageClass => (null, [new EventSubject("StorageClass", storageClass.Name, null)]),
        CsiDriver driver => (null, [new EventSubject("CSIDriver", driver.Name, null)]),
        _ => throw new ClusterException(
            ClusterErrors.EventObjectUnsupported,
            $"-Object takes an object of this module (ClusterNode, ClusterApp, AppRevision, CsiVolumeClaim, CsiVolume, StorageClass, CsiDriver), not {input.GetType().FullName}.",
            input),
    };

    /// <summary>
    /// The Deployment, its ReplicaSets and their pods: what kubectl describe deployment and describe pod
    /// would show events for.
    /// </summary>
    private async Task<IReadOnlyList<EventSubject>> SubjectsOfAppAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var (deployment, owned) = await new AppService(connection).ReadWithReplicaSetsAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var subjects = new List<EventSubject> { new("Deployment", name, ns, deployment.Metadata.Uid) };
        subjects.AddRange(owned.Select(rs => new EventSubject("ReplicaSet", rs.Metadata.Name, ns, rs.Metadata.Uid)));
        subjects.AddRange(await PodsOfAsync(ns, LabelSelectorText.Format(deployment.Spec.Selector), owned.Select(rs => rs.Metadata.Uid), cancellationToken).ConfigureAwait(false));
        return subjects;
    }

    /// <summary>A revision's ReplicaSet and its pods.</summary>
    private async Task<IReadOnlyList<EventSubject>> SubjectsOfRevisionAsync(AppRevision revision, CancellationToken cancellationToken)
    {
        var rs = await KubeApi.Call(
            ct => connection.Client.AppsV1.ReadNamespacedReplicaSetAsync(revision.ReplicaSet, revision.Namespace, cancellationToken: ct),
            new ResourceRef("ReplicaSet", revision.ReplicaSet, revision.Namespace),
            cancellationToken).ConfigureAwait(false);
        var subjects = new List<EventSubject> { new("ReplicaSet", revision.ReplicaSet, revision.Namespace, rs.Metadata.Uid) };
        subjects.AddRange(await PodsOfAsync(revision.Namespace, LabelSelectorText.Format(rs.Spec.Selector), [rs.Metadata.Uid], cancellationToken).ConfigureAwait(false));
        return subjects;
    }

    private async Task<IEnumerable<EventSubject>> PodsOfAsync(string ns, string selector, IEnumerable<string> ownerUids, CancellationToken cancellationToken) =>
        (await OwnedPods.ListAsync(connection, ns, selector, ownerUids, cancellationToken).ConfigureAwait(false))
            .Select(pod => new EventSubject("Pod", pod.Metadata.Name, ns, pod.Metadata.Uid));

    /// <summary>events.k8s.io/v1 when the server lists it; a server without that API (404) is read through core/v1.</summary>
    private async Task<bool> ServesEventsV1Async(string? ns, CancellationToken cancellationToken)
    {
        if (eventsV1Served is { } known)
        {
            return known;
        }

        try
        {
            // Asked where the caller reads, so a user allowed one namespace only is not refused the probe.
            await KubeApi.Call(
                ct => ns is null
                    ? connection.Client.EventsV1.ListEventForAllNamespacesAsync(limit: 1, cancellationToken: ct)
                    : connection.Client.EventsV1.ListNamespacedEventAsync(ns, limit: 1, cancellationToken: ct),
                Ref(ns),
                cancellationToken).ConfigureAwait(false);
            eventsV1Served = true;
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            log.Verbose("The API server does not serve events.k8s.io/v1; reading core/v1 events.");
            eventsV1Served = false;
        }

        return eventsV1Served.Value;
    }

    private static IReadOnlyList<ClusterEvent> Sorted(List<ClusterEvent> events) =>
        events.OrderBy(e => e.LastSeen).ThenBy(e => e.FirstSeen).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
}
