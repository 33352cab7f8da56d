using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Engine.Kubernetes;
using k8s;

namespace ClusterManagement.Tests.Kubernetes;

/// <summary>A certificate that fails verification is reported with kubectl's reason, once, and never retried.</summary>
public sealed class ServerCertificateTests
{
    [Theory]
    [InlineData(ServingCertificate.OtherAuthority, "x509: certificate signed by unknown authority")]
    [InlineData(ServingCertificate.OtherAddress, "x509: certificate is valid for 127.0.0.2, not 127.0.0.1")]
    [InlineData(ServingCertificate.Expired, "x509: certificate has expired or is not yet valid: current time ")]
    public async Task EachVerificationFailureIsReportedWithItsReasonAndNotRetried(ServingCertificate certificate, string reason)
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, ServingCertificate = certificate });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        var log = new RecordingLog();
        using var listener = ApiRequestLog.Attach(log);

        var error = await Assert.ThrowsAsync<ClusterException>(() =>
            KubeApi.Call(ct => connection.Client.CoreV1.ListNodeAsync(cancellationToken: ct), new ResourceRef("Node", null), CancellationToken.None));

        Assert.Equal(ClusterErrorKind.CertificateInvalid, error.Kind);
        Assert.Equal("ServerCertificateInvalid", error.ErrorId);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(emulator.Url, error.Message, StringComparison.Ordinal);
        // The handshake happened (the fault fired) exactly once, and no request got through.
        Assert.Equal(1, emulator.Connections);
        Assert.Empty(emulator.Requests.All);
        Assert.DoesNotContain(log.Messages, m => m.Contains("Retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheEmulatorsOwnCertificatePasses()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });

        var nodes = await KubeApi.Call(ct => connection.Client.CoreV1.ListNodeAsync(cancellationToken: ct), new ResourceRef("Node", null), CancellationToken.None);

        Assert.Contains(nodes.Items, n => n.Metadata.Name == "worker-1");
        Assert.Equal(1, emulator.Connections);
    }
}
