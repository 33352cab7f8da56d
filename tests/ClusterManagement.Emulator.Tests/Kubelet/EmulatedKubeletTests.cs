using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Kubelet;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Kubelet;

/// <summary>
/// The emulated kubelets' container states and events against the real kubelet's
/// (pkg/kubelet/images/image_manager.go, kuberuntime_container.go doBackOff, prober), with the
/// back-offs compressed by kubeletTimeScale.
/// </summary>
public sealed class EmulatedKubeletTests
{
    private static async Task<KubeEmulator> StartAsync()
    {
        var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, PodReadySeconds = 0.1, SeedPods = false });
        emulator.Settings.KubeletTimeScale = 0.02;
        return emulator;
    }

    private static async Task<JsonObject> CreatePodAsync(KubeEmulator emulator, string name, string image, Action<JsonObject>? edit = null, string restartPolicy = "Always")
    {
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["restartPolicy"] = restartPolicy, ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
        };
        edit?.Invoke((JsonObject)pod["spec"]!["containers"]![0]!);
        using var api = new ApiClient(emulator.CreateClient());
        var (status, body) = await api.PostAsync("/api/v1/namespaces/default/pods", pod);
        Assert.Equal(HttpStatusCode.Created, status);
        return body!.AsObject();
    }

    private static JsonObject Pod(KubeEmulator emulator, string name) => emulator.Store.Get(CoreKinds.Pods, "default", name)!;

    private static JsonObject? Container(KubeEmulator emulator, string name) => Pod(emulator, name).ObjectsAt("status", "containerStatuses").SingleOrDefault();

    private static List<JsonObject> Events(KubeEmulator emulator, string pod, string reason) =>
    [
        .. emulator.Store.List(CoreKinds.Events, "default").Items.Select(e => e.ToJson())
            .Where(e => e.StringAt("involvedObject", "name") == pod && e.StringAt("reason") == reason),
    ];

    private static JsonObject Event(KubeEmulator emulator, string pod, string reason, string message) =>
        Assert.Single(Events(emulator, pod, reason), e => e.StringAt("message") == message);

    [Fact]
    public async Task AMissingImageGoesFromErrImagePullToImagePullBackOffAndIsPulledAgainAfterTheBackOff()
    {
        await using var emulator = await StartAsync();
        emulator.Settings.Images.Declare(new ImageBehaviour { Image = "nginx:nope", Pull = ImagePull.NotFound });
        await CreatePodAsync(emulator, "missing", "nginx:nope");

        var error = "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:nope\": "
            + "failed to resolve reference \"docker.io/library/nginx:nope\": docker.io/library/nginx:nope: not found";
        var errImagePull = await Eventually.ReturnsAsync(() => Container(emulator, "missing")?.At("state", "waiting") is JsonObject w && w.StringAt("reason") == "ErrImagePull" ? w : null, "ErrImagePull");
        Assert.Equal(error, errImagePull.StringAt("message"));
        var backOff = await Eventually.ReturnsAsync(() => Container(emulator, "missing")?.At("state", "waiting") is JsonObject w && w.StringAt("reason") == "ImagePullBackOff" ? w : null, "ImagePullBackOff");
        Assert.Equal("Back-off pulling image \"nginx:nope\"", backOff.StringAt("message"));

        var pod = Pod(emulator, "missing");
        Assert.Equal("Pending", pod.StringAt("status", "phase"));
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [web]"),
            (pod.Condition("Ready")!.StringAt("status"), pod.Condition("Ready")!.StringAt("reason"), pod.Condition("Ready")!.StringAt("message")));
        Assert.NotNull(pod.StringAt("status", "podIP"));
        Assert.Equal("Warning", Event(emulator, "missing", "Failed", $"Failed to pull image \"nginx:nope\": {error}").StringAt("type"));
        Event(emulator, "missing", "Failed", "Error: ErrImagePull");
        Assert.Equal("Normal", Event(emulator, "missing", "BackOff", "Back-off pulling image \"nginx:nope\"").StringAt("type"));
        Event(emulator, "missing", "Failed", "Error: ImagePullBackOff");

        // 10s then 20s of back-off (x0.02): the kubelet pulls again, and the same events count up.
        await Eventually.IsTrueAsync(() => Event(emulator, "missing", "Pulling", "Pulling image \"nginx:nope\"").LongAt("count") >= 3, "a third pull");
        Assert.True(Event(emulator, "missing", "Failed", "Error: ErrImagePull").LongAt("count") >= 2);
        Assert.Empty(Events(emulator, "missing", "Started"));
    }

    [Fact]
    public async Task AnImageThatNeedsCredentialsFailsWithTheRegistrysRefusal()
    {
        await using var emulator = await StartAsync();
        emulator.Settings.Images.Declare(new ImageBehaviour { Image = "registry.example/team/app:2", Pull = ImagePull.Unauthorized });
        await CreatePodAsync(emulator, "private", "registry.example/team/app:2");

        var waiting = await Eventually.ReturnsAsync(() => Container(emulator, "private")?.At("state", "waiting") is JsonObject w && w.StringAt("reason") == "ErrImagePull" ? w : null, "ErrImagePull");
        Assert.Equal("rpc error: code = Unknown desc = failed to pull and unpack image \"registry.example/team/app:2\": failed to resolve reference \"registry.example/team/app:2\": "
            + "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed", waiting.StringAt("message"));
    }

    [Fact]
    public async Task ACrashingContainerRestartsWithADoublingBackOffInCrashLoopBackOff()
    {
        await using var emulator = await StartAsync();
        emulator.Settings.Images.Declare(new ImageBehaviour { Image = "app:crash", ExitCode = 3, TerminationMessage = "config file missing" });
        var created = await CreatePodAsync(emulator, "crashy", "app:crash");
        var podRef = $"crashy_default({created.StringAt("metadata", "uid")})";

        var looping = await Eventually.ReturnsAsync(() => Container(emulator, "crashy") is { } c && c.StringAt("state", "waiting", "reason") == "CrashLoopBackOff" ? c : null, "CrashLoopBackOff");
        Assert.Equal($"back-off 10s restarting failed container=web pod={podRef}", looping.StringAt("state", "waiting", "message"));
        Assert.Equal(1, looping.LongAt("restartCount"));
        var last = looping.ObjectAt("lastState").ObjectAt("terminated");
        Assert.Equal((3L, "Error", "config file missing"), (last.LongAt("exitCode"), last.StringAt("reason"), last.StringAt("message")));
        Assert.Equal(looping.StringAt("containerID"), last.StringAt("containerID"));
        Assert.False(looping.BoolAt("ready"));
        var pod = Pod(emulator, "crashy");
        Assert.Equal(("Running", "False"), (pod.StringAt("status", "phase"), pod.Condition("Ready")!.StringAt("status")));
        Assert.Equal("Warning", Event(emulator, "crashy", "BackOff", $"Back-off restarting failed container web in pod {podRef}").StringAt("type"));

        var doubled = await Eventually.ReturnsAsync(() => Container(emulator, "crashy") is { } c && c.StringAt("state", "waiting", "message")?.StartsWith("back-off 20s", StringComparison.Ordinal) == true ? c : null, "the second back-off");
        Assert.Equal(2, doubled.LongAt("restartCount"));
        Assert.Equal(3, Event(emulator, "crashy", "Created", "Created container: web").LongAt("count"));
        Assert.Equal(2, Event(emulator, "crashy", "Pulled", "Container image \"app:crash\" already present on machine").LongAt("count"));
        Assert.Single(Events(emulator, "crashy", "Pulling"));
    }

    [Fact]
    public async Task ACrashingImageAndAnExitingCommandBothFollowTheRestartPolicy()
    {
        await using var emulator = await StartAsync();
        emulator.Settings.Images.Declare(new ImageBehaviour { Image = "app:crash", ExitCode = 3, TerminationMessage = "config file missing" });
        await CreatePodAsync(emulator, "crash-never", "app:crash", restartPolicy: "Never");
        await CreatePodAsync(emulator, "exit-always", "busybox:1.36", c => c["command"] = new JsonArray("sh", "-c", "exit 4"));
        await CreatePodAsync(emulator, "done-onfailure", "busybox:1.36", c => c["args"] = new JsonArray("sleep 1"), restartPolicy: "OnFailure");

        var failed = await Eventually.ReturnsAsync(() => Pod(emulator, "crash-never") is { } p && p.StringAt("status", "phase") == "Failed" ? p : null, "crash-never Failed");
        var terminated = Assert.Single(failed.ObjectsAt("status", "containerStatuses")).ObjectAt("state").ObjectAt("terminated");
        Assert.Equal((3L, "Error", "config file missing"), (terminated.LongAt("exitCode"), terminated.StringAt("reason"), terminated.StringAt("message")));
        Assert.Equal(0, Container(emulator, "crash-never")!.LongAt("restartCount"));
        Assert.Equal(("False", "PodFailed", null), (failed.Condition("Ready")!.StringAt("status"), failed.Condition("Ready")!.StringAt("reason"), failed.Condition("Ready")!.StringAt("message")));
        Assert.Empty(Events(emulator, "crash-never", "BackOff"));

        // A command's exit code restarts an Always pod as an image's crash does.
        var looping = await Eventually.ReturnsAsync(() => Container(emulator, "exit-always") is { } c && c.StringAt("state", "waiting", "reason") == "CrashLoopBackOff" ? c : null, "exit-always in CrashLoopBackOff");
        Assert.Equal(4, looping.ObjectAt("lastState").ObjectAt("terminated").LongAt("exitCode"));
        Assert.Equal("Running", Pod(emulator, "exit-always").StringAt("status", "phase"));

        // OnFailure keeps a container that exited with 0: the pod Succeeded, no restart.
        var succeeded = await Eventually.ReturnsAsync(() => Pod(emulator, "done-onfailure") is { } p && p.StringAt("status", "phase") == "Succeeded" ? p : null, "done-onfailure Succeeded");
        var container = Assert.Single(succeeded.ObjectsAt("status", "containerStatuses"));
        Assert.Equal((0L, "Completed", 0L), (container.LongAt("state", "terminated", "exitCode"), container.StringAt("state", "terminated", "reason"), container.LongAt("restartCount")));
        Assert.Equal("PodCompleted", succeeded.Condition("Ready")!.StringAt("reason"));
    }

    [Fact]
    public async Task MovingTheClusterClockForwardEndsARunningCommandAtOnce()
    {
        await using var emulator = await StartAsync();
        await CreatePodAsync(emulator, "ten-minutes", "busybox:1.36", c => c["command"] = new JsonArray("sleep", "600"), restartPolicy: "Never");
        var running = await Eventually.ReturnsAsync(() => Container(emulator, "ten-minutes")?.StringAt("state", "running", "startedAt"), "the container running");
        // Let the pod worker see its own status write and go to sleep until the exit is due.
        await Task.Delay(500);

        emulator.Settings.ClockOffset += TimeSpan.FromMinutes(10);

        // The kubelet's pod worker sleeps on the cluster's clock: it wakes now, not ten real minutes later.
        var ended = await Eventually.ReturnsAsync(() => Pod(emulator, "ten-minutes") is { } p && p.StringAt("status", "phase") == "Succeeded" ? p : null, "the pod Succeeded", 5);
        var terminated = Assert.Single(ended.ObjectsAt("status", "containerStatuses")).ObjectAt("state").ObjectAt("terminated");
        Assert.Equal((running, 0L), (terminated.StringAt("startedAt"), terminated.LongAt("exitCode")));
        Assert.Equal(TimeSpan.FromMinutes(10), Timestamps.Parse(terminated.StringAt("finishedAt"))!.Value - Timestamps.Parse(running)!.Value);
    }

    [Fact]
    public async Task AFailingReadinessProbeKeepsARunningPodUnreadyWithUnhealthyEvents()
    {
        await using var emulator = await StartAsync();
        emulator.Settings.Images.Declare(new ImageBehaviour { Image = "app:unready", ReadinessFailure = "HTTP probe failed with statuscode: 503" });
        await CreatePodAsync(emulator, "probed", "app:unready", c => c["readinessProbe"] = JsonNode.Parse("""{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10}"""));
        await CreatePodAsync(emulator, "unprobed", "app:unready");

        await Eventually.IsTrueAsync(() => Events(emulator, "probed", "Unhealthy").SingleOrDefault()?.LongAt("count") >= 2, "two failed probes");
        var unhealthy = Assert.Single(Events(emulator, "probed", "Unhealthy"));
        Assert.Equal(("Warning", "Readiness probe failed: HTTP probe failed with statuscode: 503"), (unhealthy.StringAt("type"), unhealthy.StringAt("message")));
        var pod = Pod(emulator, "probed");
        Assert.Equal("Running", pod.StringAt("status", "phase"));
        Assert.NotNull(Assert.Single(pod.ObjectsAt("status", "containerStatuses")).At("state", "running"));
        Assert.Equal(("False", "containers with unready status: [web]"), (pod.Condition("Ready")!.StringAt("status"), pod.Condition("Ready")!.StringAt("message")));

        // Without a readinessProbe the kubelet probes nothing: the same image is Ready.
        await Eventually.IsTrueAsync(() => Pod(emulator, "unprobed").Condition("Ready")?.StringAt("status") == "True", "unprobed to be Ready");
        Assert.Empty(Events(emulator, "unprobed", "Unhealthy"));
    }

    [Fact]
    public async Task TheBrokenTagStillMarksAMissingImageAndPullPolicyNeverRefusesAnAbsentImage()
    {
        await using var emulator = await StartAsync();
        await CreatePodAsync(emulator, "broken", "web:broken");
        await CreatePodAsync(emulator, "never", "web:1", c => c["imagePullPolicy"] = "Never");

        await Eventually.IsTrueAsync(() => Container(emulator, "broken")?.StringAt("state", "waiting", "reason") == "ImagePullBackOff", "web:broken in ImagePullBackOff");
        var never = await Eventually.ReturnsAsync(() => Container(emulator, "never")?.At("state", "waiting") is JsonObject w && w.StringAt("reason") == "ErrImageNeverPull" ? w : null, "ErrImageNeverPull");
        Assert.Equal("Container image \"web:1\" is not present with pull policy of Never", never.StringAt("message"));
        Event(emulator, "never", "ErrImageNeverPull", "Container image \"web:1\" is not present with pull policy of Never");
    }

    [Fact]
    public async Task TheControlApiDeclaresImagesAndRefusesUnknownFields()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateClient("sandbox-badtoken");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.Credentials.ControlToken);

        var declared = await http.PutAsync("/_emulator/images", new StringContent("""{"image":"app:2","pull":"NotFound","exitCode":1}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        Assert.Equal(ImagePull.NotFound, emulator.Settings.Images.Find("app:2").Pull);
        Assert.Equal(1, emulator.Settings.Images.Find("app:2").ExitCode);

        var wrong = await http.PutAsync("/_emulator/images", new StringContent("""{"image":"app:3","exitcod":1}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(ImagePull.Pullable, emulator.Settings.Images.Find("app:3").Pull);

        var forgotten = await http.PutAsync("/_emulator/images", new StringContent("""{"image":"app:2","forget":true}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, forgotten.StatusCode);
        Assert.Empty(emulator.Settings.Images.Declared);
    }
}
