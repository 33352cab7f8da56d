using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>kubectl's rollout, scale and set image against the emulated deployment controller, as documented.</summary>
public sealed class DeploymentFidelityTests
{
    private static async Task<KubeEmulator> StartAsync() =>
        await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 3, PodReadySeconds = 0.2, SampleApp = true });

    [KubectlFact]
    public async Task SetImageHistoryUndoAndStatusBehaveAsDocumented()
    {
        await using var emulator = await StartAsync();
        var kubeconfig = emulator.KubeconfigPath;
        Assert.Equal("deployment \"web\" successfully rolled out", (await Kubectl.RunAsync(kubeconfig, "rollout", "status", "deploy/web", "--timeout=30s")).Output.Trim().Split('\n')[^1]);

        var setImage = await Kubectl.RunAsync(kubeconfig, "set", "image", "deploy/web", "web=nginx:1.28");
        Assert.Equal("deployment.apps/web image updated", setImage.Output.Trim());
        var request = emulator.Requests.Since(0).Last(r => r.Method == "PATCH");
        Assert.Contains("fieldManager=kubectl-set", request.Path);
        Assert.Equal("{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"web\"}],\"containers\":[{\"image\":\"nginx:1.28\",\"name\":\"web\"}]}}}}", request.Body);
        Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "rollout", "status", "deploy/web", "--timeout=30s")).ExitCode);

        var unknown = await Kubectl.RunAsync(kubeconfig, "set", "image", "deploy/web", "nope=nginx:1");
        Assert.Equal("error: unable to find container named \"nope\"", unknown.Error.Trim());

        var history = await Kubectl.RunAsync(kubeconfig, "rollout", "history", "deploy/web");
        Assert.Equal(["deployment.apps/web", "REVISION  CHANGE-CAUSE", "1         <none>", "2         <none>"], history.Output.Trim().Split('\n').Select(l => l.TrimEnd()));

        var undo = await Kubectl.RunAsync(kubeconfig, "rollout", "undo", "deploy/web");
        Assert.Equal("deployment.apps/web rolled back", undo.Output.Trim());
        Assert.StartsWith("application/json-patch+json", emulator.Requests.Since(0).Last(r => r.Method == "PATCH").ContentType);
        Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "rollout", "status", "deploy/web", "--timeout=30s")).ExitCode);
        var after = await Kubectl.RunAsync(kubeconfig, "rollout", "history", "deploy/web");
        Assert.Equal(["2         <none>", "3         <none>"], after.Output.Trim().Split('\n').Skip(2).Select(l => l.TrimEnd()));

        var skipped = await Kubectl.RunAsync(kubeconfig, "rollout", "undo", "deploy/web", "--to-revision=3");
        Assert.Equal("deployment.apps/web skipped rollback (current template already matches revision 3)", skipped.Output.Trim());
    }

    [KubectlFact]
    public async Task ScaleUsesTheScaleSubresourceAndChecksCurrentReplicas()
    {
        await using var emulator = await StartAsync();
        var kubeconfig = emulator.KubeconfigPath;
        Assert.Equal("deployment.apps/web scaled", (await Kubectl.RunAsync(kubeconfig, "scale", "deploy/web", "--replicas=3")).Output.Trim());
        Assert.EndsWith("/deployments/web/scale", emulator.Requests.Since(0).Last(r => r.Method == "PATCH").Path.Split('?')[0]);
        var mismatch = await Kubectl.RunAsync(kubeconfig, "scale", "deploy/web", "--current-replicas=2", "--replicas=5");
        Assert.Equal("error: Expected replicas to be 2, was 3", mismatch.Error.Trim());
        Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "scale", "deploy/web", "--current-replicas=3", "--replicas=1")).ExitCode);
        var wide = await Kubectl.RunAsync(kubeconfig, "get", "deploy", "web", "-o", "wide");
        Assert.Matches(@"^web\s+\d/1\s+\d\s+\d\s+3d\s+web\s+nginx:1\.27\s+app=web$", wide.Output.Trim().Split('\n')[1].TrimEnd());
    }

    [KubectlFact]
    public async Task StatusReportsAnExceededProgressDeadline()
    {
        await using var emulator = await StartAsync();
        var kubeconfig = emulator.KubeconfigPath;
        Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "patch", "deploy", "web", "-p", "{\"spec\":{\"progressDeadlineSeconds\":1}}")).ExitCode);
        Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "set", "image", "deploy/web", "web=nginx:broken")).ExitCode);
        var status = await Kubectl.RunAsync(kubeconfig, "rollout", "status", "deploy/web", "--timeout=25s");
        Assert.Equal(1, status.ExitCode);
        Assert.Equal("error: deployment \"web\" exceeded its progress deadline", status.Error.Trim());
    }
}
