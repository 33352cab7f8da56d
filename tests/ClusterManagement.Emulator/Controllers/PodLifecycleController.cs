using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// Plays the kubelet for pods: a pod bound to an existing node starts Running after the pod-ready
/// delay, unless one of its images cannot be pulled (see <see cref="PodConditions.IsUnpullable"/>),
/// which leaves it Pending in ImagePullBackOff, never Ready; a terminating pod is released (grace set to 0, so the store removes it once no
/// finalizers are left) when its grace period has passed. Work is kept in a due-time queue fed by
/// a watch, so thousands of pods cost nothing while nothing is due.
/// </summary>
public sealed class PodLifecycleController : IEmulatorController
{
    private enum Action
    {
        Start,
        Release,
    }

    private sealed record Work(string? Namespace, string Name, string Uid, Action Action);

    private readonly Dictionary<string, int> _nextAddress = [];

    public string Name => "pod-lifecycle";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var queue = new PriorityQueue<Work, DateTimeOffset>();
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
                Perform(work, context);
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

    private void Perform(Work work, EmulatorContext context)
    {
        var node = work.Action == Action.Start ? context.Store.Get(CoreKinds.Nodes, null, NodeOf(work, context) ?? "") : null;
        try
        {
            context.Store.Mutate(CoreKinds.Pods, work.Namespace, work.Name, pod =>
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
                if (node is null || !IsWaitingToStart(pod) || pod.At("metadata", "deletionTimestamp") is not null)
                {
                    return false;
                }
                if (pod.ObjectsAt("spec", "containers").Any(c => PodConditions.IsUnpullable(c.StringAt("image"))))
                {
                    PodConditions.MarkImagePullBackOff(pod, HostIp(node), context.Time.GetUtcNow());
                    return true;
                }
                PodConditions.MarkRunning(pod, HostIp(node), NextPodIp(node), context.Time.GetUtcNow());
                return true;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone already.
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
