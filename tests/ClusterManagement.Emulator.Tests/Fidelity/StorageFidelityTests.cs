using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>The real kubectl on storage objects: what it prints and how it fails is what a 1.32 cluster gives.</summary>
public sealed class StorageFidelityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private string Kubeconfig => fixture.Emulator.KubeconfigPath;

    private async Task<string> CreateClaimAsync(string name, string size)
    {
        var file = Path.Combine(fixture.Emulator.StateDirectory, $"{name}.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: {name}
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: {size}
            """);
        var result = await Kubectl.RunAsync(Kubeconfig, "create", "-f", file);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"persistentvolumeclaim/{name} created", result.Output.Trim());
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(StorageKinds.PersistentVolumeClaims, "default", name)?.StringAt("status", "phase") == "Bound", $"{name} bound");
        return fixture.Emulator.Store.Get(StorageKinds.PersistentVolumeClaims, "default", name)!.StringAt("spec", "volumeName")!;
    }

    [KubectlFact]
    public async Task GetScPvcPvPrintsTheServerColumns()
    {
        var volume = await CreateClaimAsync("listed", "1024Mi");

        var result = await Kubectl.RunAsync(Kubeconfig, "get", "sc,pvc,pv");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n');
        Assert.Matches(@"^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$", lines[0].TrimEnd());
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^storageclass\.storage\.k8s\.io/standard \(default\)\s+hostpath\.csi\.k8s\.io\s+Delete\s+Immediate\s+true\s+45d"));
        Assert.Contains(lines, l => l.TrimEnd() is var t && t.StartsWith("NAME") && t.Contains("STATUS   VOLUME") && t.Contains("ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^persistentvolumeclaim/listed\s+Bound\s+{volume}\s+1Gi\s+RWO\s+standard\s+<unset>\s+\d+s"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^persistentvolume/{volume}\s+1Gi\s+RWO\s+Delete\s+Bound\s+default/listed\s+standard\s+<unset>\s+\d+s"));
    }

    [KubectlFact]
    public async Task PatchResizesAndDeleteReclaims()
    {
        var volume = await CreateClaimAsync("patched", "1Gi");

        var grow = await Kubectl.RunAsync(Kubeconfig, "patch", "pvc", "patched", "-p", """{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""");
        var shrink = await Kubectl.RunAsync(Kubeconfig, "patch", "pvc", "patched", "-p", """{"spec":{"resources":{"requests":{"storage":"500Mi"}}}}""");
        var delete = await Kubectl.RunAsync(Kubeconfig, "delete", "pvc", "patched");

        Assert.Equal("persistentvolumeclaim/patched patched", grow.Output.Trim());
        Assert.Equal(1, shrink.ExitCode);
        Assert.Equal("The PersistentVolumeClaim \"patched\" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity", shrink.Error.Trim());
        Assert.Equal("persistentvolumeclaim \"patched\" deleted", delete.Output.Trim());
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(StorageKinds.PersistentVolumes, null, volume) is null, "volume deleted by its Delete policy");
    }
}
