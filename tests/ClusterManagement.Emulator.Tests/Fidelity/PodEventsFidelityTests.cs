using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Kubelet;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>
/// What kubectl shows of the emulated scheduler's and kubelets' events: describe.go's Events section
/// (Type, Reason, Age with `(xN over ...)` for a repeated event, From, Message) and printEvent's table.
/// </summary>
public sealed class PodEventsFidelityTests
{
    private static async Task CreatePodAsync(KubeEmulator emulator, string name, string image, string? cpu = null)
    {
        var container = new JsonObject { ["name"] = "web", ["image"] = image };
        if (cpu is not null)
        {
            container["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu } };
        }
        using var api = new ApiClient(emulator.CreateClient());
        var (status, _) = await api.PostAsync("/api/v1/namespaces/default/pods", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) },
        });
        Assert.Equal(HttpStatusCode.Created, status);
    }

    [KubectlFact]
    public async Task DescribePodListsTheSchedulersAndKubeletsEventsOldestFirst()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, SeedPods = false, PodReadySeconds = 0.1 });
        emulator.Settings.KubeletTimeScale = 0.02;
        emulator.Settings.Images.Declare(new ImageBehaviour { Image = "app:crash", ExitCode = 1 });
        await CreatePodAsync(emulator, "crashy", "app:crash");
        await CreatePodAsync(emulator, "huge", "nginx:1.27", cpu: "64");
        await Eventually.IsTrueAsync(() => emulator.Store.Get(CoreKinds.Pods, "default", "crashy")!.ObjectsAt("status", "containerStatuses").FirstOrDefault()?.LongAt("restartCount") >= 2, "two restarts");
        await Eventually.IsTrueAsync(() => emulator.Store.Get(CoreKinds.Pods, "default", "huge")!.Condition("PodScheduled")?.StringAt("status") == "False", "huge unschedulable");
        var node = emulator.Store.Get(CoreKinds.Pods, "default", "crashy")!.StringAt("spec", "nodeName");

        var crashy = await Kubectl.RunAsync(emulator.KubeconfigPath, "describe", "pod", "crashy");
        Assert.True(crashy.ExitCode == 0, crashy.Error);
        var events = crashy.Output[crashy.Output.IndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Matches(@"Type\s+Reason\s+Age\s+From\s+Message", events);
        Assert.Matches($@"Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default/crashy to {node}", events);
        Assert.Matches(@"Normal\s+Created\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+Created container: web", events);
        Assert.Matches(@"Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container web in pod crashy_default\(", events);
        Assert.True(events.IndexOf("Scheduled", StringComparison.Ordinal) < events.IndexOf("Pulling", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^\s+State:\s+Waiting\s*$", crashy.Output);
        Assert.Matches(@"(?m)^\s+Reason:\s+CrashLoopBackOff\s*$", crashy.Output);
        Assert.Matches(@"(?m)^\s+Last State:\s+Terminated\s*$", crashy.Output);
        Assert.Matches(@"(?m)^\s+Exit Code:\s+1\s*$", crashy.Output);

        var huge = await Kubectl.RunAsync(emulator.KubeconfigPath, "describe", "pod", "huge");
        Assert.Matches(@"Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role.kubernetes.io/control-plane: \}, 2 Insufficient cpu\. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod\.", huge.Output);

        // printEvent: LAST SEEN TYPE REASON OBJECT MESSAGE, a kubelet event and the scheduler's (series-less) one.
        var table = await Kubectl.RunAsync(emulator.KubeconfigPath, "get", "events", "--field-selector", "involvedObject.name=crashy");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Matches(@"LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE", table.Output);
        Assert.Matches(@"(?m)^\S+\s+Warning\s+BackOff\s+pod/crashy\s+Back-off restarting failed container web", table.Output);
        Assert.Matches(@"(?m)^\S+\s+Normal\s+Scheduled\s+pod/crashy\s+Successfully assigned", table.Output);
        Assert.DoesNotMatch(new Regex("<unknown>"), table.Output);
    }
}
