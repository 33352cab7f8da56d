namespace ClusterManagement.Emulator.Storage;

/// <summary>Storage classes, CSI drivers, volumes and claims, with provisioning, binding, expansion and reclaim.</summary>
public sealed class StorageModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder)
    {
        foreach (var kind in StorageKinds.All)
        {
            builder.AddKind(kind);
        }
        builder.AddAdmission(new StorageAdmission())
            .AddController(new CsiProvisionerController())
            .AddSeeder(new StorageSeeder());
    }
}
