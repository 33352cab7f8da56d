using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>One emulator with the sample app for <see cref="KubectlUserCommandsTests"/>.</summary>
public sealed class SampleAppFixture : IAsyncLifetime
{
    public KubeEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 3, PodReadySeconds = 0.2, SampleApp = true });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

/// <summary>
/// What an admin types, run with the real kubectl 1.32. Every expectation is what kubectl prints
/// against a real 1.32 cluster, taken from kubectl's and the API server's source (cited per test)
/// and the objects' documented defaults; nothing is computed from the emulator's own code. Each
/// test uses its own objects (or restores what it changes), so the order of tests does not matter.
/// </summary>
public sealed class KubectlUserCommandsTests(SampleAppFixture fixture) : IClassFixture<SampleAppFixture>
{
    private string Kubeconfig => fixture.Emulator.KubeconfigPath;

    private Task<Kubectl.Result> Run(params string[] args) => Kubectl.RunAsync(Kubeconfig, args);

    private async Task<Kubectl.Result> Succeeds(params string[] args)
    {
        var result = await Run(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result.Error}");
        return result;
    }

    private async Task<Kubectl.Result> Fails(params string[] args)
    {
        var result = await Run(args);
        Assert.True(result.ExitCode == 1, $"kubectl {string.Join(' ', args)} gave {result.ExitCode}: {result.Output}");
        return result;
    }

    /// <summary>Creates objects from YAML (--validate=false until the emulator serves OpenAPI, part A).</summary>
    private async Task<Kubectl.Result> CreateAsync(string name, string yaml, string verb = "create")
    {
        var file = Path.Combine(fixture.Emulator.StateDirectory, $"{name}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await Succeeds(verb, "-f", file, "--validate=false");
    }

    private static string[] Lines(string text) => text.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();

    /// <summary>A describe line `Key:   value`, however wide the tab writer made the gap.</summary>
    private static void HasField(string describe, string key, string value) =>
        Assert.Matches(new Regex($@"(?m)^{Regex.Escape(key)}:\s+{Regex.Escape(value)}\s*$"), describe);

    private Task RolledOut(string deployment) => Succeeds("rollout", "status", $"deploy/{deployment}", "--timeout=30s");

    [KubectlFact]
    public async Task DescribeNodePrintsKubectlsSections()
    {
        // describe.go describeNode: the sections in this order; Taints <none> and Unschedulable
        // false for an untouched worker; the pods table counts non-terminated pods.
        var text = (await Succeeds("describe", "node", "worker-3")).Output;

        HasField(text, "Name", "worker-3");
        HasField(text, "Roles", "<none>");
        HasField(text, "Taints", "<none>");
        HasField(text, "Unschedulable", "false");
        var sections = new[] { "Conditions:", "Addresses:", "Capacity:", "Allocatable:", "System Info:", "Non-terminated Pods:", "Allocated resources:", "Events:" };
        var positions = sections.Select(s => text.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p >= 0, text));
        Assert.Equal(positions.Order(), positions);
        Assert.Matches(@"(?m)^  Type\s+Status\s+LastHeartbeatTime\s+LastTransitionTime\s+Reason\s+Message$", text);
        Assert.Matches(@"(?m)^  Ready\s+True\s+.+\s+KubeletReady\s+kubelet is posting ready status", text);
        Assert.Matches(@"(?m)^  InternalIP:\s+\d+\.\d+\.\d+\.\d+$", text);
        Assert.Matches(@"(?m)^Non-terminated Pods:\s+\(\d+ in total\)$", text);
        Assert.Contains("  (Total limits may be over 100 percent, i.e., overcommitted.)", text);
    }

    [KubectlFact]
    public async Task DescribeNodeShowsTheKubeletsLease()
    {
        // describe.go describeNode reads kube-node-lease/<node>; the kubelet's lease controller
        // (component-helpers/apimachinery/lease) holds it as the node, never sets acquireTime, and
        // renews it with leaseDurationSeconds 40 (kubelet default nodeLeaseDurationSeconds).
        var (described, lease) = (Run("describe", "node", "worker-3"), Run("get", "lease", "-n", "kube-node-lease", "worker-3", "-o", "jsonpath={.spec.holderIdentity} {.spec.leaseDurationSeconds} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"));
        var text = (await described).Output;
        Assert.Matches(@"(?m)^Lease:\n  HolderIdentity:\s+worker-3\n  AcquireTime:\s+<unset>\n  RenewTime:\s+\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$", text);
        Assert.Equal("worker-3 40 Node/worker-3", (await lease).Output.Trim());
    }

    [KubectlFact]
    public async Task DescribePodShowsWhatAdmissionAddedAndItsController()
    {
        // describe.go describePod prints Priority and Service Account when set: the Priority admission
        // plugin gives a pod without a class priority 0, the ServiceAccount defaulting "default";
        // DefaultTolerationSeconds adds the not-ready/unreachable NoExecute tolerations for 300 s.
        await RolledOut("web");
        var text = (await Succeeds("describe", "pod", "-l", "app=web")).Output;
        var first = text.Split("\n\n\nName:")[0];

        HasField(first, "Namespace", "default");
        HasField(first, "Priority", "0");
        HasField(first, "Service Account", "default");
        HasField(first, "Status", "Running");
        Assert.Matches(@"(?m)^Controlled By:\s+ReplicaSet/web-[a-z0-9]+$", first);
        HasField(first, "QoS Class", "BestEffort");
        Assert.Matches(@"(?m)^Tolerations:\s+node\.kubernetes\.io/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io/unreachable:NoExecute op=Exists for 300s$", first);
        HasField(first, "    Image", "nginx:1.27");
        HasField(first, "    Ready", "True");
        Assert.Matches(@"(?m)^  Ready\s+True\s*$", first);
    }

    [KubectlFact]
    public async Task DescribeDeploymentShowsReplicasStrategyAndTheControllersEvents()
    {
        // describe.go DeploymentDescriber; the defaults of apps/v1 (25%/25% rolling update);
        // deployment controller sync.go: "Scaled up replica set <rs> from 0 to <n>" (ScalingReplicaSet).
        await RolledOut("web");
        var text = (await Succeeds("describe", "deployment", "web")).Output;

        HasField(text, "Selector", "app=web");
        HasField(text, "Replicas", "2 desired | 2 updated | 2 total | 2 available | 0 unavailable");
        HasField(text, "StrategyType", "RollingUpdate");
        HasField(text, "RollingUpdateStrategy", "25% max unavailable, 25% max surge");
        Assert.Matches(@"(?m)^  Available\s+True\s+MinimumReplicasAvailable$", text);
        Assert.Matches(@"(?m)^  Progressing\s+True\s+NewReplicaSetAvailable$", text);
        Assert.Matches(@"(?m)^NewReplicaSet:\s+web-[a-z0-9]+ \(2/2 replicas created\)$", text);
        Assert.Matches(@"(?m)^  Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-[a-z0-9]+ from 0 to 2$", text);
    }

    [KubectlFact]
    public async Task TaintAddsRemovesAndRefusesAsKubectlDoes()
    {
        // kubectl taint (pkg/cmd/taint/taint.go, utils.go): effects NoSchedule|PreferNoSchedule|NoExecute
        // only; an existing key with the same effect needs --overwrite; removing a missing taint fails.
        try
        {
            Assert.Equal("node/worker-2 tainted", (await Succeeds("taint", "node", "worker-2", "dedicated=db:NoSchedule")).Output.Trim());
            Assert.Equal("error: node worker-2 already has dedicated taint(s) with same effect(s) and --overwrite is false",
                (await Fails("taint", "node", "worker-2", "dedicated=web:NoSchedule")).Error.Trim());
            Assert.Equal("node/worker-2 modified", (await Succeeds("taint", "node", "worker-2", "dedicated=web:NoSchedule", "--overwrite")).Output.Trim());
            Assert.StartsWith("error: invalid taint effect: Sometimes, unsupported taint effect",
                (await Fails("taint", "node", "worker-2", "other=x:Sometimes")).Error.Trim());
            Assert.Equal("[{\"effect\":\"NoSchedule\",\"key\":\"dedicated\",\"value\":\"web\"}]",
                (await Succeeds("get", "node", "worker-2", "-o", "jsonpath={.spec.taints}")).Output.Trim());
            var described = (await Succeeds("describe", "node", "worker-2")).Output;
            HasField(described, "Taints", "dedicated=web:NoSchedule");

            Assert.Equal("node/worker-2 untainted", (await Succeeds("taint", "node", "worker-2", "dedicated:NoSchedule-")).Output.Trim());
            Assert.Equal("error: taint \"dedicated:NoSchedule\" not found", (await Fails("taint", "node", "worker-2", "dedicated:NoSchedule-")).Error.Trim());
        }
        finally
        {
            await Run("taint", "node", "worker-2", "dedicated-");
        }
    }

    [KubectlFact]
    public async Task LabelAndAnnotateRefuseToOverwriteWithoutTheFlag()
    {
        // pkg/cmd/label/label.go and annotate/annotate.go: an existing key needs --overwrite (their own
        // messages); a key that is not a qualified name is refused by the API server's validation (422).
        try
        {
            Assert.Equal("node/worker-2 labeled", (await Succeeds("label", "node", "worker-2", "team=blue")).Output.Trim());
            Assert.Equal("error: 'team' already has a value (blue), and --overwrite is false", (await Fails("label", "node", "worker-2", "team=red")).Error.Trim());
            Assert.Equal("node/worker-2 labeled", (await Succeeds("label", "node", "worker-2", "team=red", "--overwrite")).Output.Trim());
            Assert.StartsWith("The Node \"worker-2\" is invalid: metadata.labels: Invalid value: \"bad_\": name part must consist of alphanumeric characters",
                (await Fails("label", "node", "worker-2", "bad_=x")).Error.Trim());

            Assert.Equal("node/worker-2 annotated", (await Succeeds("annotate", "node", "worker-2", "owner=ops")).Output.Trim());
            Assert.Equal("error: --overwrite is false but found the following declared annotation(s): 'owner' already has a value (ops)",
                (await Fails("annotate", "node", "worker-2", "owner=dev")).Error.Trim());
            Assert.Equal("node/worker-2 annotated", (await Succeeds("annotate", "node", "worker-2", "owner=dev", "--overwrite")).Output.Trim());

            var (selected, setBased, labels, jsonpath) = (Run("get", "nodes", "-l", "team=red", "-o", "name"), Run("get", "nodes", "-l", "team in (red,green),!node-role.kubernetes.io/control-plane", "-o", "name"),
                Run("get", "node", "worker-2", "--show-labels"), Run("get", "node", "worker-2", "-o", "jsonpath={.metadata.labels.team} {.metadata.annotations.owner}"));
            Assert.Equal("node/worker-2", (await selected).Output.Trim());
            Assert.Equal("node/worker-2", (await setBased).Output.Trim());
            // --show-labels: a LABELS column with the labels sorted by key, comma-separated.
            var shown = Lines((await labels).Output);
            Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+LABELS$", shown[0]);
            Assert.Matches(@"^worker-2\s+Ready\s+<none>\s+\S+\s+v\S+\s+beta\.kubernetes\.io/arch=amd64,beta\.kubernetes\.io/os=linux,kubernetes\.io/arch=amd64,kubernetes\.io/hostname=worker-2,kubernetes\.io/os=linux,team=red$", shown[1]);
            Assert.Equal("red dev", (await jsonpath).Output.Trim());
            Assert.Equal("No resources found", (await Succeeds("get", "nodes", "-l", "team=blue")).Error.Trim());
        }
        finally
        {
            await Task.WhenAll(Run("label", "node", "worker-2", "team-"), Run("annotate", "node", "worker-2", "owner-"));
        }
    }

    [KubectlFact]
    public async Task YamlOfANodeIsTheStoredObject()
    {
        // -o yaml prints the object as the server returned it: apiVersion/kind first, then metadata.
        // The node registry strategy (pkg/registry/core/node/strategy.go) keeps no metadata.generation,
        // unlike the apps strategies, which start it at 1.
        var (nodeYaml, deploymentGeneration) = (Run("get", "node", "worker-3", "-o", "yaml"), Run("get", "deploy", "web", "-o", "jsonpath={.metadata.generation}"));
        var yaml = Lines((await nodeYaml).Output);
        Assert.DoesNotContain(yaml, l => l.StartsWith("  generation:", StringComparison.Ordinal));
        Assert.Matches(@"^\d+$", (await deploymentGeneration).Output.Trim());
        Assert.Equal(["apiVersion: v1", "kind: Node", "metadata:"], yaml[..3]);
        Assert.Contains("  name: worker-3", yaml);
        Assert.Contains("    kubernetes.io/hostname: worker-3", yaml);
        Assert.Contains(yaml, l => Regex.IsMatch(l, "^  creationTimestamp: \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"$"));
        Assert.Contains(yaml, l => Regex.IsMatch(l, "^  resourceVersion: \"\\d+\"$"));
    }

    [KubectlFact]
    public async Task DeleteNodeRemovesItAndGetThenReportsNotFound()
    {
        // An admin may register a Node object by hand (kubectl create); delete prints `node "<name>" deleted`.
        await CreateAsync("spare-node", """
            apiVersion: v1
            kind: Node
            metadata:
              name: spare-1
              labels: {kubernetes.io/hostname: spare-1}
            """);
        Assert.Matches(@"^spare-1\s+", Lines((await Succeeds("get", "node", "spare-1")).Output)[1]);
        Assert.Equal("node \"spare-1\" deleted", (await Succeeds("delete", "node", "spare-1")).Output.Trim());
        Assert.Equal("Error from server (NotFound): nodes \"spare-1\" not found", (await Fails("get", "node", "spare-1")).Error.Trim());
        Assert.Equal("Error from server (NotFound): nodes \"spare-1\" not found", (await Fails("delete", "node", "spare-1")).Error.Trim());
    }

    private const string BarePod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: NAME
          labels: {drain: me}
        spec:
          nodeName: worker-3
          terminationGracePeriodSeconds: 0
          containers: [{name: c, image: "busybox:1.36"}]
        """;

    [KubectlFact]
    public async Task DrainWithAPodSelectorEvictsOnlyTheSelectedPods()
    {
        // drain.go: --pod-selector narrows the pods; an uncontrolled pod needs --force and is named in
        // a warning; kube-proxy (DaemonSet) is outside the selector, so --ignore-daemonsets is not needed.
        await CreateAsync("drain-pods", BarePod.Replace("NAME", "drain-a") + "\n---\n" + BarePod.Replace("NAME", "stay").Replace("drain: me", "drain: keep"));
        try
        {
            var result = await Succeeds("drain", "worker-3", "--pod-selector", "drain=me", "--force", "--timeout=30s");
            Assert.Equal(["node/worker-3 cordoned", "evicting pod default/drain-a", "pod/drain-a evicted", "node/worker-3 drained"], Lines(result.Output));
            Assert.Equal("Warning: deleting Pods that declare no controller: default/drain-a", result.Error.Trim());
            Assert.Equal("stay", (await Succeeds("get", "pods", "-l", "drain", "-o", "jsonpath={.items[*].metadata.name}")).Output.Trim());
            Assert.Matches(@"^worker-3\s+Ready,SchedulingDisabled\s", Lines((await Succeeds("get", "node", "worker-3")).Output)[1]);
        }
        finally
        {
            await Task.WhenAll(Run("uncordon", "worker-3"), Run("delete", "pod", "-l", "drain", "--grace-period=0", "--force"));
        }
    }

    [KubectlFact]
    public async Task DrainServerDryRunChangesNothing()
    {
        // drain.go with --dry-run=server: the same messages suffixed " (server dry run)", and nothing changes.
        await CreateAsync("dry-drain", BarePod.Replace("NAME", "dry-a").Replace("drain: me", "drain: dry"));
        try
        {
            var result = await Succeeds("drain", "worker-3", "--pod-selector", "drain=dry", "--force", "--dry-run=server");
            Assert.Equal(["node/worker-3 cordoned (server dry run)", "evicting pod default/dry-a (server dry run)", "node/worker-3 drained (server dry run)"], Lines(result.Output));
            Assert.Equal("dry-a", (await Succeeds("get", "pods", "-l", "drain=dry", "-o", "jsonpath={.items[*].metadata.name}")).Output.Trim());
            Assert.Matches(@"^worker-3\s+Ready\s", Lines((await Succeeds("get", "node", "worker-3")).Output)[1]);
        }
        finally
        {
            await Task.WhenAll(Run("uncordon", "worker-3"), Run("delete", "pod", "-l", "drain=dry", "--grace-period=0", "--force"));
        }
    }

    private const string ApiApp = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          labels: {app: api}
        spec:
          replicas: REPLICAS
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec:
              containers: [{name: api, image: "nginx:1.27"}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: api}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: api}}
        """;

    [KubectlFact]
    public async Task ClientSideApplyWaitRolloutPdbAndEvents()
    {
        // apply.go: created, then "unchanged" when the three-way patch is empty, "configured" otherwise.
        // A PDB's spec.selector has patchStrategy "replace" (k8s.io/api/policy/v1 types.go), so the
        // computed patch is never empty and a PDB is always "configured" (see Azure/eno#246).
        Assert.Equal(["deployment.apps/api created", "poddisruptionbudget.policy/api created"], Lines((await CreateAsync("api", ApiApp.Replace("REPLICAS", "2"), "apply")).Output));
        Assert.Equal(["deployment.apps/api unchanged", "poddisruptionbudget.policy/api configured"], Lines((await CreateAsync("api", ApiApp.Replace("REPLICAS", "2"), "apply")).Output));
        Assert.Contains("\"replicas\":2", (await Succeeds("get", "deploy", "api", "-o", "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}")).Output);

        // wait.go: "<kind>.<group>/<name> condition met" once Available is True.
        Assert.Equal("deployment.apps/api condition met", (await Succeeds("wait", "--for=condition=Available", "deploy/api", "--timeout=30s")).Output.Trim());

        // printers.go printPodDisruptionBudget and describe.go PodDisruptionBudgetDescriber.
        var (pdb, describedPdb) = (Run("get", "pdb", "api"), Run("describe", "pdb", "api"));
        var pdbLines = Lines((await pdb).Output);
        Assert.Matches(@"^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$", pdbLines[0]);
        Assert.Matches(@"^api\s+1\s+N/A\s+1\s+\S+$", pdbLines[1]);
        var pdbText = (await describedPdb).Output;
        HasField(pdbText, "Min available", "1");
        HasField(pdbText, "Selector", "app=api");
        HasField(pdbText, "    Allowed disruptions", "1");
        HasField(pdbText, "    Current", "2");
        HasField(pdbText, "    Desired", "1");
        HasField(pdbText, "    Total", "2");

        // rollout pause/resume/restart (pkg/cmd/rollout): messages, and pausing twice is refused.
        Assert.Equal("deployment.apps/api paused", (await Succeeds("rollout", "pause", "deploy/api")).Output.Trim());
        Assert.Equal("error: deployments.apps \"api\" is already paused", (await Fails("rollout", "pause", "deploy/api")).Error.Trim());
        Assert.Equal("true", (await Succeeds("get", "deploy", "api", "-o", "jsonpath={.spec.paused}")).Output.Trim());
        Assert.Equal("deployment.apps/api resumed", (await Succeeds("rollout", "resume", "deploy/api")).Output.Trim());
        Assert.Equal("error: deployments.apps \"api\" is not paused", (await Fails("rollout", "resume", "deploy/api")).Error.Trim());
        Assert.Equal("deployment.apps/api restarted", (await Succeeds("rollout", "restart", "deploy/api")).Output.Trim());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (await Succeeds("get", "deploy", "api", "-o", "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}")).Output.Trim());
        Assert.Equal("deployment \"api\" successfully rolled out", Lines((await Succeeds("rollout", "status", "deploy/api", "--timeout=30s")).Output)[^1]);

        // printers.go printEvent: LAST SEEN TYPE REASON OBJECT MESSAGE, OBJECT as kind/name lower-cased;
        // the restart made a second ReplicaSet, scaled up while the first one is scaled down to 0.
        var events = Lines((await Succeeds("get", "events", "--field-selector", "involvedObject.kind=Deployment,involvedObject.name=api")).Output);
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$", events[0]);
        Assert.Contains(events, l => Regex.IsMatch(l, @"^\S+\s+Normal\s+ScalingReplicaSet\s+deployment/api\s+Scaled up replica set api-[a-z0-9]+ from 0 to 1$"));
        Assert.Contains(events, l => Regex.IsMatch(l, @"^\S+\s+Normal\s+ScalingReplicaSet\s+deployment/api\s+Scaled down replica set api-[a-z0-9]+ from \d to 0$"));
        var created = Lines((await Succeeds("get", "events", "--field-selector", "reason=SuccessfulCreate", "-o", "wide")).Output);
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$", created[0]);
        Assert.Contains(created, l => Regex.IsMatch(l, @"^\S+\s+Normal\s+SuccessfulCreate\s+replicaset/api-[a-z0-9]+\s+replicaset-controller\s+Created pod: api-[a-z0-9]+-[a-z0-9]{5}\s+\S+\s+1\s+api-[a-z0-9]+\.[0-9a-f]+$"));
    }

    private const string ServerSideConfigMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {mode: fast}
        """;

    [KubectlFact]
    public async Task ServerSideApplyRecordsKubectlAsTheApplyManager()
    {
        // apply.go with --server-side: "<kind>/<name> serverside-applied" every time; the field manager
        // defaults to "kubectl" and the API server records it in managedFields as operation Apply.
        var file = Path.Combine(fixture.Emulator.StateDirectory, "ssa.yaml");
        await File.WriteAllTextAsync(file, ServerSideConfigMap);
        Assert.Equal("configmap/settings serverside-applied", (await Succeeds("apply", "--server-side", "-f", file, "--validate=false")).Output.Trim());
        Assert.Equal("configmap/settings serverside-applied", (await Succeeds("apply", "--server-side", "-f", file, "--validate=false")).Output.Trim());
        var managers = (await Succeeds("get", "cm", "settings", "--show-managed-fields", "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation} {end}")).Output.Trim();
        Assert.Contains("kubectl:Apply", managers.Split(' '));
    }

    [KubectlFact]
    public async Task ServerSideApplyConflictsWithAnotherManager()
    {
        // After `kubectl patch` (manager kubectl-patch, operation Update) owns .data.mode, a plain
        // server-side apply of another value is refused (409) and kubectl names the manager and field.
        var file = Path.Combine(fixture.Emulator.StateDirectory, "ssa-conflict.yaml");
        await File.WriteAllTextAsync(file, ServerSideConfigMap.Replace("settings", "owned"));
        await Succeeds("apply", "--server-side", "-f", file, "--validate=false");
        await Succeeds("patch", "cm", "owned", "-p", """{"data":{"mode":"slow"}}""");
        var refused = await Fails("apply", "--server-side", "-f", file, "--validate=false");
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl-patch\" using v1: .data.mode", refused.Error.Trim());
        Assert.Equal("configmap/owned serverside-applied", (await Succeeds("apply", "--server-side", "--force-conflicts", "-f", file, "--validate=false")).Output.Trim());
    }

    [KubectlFact]
    public async Task CreateGeneratorsMakeADeploymentAndItsBudget()
    {
        // pkg/cmd/create: "<kind>.<group>/<name> created"; the deployment gets label app=<name>.
        Assert.Equal("deployment.apps/gen created", (await Succeeds("create", "deployment", "gen", "--image=nginx:1.27", "--replicas=1")).Output.Trim());
        Assert.Equal("poddisruptionbudget.policy/gen created", (await Succeeds("create", "pdb", "gen", "--selector=app=gen", "--min-available=1")).Output.Trim());
        Assert.Equal("deployment.apps/gen condition met", (await Succeeds("wait", "--for=condition=Available", "deploy/gen", "--timeout=30s")).Output.Trim());
        // The disruption controller: disruptionsAllowed = currentHealthy - desiredHealthy, so one ready pod
        // under minAvailable 1 allows none.
        Assert.Matches(@"^gen\s+1\s+N/A\s+0\s+\S+$", Lines((await Succeeds("get", "pdb", "gen")).Output)[1]);
    }

    [KubectlFact]
    public async Task ClaimInUseStaysTerminatingUntilItsPodIsGone()
    {
        // pvc-protection (pkg/controller/volume/pvcprotection): a claim a pod uses keeps its finalizer
        // after delete and shows Terminating; describe.go PersistentVolumeClaimDescriber prints
        // "Terminating (lasts <age>)", the finalizer and "Used By".
        await CreateAsync("claim", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: held}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: holder}
            spec:
              terminationGracePeriodSeconds: 0
              containers: [{name: c, image: "busybox:1.36"}]
              volumes: [{name: d, persistentVolumeClaim: {claimName: held}}]
            """);
        Assert.Equal("persistentvolumeclaim/held condition met", (await Succeeds("wait", "--for=jsonpath={.status.phase}=Bound", "pvc/held", "--timeout=20s")).Output.Trim());
        var bound = (await Succeeds("describe", "pvc", "held")).Output;
        HasField(bound, "StorageClass", "standard");
        HasField(bound, "Status", "Bound");
        HasField(bound, "Finalizers", "[kubernetes.io/pvc-protection]");
        HasField(bound, "Capacity", "1Gi");
        HasField(bound, "Access Modes", "RWO");
        HasField(bound, "VolumeMode", "Filesystem");
        HasField(bound, "Used By", "holder");

        Assert.Equal("persistentvolumeclaim \"held\" deleted", (await Succeeds("delete", "pvc", "held", "--wait=false")).Output.Trim());
        Assert.Matches(@"^held\s+Terminating\s+pvc-", Lines((await Succeeds("get", "pvc", "held")).Output)[1]);
        Assert.Matches(@"(?m)^Status:\s+Terminating \(lasts \S+\)$", (await Succeeds("describe", "pvc", "held")).Output);

        await Succeeds("delete", "pod", "holder", "--grace-period=0", "--force");
        // Once no pod uses it the finalizer goes; wait prints "condition met" if it still saw the claim, nothing if it was already gone.
        await Succeeds("wait", "--for=delete", "pvc/held", "--timeout=20s");
        Assert.Equal("Error from server (NotFound): persistentvolumeclaims \"held\" not found", (await Fails("get", "pvc", "held")).Error.Trim());
    }

    private static string DefaultClass(string value) =>
        "{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"" + value + "\"}}}";

    [KubectlFact]
    public async Task StorageClassDefaultMovesWithTheAnnotation()
    {
        // printers.go printStorageClass marks the class annotated storageclass.kubernetes.io/is-default-class
        // "true" with " (default)"; storage validation forbids changing reclaimPolicy; delete prints the kind.
        await CreateAsync("fast-class", """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: fast}
            provisioner: hostpath.csi.k8s.io
            reclaimPolicy: Retain
            volumeBindingMode: WaitForFirstConsumer
            """);
        try
        {
            Assert.Equal("storageclass.storage.k8s.io/standard patched", (await Succeeds("patch", "storageclass", "standard", "-p", DefaultClass("false"))).Output.Trim());
            Assert.Equal("storageclass.storage.k8s.io/fast patched", (await Succeeds("patch", "storageclass", "fast", "-p", DefaultClass("true"))).Output.Trim());
            var classes = Lines((await Succeeds("get", "sc")).Output);
            Assert.Matches(@"^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$", classes[0]);
            Assert.Matches(@"^fast \(default\)\s+hostpath\.csi\.k8s\.io\s+Retain\s+WaitForFirstConsumer\s+false\s+\S+$", classes[1]);
            Assert.Matches(@"^standard\s+hostpath\.csi\.k8s\.io\s+Delete\s+Immediate\s+true\s+\S+$", classes[2]);

            Assert.Equal("The StorageClass \"fast\" is invalid: reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
                (await Fails("patch", "sc", "fast", "-p", """{"reclaimPolicy":"Delete"}""")).Error.Trim());
        }
        finally
        {
            await Succeeds("patch", "storageclass", "standard", "-p", DefaultClass("true"));
        }
        Assert.Equal("storageclass.storage.k8s.io \"fast\" deleted", (await Succeeds("delete", "sc", "fast")).Output.Trim());
        Assert.Equal("Error from server (NotFound): storageclasses.storage.k8s.io \"fast\" not found", (await Fails("get", "sc", "fast")).Error.Trim());
    }
}
