using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// The kubelet's side of containers that end: a running pod whose restartPolicy is Never or OnFailure
/// (a Job's pods, or any pod so written) runs its command to completion. The command line (command and
/// args) decides how: <c>sleep N</c> runs N seconds (<c>sleep infinity</c> forever), <c>exit N</c> ends
/// with code N, anything else ends with 0 as soon as it started. All containers ended with 0: the pod
/// Succeeded; one failed: the pod Failed (Never) or that container restarts in place with restartCount
/// up (OnFailure), each rerun held back by the kubelet's crash backoff (10 s doubling, 5 min at most)
/// while it shows Running. Pods that restart Always (the default) keep running, as before.
/// </summary>
public sealed partial class ContainerExitController : IEmulatorController
{
    private static readonly TimeSpan MaxCrashBackoff = TimeSpan.FromMinutes(5);

    private sealed record Exit(string? Namespace, string Name, string Uid);

    public string Name => "container-exit";

    [GeneratedRegex(@"(?:^|[\s;&|(])sleep\s+(?<seconds>\d+|infinity)\b")]
    private static partial Regex Sleep();

    [GeneratedRegex(@"(?:^|[\s;&|(])exit\s+(?<code>\d+)\b")]
    private static partial Regex ExitCode();

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var queue = new PriorityQueue<Exit, DateTimeOffset>();
        var snapshot = context.Store.List(CoreKinds.Pods);
        using var subscription = context.Store.Watch(CoreKinds.Pods, snapshot.ResourceVersion);
        foreach (var pod in snapshot.Items)
        {
            Schedule(pod, queue);
        }
        while (true)
        {
            await ControllerWake.WaitAsync(subscription.Events, queue, context.Time, cancellationToken);
            while (subscription.Events.TryRead(out var e))
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    Schedule(e.Object, queue);
                }
            }
            var now = context.Time.GetUtcNow();
            while (queue.TryPeek(out var exit, out var due) && due <= now)
            {
                queue.Dequeue();
                End(exit, context, now);
            }
        }
    }

    private static void Schedule(StoredObject stored, PriorityQueue<Exit, DateTimeOffset> queue)
    {
        var pod = stored.ToJson();
        if (!RunsToCompletion(pod))
        {
            return;
        }
        DateTimeOffset? due = null;
        foreach (var status in pod.ObjectsAt("status", "containerStatuses"))
        {
            var spec = pod.ObjectsAt("spec", "containers").FirstOrDefault(c => c.StringAt("name") == status.StringAt("name"));
            if (spec is null || Timestamps.Parse(status.StringAt("state", "running", "startedAt")) is not { } started || RunTime(spec) is not { } runTime)
            {
                continue;
            }
            var at = started + runTime + CrashBackoff(status.LongAt("restartCount") ?? 0);
            due = due is null || at < due ? at : due;
        }
        if (due is { } when)
        {
            queue.Enqueue(new Exit(stored.Namespace, stored.Name, stored.Uid), when);
        }
    }

    private static bool RunsToCompletion(JsonObject pod) =>
        pod.StringAt("status", "phase") == "Running" && pod.At("metadata", "deletionTimestamp") is null
        && pod.StringAt("spec", "restartPolicy") is "Never" or "OnFailure";

    /// <summary>How long the command runs; null for ever.</summary>
    private static TimeSpan? RunTime(JsonObject container)
    {
        var match = Sleep().Match(CommandLine(container));
        if (!match.Success)
        {
            return TimeSpan.Zero;
        }
        var seconds = match.Groups["seconds"].Value;
        return seconds == "infinity" ? null : TimeSpan.FromSeconds(long.Parse(seconds, CultureInfo.InvariantCulture));
    }

    private static int ExitCodeOf(JsonObject container) =>
        ExitCode().Match(CommandLine(container)) is { Success: true } match ? int.Parse(match.Groups["code"].Value, CultureInfo.InvariantCulture) % 256 : 0;

    private static string CommandLine(JsonObject container) =>
        string.Join(' ', new[] { "command", "args" }.SelectMany(f => container[f] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? ""));

    /// <summary>The kubelet's back-off before restarting a crashed container: none before the first rerun, then 10 s doubling.</summary>
    private static TimeSpan CrashBackoff(long restarts) =>
        restarts == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxCrashBackoff.Ticks, TimeSpan.FromSeconds(10).Ticks << (int)Math.Min(restarts - 1, 10)));

    private static void End(Exit exit, EmulatorContext context, DateTimeOffset now)
    {
        try
        {
            context.Store.Mutate(CoreKinds.Pods, exit.Namespace, exit.Name, pod =>
            {
                if (pod.StringAt("metadata", "uid") != exit.Uid || !RunsToCompletion(pod))
                {
                    return false;
                }
                return Finish(pod, now);
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone already.
        }
    }

    /// <summary>Ends the containers whose time is up; the pod's phase follows once none runs.</summary>
    private static bool Finish(JsonObject pod, DateTimeOffset now)
    {
        var changed = false;
        var restartInPlace = pod.StringAt("spec", "restartPolicy") == "OnFailure";
        foreach (var status in pod.ObjectsAt("status", "containerStatuses"))
        {
            var spec = pod.ObjectsAt("spec", "containers").FirstOrDefault(c => c.StringAt("name") == status.StringAt("name"));
            var restarts = status.LongAt("restartCount") ?? 0;
            if (spec is null || Timestamps.Parse(status.StringAt("state", "running", "startedAt")) is not { } started
                || RunTime(spec) is not { } runTime || started + runTime + CrashBackoff(restarts) > now)
            {
                continue;
            }
            changed = true;
            var code = ExitCodeOf(spec);
            var terminated = new JsonObject
            {
                ["exitCode"] = code,
                ["reason"] = code == 0 ? "Completed" : "Error",
                ["startedAt"] = Timestamps.Format(started),
                ["finishedAt"] = Timestamps.Format(now),
                ["containerID"] = status.StringAt("containerID"),
            };
            if (code != 0 && restartInPlace)
            {
                status["lastState"] = new JsonObject { ["terminated"] = terminated };
                status["restartCount"] = restarts + 1;
                status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Timestamps.Format(now) } };
                continue;
            }
            status["state"] = new JsonObject { ["terminated"] = terminated };
            status["ready"] = false;
            status["started"] = false;
        }
        var statuses = pod.ObjectsAt("status", "containerStatuses").ToList();
        if (statuses.Count == 0 || statuses.Any(s => s.At("state", "terminated") is null))
        {
            return changed;
        }
        var succeeded = statuses.All(s => s.LongAt("state", "terminated", "exitCode") == 0);
        pod.ObjectAt("status")["phase"] = succeeded ? "Succeeded" : "Failed";
        foreach (var condition in pod.ObjectsAt("status", "conditions").Where(c => c.StringAt("type") is "Ready" or "ContainersReady"))
        {
            condition["status"] = "False";
            condition["reason"] = succeeded ? "PodCompleted" : "PodFailed";
            condition["lastTransitionTime"] = Timestamps.Format(now);
        }
        return true;
    }
}
