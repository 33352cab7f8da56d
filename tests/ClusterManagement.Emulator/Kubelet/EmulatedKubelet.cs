using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kubelet;

/// <summary>An event the kubelet records about one container of the pod it is syncing.</summary>
public sealed record KubeletEvent(string Type, string Reason, string Message, string Container);

/// <summary>
/// The emulated kubelets' pod workers: per pod, each container goes through the image manager
/// (pkg/kubelet/images: `Pulling`, `Pulled`, `Failed` + `Error: ErrImagePull`, then `BackOff` +
/// `Error: ImagePullBackOff` until the back-off lets it pull again), is created and started
/// (kuberuntime: `Created container: web`, `Started container web`), may exit as its image or its
/// command says (<see cref="ContainerProcess"/>), and may fail its readiness probe (`Unhealthy`:
/// `Readiness probe failed: ...` every periodSeconds, Ready False). An exited container follows the
/// pod's restartPolicy: kept terminated under Never, and under OnFailure when it exited with 0 (the pod
/// Succeeded or Failed once all have ended); otherwise restarted in place (lastState.terminated,
/// restartCount up) at once the first time, then after a back-off of 10s doubling to 5m, waiting
/// CrashLoopBackOff with the `BackOff` event `Back-off restarting failed container web in pod
/// web-x_default(uid)`. Back-offs and probe periods are the kubelet's, multiplied by
/// <see cref="EmulatorSettings.KubeletTimeScale"/>; the messages print the real durations. A run time
/// is not scaled: it is on the cluster's clock, which a test moves forward instead.
/// </summary>
public sealed class EmulatedKubelet
{
    private static readonly TimeSpan InitialBackOff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);

    /// <summary>After a failed pull the pod worker syncs again within about a second and finds the image in back-off.</summary>
    private static readonly TimeSpan ResyncAfterError = TimeSpan.FromSeconds(1);

    private enum Stage
    {
        NeedsImage,
        PullBackOff,
        Running,
        CrashBackOff,
        Exited,
        NeverPull,
    }

    private sealed class Container(string name)
    {
        public string Name { get; } = name;
        public Stage Stage { get; set; }
        public int Restarts { get; set; }
        public int PullFailures { get; set; }
        public int CrashBackOffs { get; set; }
        public bool Created { get; set; }
        public DateTimeOffset? RetryAt { get; set; }
        public DateTimeOffset? ShowBackOffAt { get; set; }
        public DateTimeOffset? StartedAt { get; set; }
        public DateTimeOffset? NextProbe { get; set; }
        public bool ProbeFails { get; set; }
        public string? ContainerId { get; set; }
        public string? ImageId { get; set; }
        public JsonObject? Waiting { get; set; }
        public JsonObject? Terminated { get; set; }
        public JsonObject? LastTerminated { get; set; }
    }

    private readonly Dictionary<string, Dictionary<string, Container>> _pods = [];
    private readonly Dictionary<string, HashSet<string>> _imagesOnNode = [];

    public void Forget(string podUid) => _pods.Remove(podUid);

    /// <summary>
    /// Advances the pod's containers to <paramref name="now"/> and writes the status a kubelet would
    /// post into <paramref name="pod"/>; returns the events to record and when to sync again, if ever.
    /// </summary>
    public (List<KubeletEvent> Events, DateTimeOffset? Next) Sync(JsonObject pod, string node, EmulatorSettings settings, ImageRegistry registry, DateTimeOffset now)
    {
        var uid = pod.StringAt("metadata", "uid") ?? "";
        if (!_pods.TryGetValue(uid, out var containers))
        {
            _pods[uid] = containers = [];
        }
        var events = new List<KubeletEvent>();
        DateTimeOffset? next = null;
        var restartPolicy = pod.StringAt("spec", "restartPolicy") ?? "Always";
        foreach (var spec in pod.ObjectsAt("spec", "containers"))
        {
            var name = spec.StringAt("name") ?? "";
            if (!containers.TryGetValue(name, out var container))
            {
                containers[name] = container = new Container(name);
            }
            var due = Advance(container, spec, pod, node, restartPolicy, settings, registry.Find(spec.StringAt("image") ?? ""), now, events);
            next = due is null ? next : next is null || due < next ? due : next;
        }
        WriteStatus(pod, containers, now);
        return (events, next);
    }

    private DateTimeOffset? Advance(Container c, JsonObject spec, JsonObject pod, string node, string restartPolicy, EmulatorSettings settings, ImageBehaviour image, DateTimeOffset now, List<KubeletEvent> events)
    {
        void Event(string type, string reason, string message) => events.Add(new KubeletEvent(type, reason, message, c.Name));
        TimeSpan Scaled(TimeSpan real) => real * settings.KubeletTimeScale;
        var reference = spec.StringAt("image") ?? "";
        while (true)
        {
            switch (c.Stage)
            {
                case Stage.NeedsImage when c.RetryAt is null || c.RetryAt <= now:
                    var onNode = _imagesOnNode.TryGetValue(node, out var images) && images.Contains(reference);
                    var policy = spec.StringAt("imagePullPolicy") ?? "IfNotPresent";
                    if (policy == "Never" && !onNode)
                    {
                        var refusal = $"Container image \"{reference}\" is not present with pull policy of Never";
                        Event("Warning", "ErrImageNeverPull", refusal);
                        Event("Warning", "Failed", "Error: ErrImageNeverPull");
                        c.Waiting = Waiting("ErrImageNeverPull", refusal);
                        c.Stage = Stage.NeverPull;
                        return null;
                    }
                    if (onNode && policy != "Always")
                    {
                        Event("Normal", "Pulled", $"Container image \"{reference}\" already present on machine");
                    }
                    else
                    {
                        Event("Normal", "Pulling", $"Pulling image \"{reference}\"");
                        if (PullError(reference, image.Pull) is { } error)
                        {
                            Event("Warning", "Failed", $"Failed to pull image \"{reference}\": {error}");
                            Event("Warning", "Failed", "Error: ErrImagePull");
                            c.Waiting = Waiting("ErrImagePull", error);
                            c.PullFailures++;
                            c.ShowBackOffAt = now + Scaled(ResyncAfterError);
                            c.RetryAt = now + Scaled(BackOff(c.PullFailures));
                            c.Stage = Stage.PullBackOff;
                            continue;
                        }
                        var took = GoDuration.Format(settings.PodReadyDelay);
                        Event("Normal", "Pulled", $"Successfully pulled image \"{reference}\" in {took} ({took} including waiting). Image size: {ImageSize(reference)} bytes.");
                        if (!_imagesOnNode.TryGetValue(node, out images))
                        {
                            _imagesOnNode[node] = images = [];
                        }
                        images.Add(reference);
                    }
                    c.ImageId = $"{Repository(Canonical(reference))}@sha256:{Digest(reference)}";
                    if (c.Created)
                    {
                        c.Restarts++;
                    }
                    c.Created = true;
                    c.ContainerId = $"containerd://{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}";
                    Event("Normal", "Created", $"Created container: {c.Name}");
                    Event("Normal", "Started", $"Started container {c.Name}");
                    c.Waiting = null;
                    c.StartedAt = now;
                    c.NextProbe = now;
                    c.Stage = Stage.Running;
                    continue;
                case Stage.NeedsImage:
                    return c.RetryAt;
                case Stage.PullBackOff:
                    if (c.ShowBackOffAt <= now)
                    {
                        Event("Normal", "BackOff", $"Back-off pulling image \"{reference}\"");
                        Event("Warning", "Failed", "Error: ImagePullBackOff");
                        c.Waiting = Waiting("ImagePullBackOff", $"Back-off pulling image \"{reference}\"");
                        c.ShowBackOffAt = null;
                    }
                    if (c.RetryAt <= now)
                    {
                        c.Stage = Stage.NeedsImage;
                        continue;
                    }
                    return c.ShowBackOffAt is { } show && show < c.RetryAt ? show : c.RetryAt;
                case Stage.Running:
                    var end = ContainerProcess.EndOf(spec, image, restartPolicy);
                    var exitAt = end is null ? (DateTimeOffset?)null : c.StartedAt!.Value + end.After;
                    if (exitAt <= now)
                    {
                        Exit(c, pod, restartPolicy, end!, exitAt!.Value, settings, events);
                        continue;
                    }
                    c.ProbeFails = Probed(spec, image);
                    if (!c.ProbeFails)
                    {
                        return exitAt;
                    }
                    if (c.NextProbe <= now)
                    {
                        Event("Warning", "Unhealthy", $"Readiness probe failed: {image.ReadinessFailure}");
                        c.NextProbe = now + Scaled(TimeSpan.FromSeconds(spec.LongAt("readinessProbe", "periodSeconds") ?? 10));
                    }
                    return exitAt is { } exit && exit < c.NextProbe ? exit : c.NextProbe;
                case Stage.CrashBackOff:
                    if (c.RetryAt <= now)
                    {
                        c.RetryAt = null;
                        c.Stage = Stage.NeedsImage;
                        continue;
                    }
                    return c.RetryAt;
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// The process ended: lastState.terminated, then a restart as restartPolicy allows. The first
    /// restart is at once (no back-off entry yet); each later one waits the doubled back-off
    /// (kuberuntime doBackOff), counted from when the container finished.
    /// </summary>
    private static void Exit(Container c, JsonObject pod, string restartPolicy, ProcessEnd end, DateTimeOffset finishedAt, EmulatorSettings settings, List<KubeletEvent> events)
    {
        var code = end.ExitCode;
        var terminated = new JsonObject
        {
            ["exitCode"] = code,
            ["reason"] = code == 0 ? "Completed" : "Error",
            ["startedAt"] = Timestamps.Format(c.StartedAt!.Value),
            ["finishedAt"] = Timestamps.Format(finishedAt),
            ["containerID"] = c.ContainerId,
        };
        if (end.TerminationMessage is { } message)
        {
            terminated["message"] = message;
        }
        c.StartedAt = null;
        if (restartPolicy == "Never" || (restartPolicy == "OnFailure" && code == 0))
        {
            c.Terminated = terminated;
            c.Stage = Stage.Exited;
            return;
        }
        c.LastTerminated = terminated;
        c.Stage = Stage.CrashBackOff;
        if (c.CrashBackOffs++ == 0)
        {
            c.RetryAt = finishedAt;
            return;
        }
        var backOff = BackOff(c.CrashBackOffs - 1);
        var podRef = $"{pod.Name()}_{pod.Namespace()}({pod.StringAt("metadata", "uid")})";
        events.Add(new KubeletEvent("Warning", "BackOff", $"Back-off restarting failed container {c.Name} in pod {podRef}", c.Name));
        c.Waiting = Waiting("CrashLoopBackOff", $"back-off {GoDuration.Format(backOff)} restarting failed container={c.Name} pod={podRef}");
        c.RetryAt = finishedAt + (backOff * settings.KubeletTimeScale);
    }

    private static bool Probed(JsonObject spec, ImageBehaviour image) => image.ReadinessFailure is not null && spec["readinessProbe"] is JsonObject;

    /// <summary>flowcontrol.Backoff with the kubelet's 10s initial and 5m maximum: 10s, 20s, 40s ... 5m.</summary>
    private static TimeSpan BackOff(int failures)
    {
        var delay = InitialBackOff * Math.Pow(2, Math.Min(failures - 1, 10));
        return delay > MaxBackOff ? MaxBackOff : delay;
    }

    /// <summary>containerd's CRI errors as the kubelet passes them on, for a reference the registry refuses.</summary>
    private static string? PullError(string reference, ImagePull pull)
    {
        var canonical = Canonical(reference);
        var prefix = $"rpc error: code = NotFound desc = failed to pull and unpack image \"{canonical}\": failed to resolve reference \"{canonical}\": ";
        return pull switch
        {
            ImagePull.NotFound => prefix + $"{canonical}: not found",
            ImagePull.Unauthorized => $"rpc error: code = Unknown desc = failed to pull and unpack image \"{canonical}\": failed to resolve reference \"{canonical}\": "
                + "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
            _ => null,
        };
    }

    /// <summary>The fully qualified reference containerd resolves: docker.io/library/nginx:latest for nginx.</summary>
    private static string Canonical(string reference)
    {
        var slash = reference.IndexOf('/');
        var first = slash < 0 ? "" : reference[..slash];
        var named = slash < 0 ? $"docker.io/library/{reference}"
            : first.Contains('.') || first.Contains(':') || first == "localhost" ? reference : $"docker.io/{reference}";
        var name = named[(named.LastIndexOf('/') + 1)..];
        return name.Contains(':') || name.Contains('@') ? named : named + ":latest";
    }

    private static string Repository(string canonical)
    {
        var cut = canonical.IndexOf('@');
        if (cut < 0 && canonical.LastIndexOf(':') is var colon and > 0 && colon > canonical.LastIndexOf('/'))
        {
            cut = colon;
        }
        return cut < 0 ? canonical : canonical[..cut];
    }

    private static string Digest(string reference) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(reference)));

    private static long ImageSize(string reference) => 10_000_000 + (BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(reference))) % 90_000_000);

    private static JsonObject Waiting(string reason, string message) => new() { ["reason"] = reason, ["message"] = message };

    private static void WriteStatus(JsonObject pod, Dictionary<string, Container> containers, DateTimeOffset now)
    {
        var status = pod.ObjectAt("status");
        var specs = pod.ObjectsAt("spec", "containers").Select(s => (Spec: s, State: containers[s.StringAt("name") ?? ""])).ToList();
        var unready = specs.Where(s => !IsReady(s.State)).Select(s => s.State.Name).ToList();
        var allExited = specs.All(s => s.State.Stage == Stage.Exited);
        var succeeded = specs.All(s => s.State.Terminated?["exitCode"]?.GetValue<int>() == 0);
        status["phase"] = allExited ? succeeded ? "Succeeded" : "Failed" : specs.All(s => s.State.Created) ? "Running" : "Pending";
        status["startTime"] ??= Timestamps.Format(now);
        status["qosClass"] ??= "BestEffort";
        var notReady = unready.Count == 0 ? null : $"containers with unready status: [{string.Join(' ', unready)}]";
        // A terminal pod's readiness says only how it ended (generate.go ...ConditionForTerminalPhase): no message.
        var notReadyReason = !allExited ? "ContainersNotReady" : succeeded ? "PodCompleted" : "PodFailed";
        var at = Timestamps.Format(now);
        status["conditions"] = new JsonArray(
            Condition(pod, "PodReadyToStartContainers", "True", null, null, at),
            Condition(pod, "Initialized", "True", null, null, at),
            Condition(pod, "Ready", notReady is null ? "True" : "False", notReady is null ? null : notReadyReason, allExited ? null : notReady, at),
            Condition(pod, "ContainersReady", notReady is null ? "True" : "False", notReady is null ? null : notReadyReason, allExited ? null : notReady, at),
            Condition(pod, "PodScheduled", "True", null, null, at));
        status["containerStatuses"] = new JsonArray(specs.Select(s => (JsonNode)ContainerStatus(s.Spec, s.State, IsReady(s.State))).ToArray());
    }

    private static bool IsReady(Container c) => c.Stage == Stage.Running && !c.ProbeFails;

    /// <summary>A condition whose status did not change keeps its lastTransitionTime (minReadySeconds counts from it).</summary>
    private static JsonObject Condition(JsonObject pod, string type, string status, string? reason, string? message, string at)
    {
        var old = pod.Condition(type);
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = old?.StringAt("status") == status ? old.StringAt("lastTransitionTime") : at,
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }
        if (message is not null)
        {
            condition["message"] = message;
        }
        return condition;
    }

    private static JsonObject ContainerStatus(JsonObject spec, Container c, bool ready)
    {
        var state = c.Stage switch
        {
            Stage.Running => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Timestamps.Format(c.StartedAt!.Value) } },
            Stage.Exited => new JsonObject { ["terminated"] = c.Terminated!.DeepClone() },
            _ => new JsonObject { ["waiting"] = c.Waiting?.DeepClone() ?? new JsonObject { ["reason"] = "ContainerCreating" } },
        };
        var status = new JsonObject
        {
            ["name"] = c.Name,
            ["image"] = spec.StringAt("image"),
            ["imageID"] = c.ImageId ?? "",
        };
        if (c.ContainerId is not null)
        {
            status["containerID"] = c.ContainerId;
        }
        status["ready"] = ready;
        status["started"] = c.Stage == Stage.Running;
        status["restartCount"] = c.Restarts;
        status["state"] = state;
        status["lastState"] = c.LastTerminated is null ? new JsonObject() : new JsonObject { ["terminated"] = c.LastTerminated.DeepClone() };
        return status;
    }
}
