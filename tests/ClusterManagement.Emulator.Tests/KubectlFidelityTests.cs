using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>The real kubectl against the emulator: what it prints is what it would print against a cluster.</summary>
public sealed class KubectlFidelityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private string Kubeconfig => fixture.Emulator.KubeconfigPath;

    [KubectlFact]
    public async Task GetNodesWideShowsEveryColumnAsKubectlDerivesIt()
    {
        // printers.go printNode (1.32): STATUS is the Ready condition ("Unknown"/"NotReady" otherwise) plus
        // ",SchedulingDisabled" when spec.unschedulable; ROLES from node-role.kubernetes.io/<role> labels
        // (sorted, "<none>"); VERSION nodeInfo.kubeletVersion; INTERNAL-IP/EXTERNAL-IP the first address of
        // that type ("<none>"); then osImage, kernelVersion, containerRuntimeVersion. The expectation is
        // derived by those rules from the nodes kubectl itself fetched as JSON, not from the emulator's seed.
        var (wide, json) = (Kubectl.RunAsync(Kubeconfig, "get", "nodes", "-o", "wide"), Kubectl.RunAsync(Kubeconfig, "get", "nodes", "-o", "json"));
        Assert.Equal(0, (await wide).ExitCode);
        var lines = (await wide).Output.TrimEnd().Split('\n');
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
            Columns(lines[0]));
        var nodes = JsonNode.Parse((await json).Output)!["items"]!.AsArray().Select(n => n!.AsObject()).ToList();
        Assert.Equal(nodes.Count + 1, lines.Length);
        foreach (var (node, line) in nodes.Zip(lines.Skip(1)))
        {
            var info = node["status"]!["nodeInfo"]!;
            var ready = node["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>();
            var status = (ready == "True" ? "Ready" : ready == "False" ? "NotReady" : "Unknown")
                + (node["spec"]?["unschedulable"]?.GetValue<bool>() == true ? ",SchedulingDisabled" : "");
            var roles = node["metadata"]!["labels"]!.AsObject().Select(l => l.Key).Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                .Select(k => k["node-role.kubernetes.io/".Length..]).Order(StringComparer.Ordinal).ToList();
            string Address(string type) => node["status"]!["addresses"]!.AsArray().FirstOrDefault(a => a!["type"]!.GetValue<string>() == type)?["address"]?.GetValue<string>() ?? "<none>";
            var expected = string.Join(@"\s+", new[]
            {
                node["metadata"]!["name"]!.GetValue<string>(), status, roles.Count == 0 ? "<none>" : string.Join(",", roles), "\\S+",
                info["kubeletVersion"]!.GetValue<string>(), Address("InternalIP"), Address("ExternalIP"), info["osImage"]!.GetValue<string>(),
                info["kernelVersion"]!.GetValue<string>(), info["containerRuntimeVersion"]!.GetValue<string>(),
            }.Select((cell, i) => i == 3 ? cell : System.Text.RegularExpressions.Regex.Escape(cell)));
            Assert.Matches($"^{expected}\\s*$", line);
        }
    }

    [KubectlFact]
    public async Task GetNodesJsonIsAParsableList()
    {
        var result = await Kubectl.RunAsync(Kubeconfig, "get", "nodes", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var list = JsonNode.Parse(result.Output)!;
        Assert.Equal("List", list["kind"]!.GetValue<string>());
        Assert.Equal(4, list["items"]!.AsArray().Count);
    }

    [KubectlFact]
    public async Task GetSingleNodePrintsTheDefaultColumns()
    {
        var result = await Kubectl.RunAsync(Kubeconfig, "get", "node", "worker-1");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], Columns(lines[0]));
        // printNode: an untouched worker is Ready with no role label; AGE is a kubectl duration, VERSION the kubelet's.
        Assert.Matches(@"^worker-1\s+Ready\s+<none>\s+\d+[smhdy]\S*\s+v\d+\.\d+\.\d+$", lines[1].TrimEnd());
    }

    [KubectlFact]
    public async Task GetMissingNodeReportsNotFound()
    {
        var result = await Kubectl.RunAsync(Kubeconfig, "get", "node", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (NotFound): nodes \"nope\" not found", result.Error.Trim());
    }

    [KubectlFact]
    public async Task GetPodsAllNamespacesWideListsTheSystemPods()
    {
        var result = await Kubectl.RunAsync(Kubeconfig, "get", "pods", "-A", "-o", "wide");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"], Columns(lines[0]));
        var proxies = lines.Where(l => l.Contains("kube-proxy-")).ToList();
        Assert.Equal(4, proxies.Count);
        Assert.All(proxies, l => Assert.Matches(@"^kube-system\s+kube-proxy-[a-z0-9]{5}\s+1/1\s+Running\s+0\s+\d+d\s+127\.1\.0\.\d+\s+(cp|worker)-\d\s+<none>\s+<none>\s*$", l));
    }

    [KubectlFact]
    public async Task WatchPrintsAChangeMadeAfterItStarted()
    {
        var listed = new TaskCompletionSource();
        var watching = Kubectl.RunUntilAsync(Kubeconfig, TimeSpan.FromSeconds(45), output =>
        {
            if (output.Contains("worker-2"))
            {
                listed.TrySetResult();
            }
            return output.Contains("SchedulingDisabled");
        }, "get", "nodes", "--field-selector", "metadata.name=worker-2", "--watch");
        // A list watches from the list's resourceVersion, so a change made after the list is seen even before the watch
        // connects. (A single named object is watched from resourceVersion 0 and kubectl drops that watch's first event,
        // so there a change made before the watch connects is never printed, on a real API server as here.)
        await Task.WhenAny(listed.Task, watching);
        fixture.Emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-2", node =>
        {
            node.ObjectAt("spec")["unschedulable"] = true;
            return true;
        });
        try
        {
            var result = await watching;
            Assert.Contains("worker-2", result.Output);
            Assert.Matches(@"worker-2\s+Ready,SchedulingDisabled", result.Output);
        }
        finally
        {
            fixture.Emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-2", node => node.ObjectAt("spec").Remove("unschedulable"));
        }
    }

    [KubectlFact]
    public async Task ReadonlyUserIsForbiddenToLabelANode()
    {
        var result = await Kubectl.RunAsync(Kubeconfig, "--context", "sandbox-readonly", "label", "node", "worker-1", "team=x");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "Error from server (Forbidden): nodes \"worker-1\" is forbidden: User \"readonly\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope",
            result.Error.Trim());
    }

    [KubectlFact]
    public async Task BadTokenIsUnauthorized()
    {
        var result = await Kubectl.RunAsync(Kubeconfig, "--context", "sandbox-badtoken", "get", "nodes");

        Assert.Equal(1, result.ExitCode);
        // With an empty discovery cache the 401 arrives on discovery, which client-go words this way.
        Assert.Contains("error: You must be logged in to the server (the server has asked for the client to provide credentials)", result.Error);
    }

    [KubectlFact]
    public async Task TokenContextUsesItsNamespace()
    {
        var result = await Kubectl.RunAsync(Kubeconfig, "--context", "sandbox-token", "get", "pods");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No resources found in team-a namespace.", result.Error);
    }

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
