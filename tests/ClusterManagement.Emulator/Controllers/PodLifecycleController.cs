using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Kubelet;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// Plays the kubelet for pods: a pod bound to an existing node is first synced after the pod-ready
/// delay, and from then on as <see cref="EmulatedKubelet"/> asks (image pull back-off, crash loops,
/// failing readiness probes; a pod with none of these runs and is Ready at the first sync), with
/// the kubelet's events; a terminating pod is released (grace set to 0, so the store removes it once no
/// finalizers are left) when its grace period has passed. Work is kept in a due-time queue fed by
/// a watch, so thousands of pods cost nothing while nothing is due.
/// </summary>
public sealed class PodLifecycleController : IEmulatorController
{
    private enum Action
    {
        Start,
        Sync,
        Release,
    }

    private sealed record Work(string? Namespace, string Name, string Uid, Action Action);

    private readonly Dictionary<string, int> _nextAddress = [];
    private EmulatedKubelet _kubelet = new();

    public string Name => "pod-lifecycle";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var queue = new PriorityQueue<Work, DateTimeOffset>();
        _kubelet = new EmulatedKubelet();
        var snapshot = context.Store.List(CoreKinds.Pods);
        using var subscription = context.Store.Watch(CoreKinds.Pods, snapshot.ResourceVersion);
        foreach (var pod in snapshot.Items)
        {
            Schedule(pod, queue, context);
        }
        var pending = subscription.Events.WaitToReadAsync(cancellationToken).AsTask();
        while (true)
        {
            var now = context.Time.GetUtcNow();
            if (queue.TryPeek(out var work, out var due) && due <= now)
            {
                queue.Dequeue();
                Perform(work, context, queue);
                continue;
            }
            using (var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var timer = Task.Delay(queue.Count > 0 ? due - now : Timeout.InfiniteTimeSpan, context.Time, wake.Token);
                await Task.WhenAny(pending, timer);
                await wake.CancelAsync();
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (!pending.IsCompleted)
            {
                continue;
            }
            if (!await pending)
            {
                return;
            }
            while (subscription.Events.TryRead(out var e))
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    Schedule(e.Object, queue, context);
                }
                else
                {
                    _kubelet.Forget(e.Object.Uid);
                }
            }
            pending = subscription.Events.WaitToReadAsync(cancellationToken).AsTask();
        }
    }

    private static void Schedule(StoredObject stored, PriorityQueue<Work, DateTimeOffset> queue, EmulatorContext context)
    {
        var pod = stored.ToJson();
        var now = context.Time.GetUtcNow();
        if (pod.At("metadata", "deletionTimestamp") is not null)
        {
            if ((pod.LongAt("metadata", "deletionGracePeriodSeconds") ?? 0) > 0)
            {
                var grace = TimeSpan.FromSeconds(pod.LongAt("metadata", "deletionGracePeriodSeconds")!.Value);
                queue.Enqueue(new Work(stored.Namespace, stored.Name, stored.Uid, Action.Release), now + grace);
            }
        }
        else if (IsWaitingToStart(pod))
        {
            queue.Enqueue(new Work(stored.Namespace, stored.Name, stored.Uid, Action.Start), now + context.Settings.PodReadyDelay);
        }
    }

    private static bool IsWaitingToStart(JsonObject pod) =>
        pod.StringAt("spec", "nodeName") is { Length: > 0 } && pod.StringAt("status", "phase") is null or "Pending"
        && pod.At("status", "containerStatuses") is null;

    private void Perform(Work work, EmulatorContext context, PriorityQueue<Work, DateTimeOffset> queue)
    {
        var node = work.Action == Action.Release ? null : context.Store.Get(CoreKinds.Nodes, null, NodeOf(work, context) ?? "");
        List<KubeletEvent> events = [];
        DateTimeOffset? next = null;
        JsonObject synced;
        try
        {
            synced = context.Store.Mutate(CoreKinds.Pods, work.Namespace, work.Name, pod =>
            {
                if (pod.StringAt("metadata", "uid") != work.Uid)
                {
                    return false;
                }
                if (work.Action == Action.Release)
                {
                    if (pod.At("metadata", "deletionTimestamp") is null)
                    {
                        return false;
                    }
                    pod.Metadata()["deletionGracePeriodSeconds"] = 0;
                    return true;
                }
                if (node is null || pod.At("metadata", "deletionTimestamp") is not null
                    || (work.Action == Action.Start ? !IsWaitingToStart(pod) : pod.StringAt("status", "phase") is "Succeeded" or "Failed"))
                {
                    return false;
                }
                var before = pod["status"]?.ToJsonString();
                if (work.Action == Action.Start)
                {
                    // The sandbox comes first: the pod has its IP while images are still being pulled.
                    var status = pod.ObjectAt("status");
                    status["hostIP"] = HostIp(node);
                    status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = HostIp(node) });
                    var podIp = NextPodIp(node);
                    status["podIP"] = podIp;
                    status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
                }
                (events, next) = _kubelet.Sync(pod, node.Name(), context.Settings, context.Settings.Images, context.Time.GetUtcNow());
                return pod["status"]?.ToJsonString() != before;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone already.
            return;
        }
        foreach (var e in events)
        {
            context.Record(synced, e.Type, e.Reason, e.Message, new EventSource("kubelet", node!.Name(), $"spec.containers{{{e.Container}}}"));
        }
        if (next is { } due)
        {
            queue.Enqueue(work with { Action = Action.Sync }, due);
        }
    }

    private static string? NodeOf(Work work, EmulatorContext context) =>
        context.Store.Get(CoreKinds.Pods, work.Namespace, work.Name)?.StringAt("spec", "nodeName");

    private static string HostIp(JsonObject node) =>
        node.ObjectsAt("status", "addresses").FirstOrDefault(a => a.StringAt("type") == "InternalIP")?.StringAt("address") ?? "";

    /// <summary>Addresses from the node's pod CIDR, from .10 up (lower ones are the seeded system pods').</summary>
    private string NextPodIp(JsonObject node)
    {
        var cidr = node.StringAt("spec", "podCIDR") ?? "10.244.0.0/24";
        var next = _nextAddress.GetValueOrDefault(node.Name(), 10);
        _nextAddress[node.Name()] = next >= 254 ? 10 : next + 1;
        return cidr[..cidr.LastIndexOf('.')] + "." + next;
    }
}
