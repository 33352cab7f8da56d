using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Nodes;
using ClusterManagement.Emulator.Protobuf;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>
/// kubectl's generators (<c>kubectl create deployment|secret|...</c>) send protobuf bodies; each must
/// create the object the kubectl reference documents, with the fields its flags set.
/// </summary>
public sealed class GeneratorFidelityTests
{
    private static async Task<KubeEmulator> StartAsync() =>
        await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, PodReadySeconds = 0.2 });

    /// <summary>Runs a generator, checks that it said it created the object and that its body was protobuf.</summary>
    private static async Task CreateAsync(KubeEmulator emulator, string expectedOutput, params string[] args)
    {
        var since = emulator.Requests.LastSequence;
        var result = await Kubectl.RunAsync(emulator.KubeconfigPath, ["create", .. args]);
        Assert.True(result.ExitCode == 0, $"kubectl create {string.Join(' ', args)}: {result.Error}");
        Assert.Equal(expectedOutput, result.Output.Trim());
        var post = Assert.Single(emulator.Requests.Since(since), r => r.Method == "POST");
        Assert.Equal(ProtobufBody.MediaType, post.ContentType);
        Assert.Equal(201, post.Status);
    }

    private static JsonObject Stored(KubeEmulator emulator, ResourceKind kind, string? ns, string name) =>
        emulator.Store.Get(kind, ns, name) ?? throw new Xunit.Sdk.XunitException($"{kind} {name} was not stored");

    [KubectlFact]
    public async Task SecretConfigMapNamespaceAndServiceAccountCarryTheirData()
    {
        await using var emulator = await StartAsync();
        await CreateAsync(emulator, "secret/s created", "secret", "generic", "s", "--from-literal=a=b");
        var secret = Stored(emulator, CoreKinds.Secrets, "default", "s");
        Assert.Equal("Yg==", secret.StringAt("data", "a"));
        Assert.Equal("Opaque", secret.StringAt("type"));

        await CreateAsync(emulator, "secret/tls-less created", "secret", "docker-registry", "tls-less", "--docker-server=r.example", "--docker-username=u", "--docker-password=p");
        var registry = Stored(emulator, CoreKinds.Secrets, "default", "tls-less");
        Assert.Equal("kubernetes.io/dockerconfigjson", registry.StringAt("type"));
        var config = JsonNode.Parse(Convert.FromBase64String(registry.StringAt("data", ".dockerconfigjson")!));
        Assert.Equal("u", config.StringAt("auths", "r.example", "username"));

        await CreateAsync(emulator, "configmap/cm created", "configmap", "cm", "--from-literal=k=v", "--from-literal=empty=");
        var configMap = Stored(emulator, CoreKinds.ConfigMaps, "default", "cm");
        Assert.Equal("v", configMap.StringAt("data", "k"));
        Assert.Equal("", configMap.StringAt("data", "empty"));

        await CreateAsync(emulator, "namespace/ns1 created", "namespace", "ns1");
        Assert.Equal("ns1", Stored(emulator, CoreKinds.Namespaces, null, "ns1").Name());

        await CreateAsync(emulator, "serviceaccount/robot created", "serviceaccount", "robot", "-n", "ns1");
        Assert.Equal("ns1", Stored(emulator, RbacModule.ServiceAccounts, "ns1", "robot").Namespace());
    }

    [KubectlFact]
    public async Task DeploymentRollsOutAndKeepsAnExplicitZeroReplicas()
    {
        await using var emulator = await StartAsync();
        await CreateAsync(emulator, "deployment.apps/web created", "deployment", "web", "--image=nginx:1.25", "--replicas=2");
        var deployment = Stored(emulator, AppsKinds.Deployments, "default", "web");
        Assert.Equal(2, deployment.LongAt("spec", "replicas"));
        Assert.Equal("web", deployment.StringAt("spec", "selector", "matchLabels", "app"));
        var container = Assert.Single(deployment.ObjectsAt("spec", "template", "spec", "containers"));
        Assert.Equal("nginx", container.StringAt("name"));
        Assert.Equal("nginx:1.25", container.StringAt("image"));
        var status = await Kubectl.RunAsync(emulator.KubeconfigPath, "rollout", "status", "deploy/web", "--timeout=25s");
        Assert.Equal("deployment \"web\" successfully rolled out", status.Output.Trim().Split('\n')[^1]);

        // replicas is a pointer in Go: 0 is sent and must not be defaulted to 1.
        await CreateAsync(emulator, "deployment.apps/idle created", "deployment", "idle", "--image=nginx:1.25", "--replicas=0");
        Assert.Equal(0, Stored(emulator, AppsKinds.Deployments, "default", "idle").LongAt("spec", "replicas"));
    }

    [KubectlFact]
    public async Task ServiceAndDisruptionBudgetKeepIntOrStringValues()
    {
        await using var emulator = await StartAsync();
        await CreateAsync(emulator, "service/api created", "service", "clusterip", "api", "--tcp=80:8080");
        var service = Stored(emulator, CoreKinds.Services, "default", "api");
        Assert.Equal("ClusterIP", service.StringAt("spec", "type"));
        Assert.Equal("api", service.StringAt("spec", "selector", "app"));
        var port = Assert.Single(service.ObjectsAt("spec", "ports"));
        Assert.Equal("80-8080", port.StringAt("name"));
        Assert.Equal("TCP", port.StringAt("protocol"));
        Assert.Equal(80, port.LongAt("port"));
        Assert.Equal(8080, port.LongAt("targetPort"));

        await CreateAsync(emulator, "service/named created", "service", "nodeport", "named", "--tcp=443:https");
        Assert.Equal("https", Assert.Single(Stored(emulator, CoreKinds.Services, "default", "named").ObjectsAt("spec", "ports")).StringAt("targetPort"));

        await CreateAsync(emulator, "poddisruptionbudget.policy/web created", "pdb", "web", "--selector=app=web", "--min-available=1");
        var budget = Stored(emulator, MaintenanceKinds.PodDisruptionBudgets, "default", "web");
        Assert.Equal(1, budget.LongAt("spec", "minAvailable"));
        Assert.Equal("web", budget.StringAt("spec", "selector", "matchLabels", "app"));

        await CreateAsync(emulator, "poddisruptionbudget.policy/half created", "pdb", "half", "--selector=app=web", "--max-unavailable=50%");
        Assert.Equal("50%", Stored(emulator, MaintenanceKinds.PodDisruptionBudgets, "default", "half").StringAt("spec", "maxUnavailable"));
    }

    [KubectlFact]
    public async Task JobsRbacPriorityClassAndQuotaAreStoredAsGenerated()
    {
        await using var emulator = await StartAsync();
        await CreateAsync(emulator, "job.batch/once created", "job", "once", "--image=busybox");
        var job = Stored(emulator, GeneratedObjectKindsModule.Jobs, "default", "once");
        Assert.Equal("Never", job.StringAt("spec", "template", "spec", "restartPolicy"));
        Assert.Equal("busybox", Assert.Single(job.ObjectsAt("spec", "template", "spec", "containers")).StringAt("image"));
        // The zero time Go sends for an unset timestamp is JSON null, as the real server stores it.
        Assert.Null(job.At("spec", "template", "metadata", "creationTimestamp"));

        await CreateAsync(emulator, "cronjob.batch/tick created", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *");
        var cronJob = Stored(emulator, GeneratedObjectKindsModule.CronJobs, "default", "tick");
        Assert.Equal("*/5 * * * *", cronJob.StringAt("spec", "schedule"));
        Assert.Equal("OnFailure", cronJob.StringAt("spec", "jobTemplate", "spec", "template", "spec", "restartPolicy"));

        await CreateAsync(emulator, "job.batch/manual created", "job", "manual", "--from=cronjob/tick");
        var manual = Stored(emulator, GeneratedObjectKindsModule.Jobs, "default", "manual");
        Assert.Equal("manual", manual.StringAt("metadata", "annotations", "cronjob.kubernetes.io/instantiate"));
        var owner = Assert.Single(manual.ObjectsAt("metadata", "ownerReferences"));
        Assert.Equal(("CronJob", "tick", cronJob.StringAt("metadata", "uid")), (owner.StringAt("kind"), owner.StringAt("name"), owner.StringAt("uid")));

        await CreateAsync(emulator, "role.rbac.authorization.k8s.io/reader created", "role", "reader", "--verb=get,list", "--resource=pods");
        var rule = Assert.Single(Stored(emulator, RbacModule.Roles, "default", "reader").ObjectsAt("rules"));
        Assert.Equal([""], rule["apiGroups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["pods"], rule["resources"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["get", "list"], rule["verbs"]!.AsArray().Select(g => g!.GetValue<string>()));

        await CreateAsync(emulator, "rolebinding.rbac.authorization.k8s.io/readers created", "rolebinding", "readers", "--role=reader", "--user=u");
        var binding = Stored(emulator, RbacModule.RoleBindings, "default", "readers");
        Assert.Equal("Role", binding.StringAt("roleRef", "kind"));
        Assert.Equal("reader", binding.StringAt("roleRef", "name"));
        var subject = Assert.Single(binding.ObjectsAt("subjects"));
        Assert.Equal(("User", "u"), (subject.StringAt("kind"), subject.StringAt("name")));

        await CreateAsync(emulator, "priorityclass.scheduling.k8s.io/high created", "priorityclass", "high", "--value=1000", "--description=batch");
        var priority = Stored(emulator, GeneratedObjectKindsModule.PriorityClasses, null, "high");
        Assert.Equal(1000, priority.LongAt("value"));
        Assert.Equal("batch", priority.StringAt("description"));
        Assert.Equal("PreemptLowerPriority", priority.StringAt("preemptionPolicy"));

        await CreateAsync(emulator, "resourcequota/small created", "quota", "small", "--hard=cpu=1,memory=1Gi,pods=2");
        var hard = Stored(emulator, GeneratedObjectKindsModule.ResourceQuotas, "default", "small").At("spec", "hard");
        Assert.Equal(("1", "1Gi", "2"), (hard.StringAt("cpu"), hard.StringAt("memory"), hard.StringAt("pods")));
    }

    [KubectlFact]
    public async Task AGeneratedObjectStillPassesValidation()
    {
        await using var emulator = await StartAsync();
        var result = await Kubectl.RunAsync(emulator.KubeconfigPath, "create", "deployment", "web", "--image=nginx", "--replicas=-1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0", result.Error);
        Assert.Equal(ProtobufBody.MediaType, emulator.Requests.Since(0).Last(r => r.Method == "POST").ContentType);
    }
}
