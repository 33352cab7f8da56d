using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Scheduling;

/// <summary>
/// kube-scheduler with the default profile for pods without a node (spec.schedulerName
/// default-scheduler): filters nodes (<see cref="SchedulingFilters"/>), spreads a controller's pods
/// and prefers the least allocated node, binds as pods/binding does (spec.nodeName and PodScheduled
/// True) with a `Scheduled` event; a pod that fits nowhere gets PodScheduled False/Unschedulable
/// with FitError's message and a `FailedScheduling` event, both from default-scheduler through the
/// events.k8s.io recorder. As the real scheduling queue moves unschedulable pods back on cluster
/// events, such a pod is tried again when a node is added, removed or changes what scheduling reads
/// (labels, taints, unschedulable, allocatable, readiness), or when a pod on a node goes away.
/// </summary>
public sealed class PodScheduler : IEmulatorController
{
    public const string SchedulerName = "default-scheduler";

    /// <summary>The recorder's reportingInstance: the scheduler's name and its host, the emulated control plane.</summary>
    private const string Instance = SchedulerName + "-emulator";

    private readonly Dictionary<(string? Namespace, string Name), long> _waiting = [];
    private readonly Dictionary<string, string> _nodeShapes = [];
    private long _clusterChanges;
    private int _tieBreak;

    public string Name => SchedulerName;

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        _waiting.Clear();
        _nodeShapes.Clear();
        var pods = context.Store.List(CoreKinds.Pods);
        using var podWatch = context.Store.Watch(CoreKinds.Pods, pods.ResourceVersion);
        var nodes = context.Store.List(CoreKinds.Nodes);
        using var nodeWatch = context.Store.Watch(CoreKinds.Nodes, nodes.ResourceVersion);
        foreach (var pod in pods.Items)
        {
            Observe(WatchEventType.Added, pod.ToJson());
        }
        foreach (var node in nodes.Items)
        {
            _nodeShapes[node.Name] = Shape(node.ToJson());
        }
        var podsChanged = podWatch.Events.WaitToReadAsync(cancellationToken).AsTask();
        var nodesChanged = nodeWatch.Events.WaitToReadAsync(cancellationToken).AsTask();
        while (true)
        {
            if (_waiting.Any(w => w.Value < _clusterChanges))
            {
                SchedulePass(context);
            }
            await Task.WhenAny(podsChanged, nodesChanged);
            cancellationToken.ThrowIfCancellationRequested();
            if (!Drain(podWatch, ref podsChanged, e => Observe(e.Type, e.Object.ToJson()), cancellationToken)
                || !Drain(nodeWatch, ref nodesChanged, e => ObserveNode(e.Type, e.Object.ToJson()), cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Takes what a watch has ready once its wait completed; false when the watch has ended.</summary>
    private static bool Drain(WatchSubscription watch, ref Task<bool> pending, Action<WatchEvent> observe, CancellationToken cancellationToken)
    {
        if (!pending.IsCompleted)
        {
            return true;
        }
        if (!pending.GetAwaiter().GetResult())
        {
            return false;
        }
        while (watch.Events.TryRead(out var e))
        {
            observe(e);
        }
        pending = watch.Events.WaitToReadAsync(cancellationToken).AsTask();
        return true;
    }

    private static bool Unbound(JsonObject pod) =>
        pod.StringAt("spec", "nodeName") is null or ""
        && (pod.StringAt("spec", "schedulerName") ?? SchedulerName) == SchedulerName
        && pod.At("metadata", "deletionTimestamp") is null
        && pod.StringAt("status", "phase") is not ("Succeeded" or "Failed");

    private void Observe(WatchEventType type, JsonObject pod)
    {
        var key = (pod.Namespace(), pod.Name());
        if (type != WatchEventType.Deleted && Unbound(pod))
        {
            // -1: a new pod is tried at once, whatever changed before it came.
            _waiting.TryAdd(key, -1);
            return;
        }
        _waiting.Remove(key);
        if (pod.StringAt("spec", "nodeName") is { Length: > 0 }
            && (type == WatchEventType.Deleted || pod.StringAt("status", "phase") is "Succeeded" or "Failed"))
        {
            _clusterChanges++;
        }
    }

    private void ObserveNode(WatchEventType type, JsonObject node)
    {
        if (type == WatchEventType.Deleted)
        {
            _nodeShapes.Remove(node.Name());
            _clusterChanges++;
            return;
        }
        var shape = Shape(node);
        if (_nodeShapes.GetValueOrDefault(node.Name()) != shape)
        {
            _nodeShapes[node.Name()] = shape;
            _clusterChanges++;
        }
    }

    /// <summary>What of a node the filters read; heartbeats change none of it (nodeSchedulingPropertiesChange).</summary>
    private static string Shape(JsonObject node) => new JsonArray(
        node.At("metadata", "labels")?.DeepClone(),
        node.At("spec", "taints")?.DeepClone(),
        node.BoolAt("spec", "unschedulable"),
        node.At("status", "allocatable")?.DeepClone(),
        node.Condition("Ready")?.StringAt("status")).ToJsonString();

    private void SchedulePass(EmulatorContext context)
    {
        var usage = context.Store.List(CoreKinds.Nodes).Items.Select(n => new NodeUsage(n.ToJson())).ToList();
        var byName = usage.ToDictionary(u => u.Node.Name());
        var waiting = new List<JsonObject>();
        foreach (var pod in context.Store.List(CoreKinds.Pods).Items.Select(p => p.ToJson()))
        {
            if (pod.StringAt("spec", "nodeName") is { Length: > 0 } node)
            {
                if (byName.TryGetValue(node, out var onNode) && pod.StringAt("status", "phase") is not ("Succeeded" or "Failed"))
                {
                    onNode.Add(pod);
                }
            }
            else if (_waiting.TryGetValue((pod.Namespace(), pod.Name()), out var tried) && tried < _clusterChanges)
            {
                waiting.Add(pod);
            }
        }
        // PrioritySort: higher priority first, then the longer waiting.
        foreach (var pod in waiting
            .OrderByDescending(p => p.LongAt("spec", "priority") ?? 0)
            .ThenBy(p => p.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal))
        {
            _waiting[(pod.Namespace(), pod.Name())] = _clusterChanges;
            var rejections = new List<SchedulingFilters.Rejection>();
            var feasible = new List<NodeUsage>();
            foreach (var node in usage)
            {
                if (SchedulingFilters.Filter(pod, node) is { } rejection)
                {
                    rejections.Add(rejection);
                }
                else
                {
                    feasible.Add(node);
                }
            }
            if (feasible.Count == 0)
            {
                Refuse(context, pod, SchedulingFilters.FitError(pod, rejections));
                continue;
            }
            var best = feasible
                .OrderBy(n => n.Siblings(pod))
                .ThenBy(n => n.Allocated)
                .ThenBy(n => n.Pods)
                .ToList();
            var equal = best.TakeWhile(n => n.Siblings(pod) == best[0].Siblings(pod) && n.Allocated == best[0].Allocated && n.Pods == best[0].Pods).ToList();
            // selectHost picks at random among equal scores; a rotation is as fair and repeatable.
            var chosen = equal[_tieBreak++ % equal.Count];
            if (Bind(context, pod, chosen.Node.Name()))
            {
                chosen.Add(pod);
                _waiting.Remove((pod.Namespace(), pod.Name()));
            }
        }
    }

    private static bool Bind(EmulatorContext context, JsonObject pod, string node)
    {
        var at = Timestamps.Format(context.Time.GetUtcNow());
        try
        {
            var bound = context.Store.Mutate(CoreKinds.Pods, pod.Namespace(), pod.Name(), current =>
            {
                if (current.StringAt("metadata", "uid") != pod.StringAt("metadata", "uid") || !Unbound(current))
                {
                    return false;
                }
                current.ObjectAt("spec")["nodeName"] = node;
                SetScheduledCondition(current, new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = at });
                return true;
            });
            if (bound.StringAt("spec", "nodeName") != node || bound.StringAt("metadata", "uid") != pod.StringAt("metadata", "uid"))
            {
                return false;
            }
            context.RecordSeries(bound, "Normal", "Scheduled", "Binding", $"Successfully assigned {pod.Namespace()}/{pod.Name()} to {node}", SchedulerName, Instance);
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    private static void Refuse(EmulatorContext context, JsonObject pod, string message)
    {
        var at = Timestamps.Format(context.Time.GetUtcNow());
        try
        {
            var refused = context.Store.Mutate(CoreKinds.Pods, pod.Namespace(), pod.Name(), current =>
            {
                if (current.StringAt("metadata", "uid") != pod.StringAt("metadata", "uid") || !Unbound(current))
                {
                    return false;
                }
                var condition = current.Condition("PodScheduled");
                if (condition?.StringAt("status") == "False" && condition.StringAt("message") == message)
                {
                    return false;
                }
                SetScheduledCondition(current, new JsonObject
                {
                    ["type"] = "PodScheduled",
                    ["status"] = "False",
                    ["lastProbeTime"] = null,
                    ["lastTransitionTime"] = condition?.StringAt("status") == "False" ? condition.StringAt("lastTransitionTime") : at,
                    ["reason"] = "Unschedulable",
                    ["message"] = message,
                });
                return true;
            });
            if (refused.StringAt("metadata", "uid") == pod.StringAt("metadata", "uid") && Unbound(refused))
            {
                context.RecordSeries(refused, "Warning", "FailedScheduling", "Scheduling", message, SchedulerName, Instance);
            }
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted while it waited.
        }
    }

    private static void SetScheduledCondition(JsonObject pod, JsonObject condition)
    {
        var status = pod.ObjectAt("status");
        status["phase"] ??= "Pending";
        if (status["conditions"] is not JsonArray conditions)
        {
            status["conditions"] = conditions = [];
        }
        if (conditions.OfType<JsonObject>().FirstOrDefault(c => c.StringAt("type") == "PodScheduled") is { } old)
        {
            conditions.Remove(old);
        }
        conditions.Add(condition);
    }
}
