using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>
/// kubectl's server-side apply against the emulator, with what the Kubernetes documentation
/// ("Server-Side Apply": conflicts, managers, --force-conflicts) says a user sees: a second apply
/// changes nothing, a field another manager set conflicts naming that manager, --force-conflicts
/// takes it, and managedFields show only with --show-managed-fields.
/// </summary>
public sealed class ServerSideApplyFidelityTests
{
    private const string Manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ssa
          namespace: default
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: ssa
          template:
            metadata:
              labels:
                app: ssa
            spec:
              containers:
              - name: web
                image: nginx:1.27
        """;

    [KubectlFact]
    public async Task ApplyTwiceThenConflictsAfterScaleAndSetImageUntilForced()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, PodReadySeconds = 0.2 });
        var kubeconfig = emulator.KubeconfigPath;
        var file = Path.Combine(Directory.CreateTempSubdirectory("ssa-").FullName, "ssa.yaml");
        await File.WriteAllTextAsync(file, Manifest);
        string[] apply = ["apply", "--server-side", "--validate=false", "-f", file];
        try
        {
            var first = await Kubectl.RunAsync(kubeconfig, apply);
            Assert.Equal("deployment.apps/ssa serverside-applied", first.Output.Trim());
            var owner = (await Kubectl.RunAsync(kubeconfig, "get", "deploy", "ssa", "-o", "jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}")).Output.Trim();
            Assert.Equal("kubectl Apply", owner);
            Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, apply)).ExitCode);

            // kubectl scale sends no fieldManager: the server names the manager after the User-Agent ("kubectl/v1.32...").
            Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "scale", "deploy/ssa", "--replicas=5")).ExitCode);
            var conflict = await Kubectl.RunAsync(kubeconfig, apply);
            Assert.Equal(1, conflict.ExitCode);
            var lines = conflict.Error.Trim().Split('\n');
            Assert.Equal("error: Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", lines[0]);
            // kubectl adds its advice only to a 409 it recognises as an apply conflict.
            Assert.Equal("Please review the fields above--they currently have other managers. Here", lines[1]);

            Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "set", "image", "deploy/ssa", "web=nginx:1.28")).ExitCode);
            var two = await Kubectl.RunAsync(kubeconfig, apply);
            Assert.Equal(1, two.ExitCode);
            Assert.Equal(
                ["error: Apply failed with 2 conflicts: conflicts with \"kubectl\" with subresource \"scale\" using apps/v1:", "- .spec.replicas",
                 "conflicts with \"kubectl-set\" using apps/v1:", "- .spec.template.spec.containers[name=\"web\"].image"],
                two.Error.Trim().Split('\n').Take(4));

            var forced = await Kubectl.RunAsync(kubeconfig, [.. apply, "--force-conflicts"]);
            Assert.Equal("deployment.apps/ssa serverside-applied", forced.Output.Trim());
            var after = await Kubectl.RunAsync(kubeconfig, "get", "deploy", "ssa", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}");
            Assert.Equal("2 nginx:1.27", after.Output.Trim());

            var hidden = await Kubectl.RunAsync(kubeconfig, "get", "deploy", "ssa", "-o", "yaml");
            Assert.DoesNotContain("managedFields", hidden.Output);
            var shown = (await Kubectl.RunAsync(kubeconfig, "get", "deploy", "ssa", "-o", "yaml", "--show-managed-fields")).Output;
            Assert.Contains("  managedFields:\n  - apiVersion: apps/v1\n    fieldsType: FieldsV1\n    fieldsV1:\n", shown);
            Assert.Contains("            f:containers:\n              k:{\"name\":\"web\"}:\n                .: {}\n                f:image: {}\n                f:name: {}\n", shown);
            Assert.Contains("    manager: kubectl\n    operation: Apply\n", shown);
            // The managers whose fields were taken by force keep nothing of them, so their entries are gone.
            Assert.DoesNotContain("subresource: scale", shown);
            Assert.DoesNotContain("manager: kubectl-set", shown);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
