using ClusterManagement.Apps;
using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Engine.Apps;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Tests.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Tests.Diagnostics;

/// <summary>The rollout wait reads its diagnosis from the cluster when it runs out, and a failed read hides nothing.</summary>
public sealed class RolloutDiagnoserTests
{
    private static async Task<ClusterConnection> WithBrokenApp(KubeEmulator emulator)
    {
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        await connection.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                // The emulated registry has no image whose tag contains ":broken".
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "web:broken" }] },
                },
            },
        }, "default");
        return connection;
    }

    [Fact]
    public async Task AWaitThatRunsOutCarriesWhyTheNewPodsAreNotReady()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = await WithBrokenApp(emulator);
        var apps = new AppService(connection);
        var log = new RecordingLog();

        // Bounded retries of short waits: the kubelet reports the pull failure a moment after binding.
        AppRollout rollout = null!;
        for (var attempt = 0; attempt < 20 && rollout?.Diagnosis?.Cause != DiagnosisCause.ImagePullFailed; attempt++)
        {
            rollout = await apps.WaitAsync("default", "web", null, TimeSpan.FromSeconds(1), _ => { }, log, CancellationToken.None);
        }

        Assert.Equal(AppRolloutStatus.Progressing, rollout.Status);
        var diagnosis = rollout.Diagnosis!;
        Assert.Equal(DiagnosisCause.ImagePullFailed, diagnosis.Cause);
        Assert.StartsWith("image \"web:broken\" cannot be pulled (", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Equal("Pod", Assert.Single(diagnosis.Affected).Kind);
        Assert.Contains(diagnosis.Evidence, e => e.Source == "ContainerState" && e.Reason is "ErrImagePull" or "ImagePullBackOff");
        var failure = RolloutFailure.Of(rollout)!;
        Assert.Equal(("AppRolloutTimeout", DiagnosisCause.ImagePullFailed), (failure.ErrorId, failure.Diagnosis?.Cause));
    }

    [Fact]
    public async Task ADiagnosisThatCannotBeReadLeavesTheRolloutsOwnFailureAsItWas()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = await WithBrokenApp(emulator);
        var refused = emulator.Faults.Add(new FaultRule { Method = "GET", Path = "/api/v1/namespaces/default/pods", StatusCode = 403, Message = "pods is forbidden: diagnosis test" });
        var log = new RecordingLog();

        var rollout = await new AppService(connection).WaitAsync("default", "web", null, TimeSpan.FromSeconds(1), _ => { }, log, CancellationToken.None);

        Assert.True(emulator.Faults.Find(refused)!.Value.Hits > 0);
        Assert.Equal(AppRolloutStatus.Progressing, rollout.Status);
        Assert.Equal(DiagnosisCause.Unknown, rollout.Diagnosis!.Cause);
        Assert.StartsWith("the cause could not be read from the cluster: ", rollout.Diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains(log.Messages, m => m.StartsWith("Could not read why the rollout of app default/web did not complete: ", StringComparison.Ordinal) && m.Contains("diagnosis test", StringComparison.Ordinal));
        var failure = RolloutFailure.Of(rollout)!;
        Assert.Equal("AppRolloutTimeout", failure.ErrorId);
        Assert.StartsWith("Waiting for deployment \"web\" rollout to finish", failure.Message, StringComparison.Ordinal);
    }
}
