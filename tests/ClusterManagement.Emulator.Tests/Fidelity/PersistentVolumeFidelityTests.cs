using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>
/// What an administrator sees of a statically created volume with kubectl: Available once created, and
/// `kubectl delete pv` (which waits until the object is gone) returning because the pv-protection
/// finalizer comes off an unbound volume.
/// </summary>
public sealed class PersistentVolumeFidelityTests
{
    [KubectlFact]
    public async Task AStaticVolumeIsAvailableAndKubectlDeleteReturnsOnceItIsGone()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var file = Path.Combine(Path.GetTempPath(), $"pv-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"archive"},
             "spec":{"capacity":{"storage":"5Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/srv/archive"}}}
            """);
        try
        {
            var created = await Kubectl.RunAsync(emulator.KubeconfigPath, "create", "-f", file, "--validate=false");
            Assert.True(created.ExitCode == 0, created.Error);
            var waited = await Kubectl.RunAsync(emulator.KubeconfigPath, "wait", "--for=jsonpath={.status.phase}=Available", "pv/archive", "--timeout=10s");
            var listed = await Kubectl.RunAsync(emulator.KubeconfigPath, "get", "pv", "archive", "--no-headers");

            var deleted = await Kubectl.RunAsync(emulator.KubeconfigPath, "delete", "pv", "archive", "--timeout=10s");

            Assert.True(waited.ExitCode == 0, waited.Error);
            Assert.Matches(@"^archive\s+5Gi\s+RWO\s+Retain\s+Available\s+<unset>\s+\S+\s*$", listed.Output.Trim());
            Assert.True(deleted.ExitCode == 0, deleted.Error);
            Assert.Equal("persistentvolume \"archive\" deleted", deleted.Output.Trim());
            Assert.Null(emulator.Store.Get(StorageKinds.PersistentVolumes, null, "archive"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
