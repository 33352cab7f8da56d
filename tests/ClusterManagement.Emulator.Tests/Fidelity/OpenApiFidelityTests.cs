using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>
/// The real kubectl with validation on (its default): it reads /openapi/v3, leaves field validation to
/// the server (fieldValidation=Strict), computes apply patches from the published patch strategies and
/// explains fields. Expected texts are kubectl 1.32's against a real API server.
/// </summary>
public sealed class OpenApiFidelityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private string Kubeconfig => fixture.Emulator.KubeconfigPath;

    private async Task<string> ManifestAsync(string file, string text)
    {
        var path = Path.Combine(fixture.Emulator.StateDirectory, file);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static string Deployment(string name, int replicas, string extraSpec = "") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: {replicas}
        {extraSpec}  selector:
            matchLabels: {"{"}app: {name}{"}"}
          template:
            metadata:
              labels: {"{"}app: {name}{"}"}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                env:
                - name: A
                  value: "1"
        """;

    [KubectlFact]
    public async Task CreateAndClientSideApplyWorkWithValidationOn()
    {
        var file = await ManifestAsync("bundle.yaml", $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: bundle
            data:
              key: value
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: bundle
            spec:
              selector: {"{"}app: bundle{"}"}
              ports:
              - port: 80
                targetPort: 8080
            ---
            {Deployment("bundle", 1)}
            """);

        var created = await Kubectl.RunAsync(Kubeconfig, "create", "-f", file);
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("replicas: 1", "replicas: 3").Replace("key: value", "key: changed"));
        var since = fixture.Emulator.Requests.LastSequence;
        var applied = await Kubectl.RunAsync(Kubeconfig, "apply", "-f", file);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal(["configmap/bundle created", "service/bundle created", "deployment.apps/bundle created"], created.Output.Trim().Split('\n'));
        Assert.True(applied.ExitCode == 0, applied.Error);
        Assert.Equal(["configmap/bundle configured", "service/bundle configured", "deployment.apps/bundle configured"], applied.Output.Trim().Split('\n'));
        Assert.DoesNotContain("openapi", applied.Error);
        Assert.Equal(3, fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "bundle")!.LongAt("spec", "replicas"));
        Assert.Equal("changed", fixture.Emulator.Store.Get(CoreKinds.ConfigMaps, "default", "bundle")!.StringAt("data", "key"));
        var patches = fixture.Emulator.Requests.Since(since).Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(3, patches.Count);
        Assert.All(patches, p => Assert.Equal("application/strategic-merge-patch+json", p.ContentType));
        Assert.All(patches, p => Assert.Contains("fieldValidation=Strict", p.Path));
        Assert.DoesNotContain(fixture.Emulator.Requests.Since(since), r => r.Path.StartsWith("/openapi/v2"));
    }

    [KubectlFact]
    public async Task AnUnknownFieldIsRefusedWithTheServersMessage()
    {
        var file = await ManifestAsync("unknown.yaml", Deployment("unknown-field", 1, "  foo: bar\n"));

        var result = await Kubectl.RunAsync(Kubeconfig, "create", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error from server (BadRequest): error when creating \"{file}\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.foo\"",
            result.Error.Trim());
        Assert.Null(fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "unknown-field"));
    }

    [KubectlFact]
    public async Task ApplyOfAnUnknownFieldToAnExistingObjectIsAnInvalidPatch()
    {
        var file = await ManifestAsync("apply-unknown.yaml", Deployment("apply-unknown", 1));
        Assert.Equal(0, (await Kubectl.RunAsync(Kubeconfig, "apply", "-f", file)).ExitCode);
        await File.WriteAllTextAsync(file, Deployment("apply-unknown", 2, "  foo: bar\n"));

        var result = await Kubectl.RunAsync(Kubeconfig, "apply", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("The request is invalid: patch: Invalid value: \"map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:", result.Error);
        Assert.EndsWith("spec:map[foo:bar replicas:2]]\": strict decoding error: unknown field \"spec.foo\"", result.Error.Trim());
        Assert.Equal(1, fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "apply-unknown")!.LongAt("spec", "replicas"));
    }

    [KubectlFact]
    public async Task AListIsValidatedByKubectlFromTheV2Document()
    {
        // kubectl validates a v1 List itself, against /openapi/v2 read as protobuf, with its own wording.
        var good = await ManifestAsync("list.json", """
            {"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"listed"},"data":{"a":"b"}}]}
            """);
        var bad = await ManifestAsync("bad-list.json", """
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad-listed"},"foo":1},
              {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bad-listed"},"spec":{"selector":{"matchLabels":{"a":"b"}},
               "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i","bar":2}]}}}}]}
            """);

        var created = await Kubectl.RunAsync(Kubeconfig, "create", "-f", good);
        var refused = await Kubectl.RunAsync(Kubeconfig, "create", "-f", bad);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal("configmap/listed created", created.Output.Trim());
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"error: error validating \"{bad}\": error validating data: [ValidationError(ConfigMap): unknown field \"foo\" in io.k8s.api.core.v1.ConfigMap, ValidationError(Deployment.spec.template.spec.containers[0]): unknown field \"bar\" in io.k8s.api.core.v1.Container]; if you choose to ignore these errors, turn validation off with --validate=false",
            refused.Error.Trim());
        Assert.Null(fixture.Emulator.Store.Get(CoreKinds.ConfigMaps, "default", "bad-listed"));
    }

    [KubectlFact]
    public async Task ValidateWarnCreatesAndWarnsValidateFalseIgnores()
    {
        var warned = await ManifestAsync("warned.yaml", Deployment("warned", 1, "  foo: bar\n"));
        var ignored = await ManifestAsync("ignored.yaml", Deployment("ignored", 1, "  foo: bar\n"));

        var warn = await Kubectl.RunAsync(Kubeconfig, "create", "-f", warned, "--validate=warn");
        var ignore = await Kubectl.RunAsync(Kubeconfig, "create", "-f", ignored, "--validate=false");

        Assert.Equal((0, "deployment.apps/warned created", "Warning: unknown field \"spec.foo\""), (warn.ExitCode, warn.Output.Trim(), warn.Error.Trim()));
        Assert.Equal((0, "deployment.apps/ignored created", ""), (ignore.ExitCode, ignore.Output.Trim(), ignore.Error.Trim()));
        Assert.Null(fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "warned")!["spec"]!["foo"]);
    }

    [KubectlFact]
    public async Task ExplainPrintsFieldsFromTheServedSchema()
    {
        var replicas = await Kubectl.RunAsync(Kubeconfig, "explain", "deployment.spec.replicas");
        var containers = await Kubectl.RunAsync(Kubeconfig, "explain", "pods.spec.containers");

        Assert.True(replicas.ExitCode == 0, replicas.Error);
        Assert.Equal(
            ["GROUP:      apps", "KIND:       Deployment", "VERSION:    v1", "", "FIELD: replicas <integer>", "", "", "DESCRIPTION:",
             "    Number of desired pods. This is a pointer to distinguish between explicit", "    zero and not specified. Defaults to 1."],
            replicas.Output.TrimEnd().Split('\n').Select(l => l.TrimEnd()));
        Assert.True(containers.ExitCode == 0, containers.Error);
        Assert.Contains("FIELD: containers <[]Container>", containers.Output);
        Assert.Contains("  name\t<string> -required-", containers.Output);
        Assert.Contains("  volumeMounts\t<[]VolumeMount>", containers.Output);
    }

    [KubectlFact]
    public async Task KindsOtherModulesServeAreExplainedAndValidatedToo()
    {
        const string job = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {0}
            spec:
              {1}: 2
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: pi
                    image: perl:5.34
            """;
        var good = await ManifestAsync("job.yaml", string.Format(job, "explained-job", "backoffLimit"));
        var misspelt = await ManifestAsync("misspelt-job.yaml", string.Format(job, "misspelt-job", "backofLimit"));

        var template = await Kubectl.RunAsync(Kubeconfig, "explain", "job.spec.template");
        var lease = await Kubectl.RunAsync(Kubeconfig, "explain", "lease.spec");
        var created = await Kubectl.RunAsync(Kubeconfig, "create", "-f", good);
        var refused = await Kubectl.RunAsync(Kubeconfig, "create", "-f", misspelt);

        Assert.True(template.ExitCode == 0, template.Error);
        Assert.Equal(["GROUP:      batch", "KIND:       Job", "VERSION:    v1", "", "FIELD: template <PodTemplateSpec>"], template.Output.Split('\n').Take(5).Select(l => l.TrimEnd()));
        Assert.True(lease.ExitCode == 0, lease.Error);
        Assert.Contains("  renewTime\t<string>", lease.Output);
        Assert.Equal((0, "job.batch/explained-job created"), (created.ExitCode, created.Output.Trim()));
        Assert.Equal(2, fixture.Emulator.Store.Get(GeneratedObjectKindsModule.Jobs, "default", "explained-job")!.LongAt("spec", "backoffLimit"));
        Assert.Equal($"Error from server (BadRequest): error when creating \"{misspelt}\": Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.backofLimit\"",
            refused.Error.Trim());
        Assert.Null(fixture.Emulator.Store.Get(GeneratedObjectKindsModule.Jobs, "default", "misspelt-job"));
    }
}
