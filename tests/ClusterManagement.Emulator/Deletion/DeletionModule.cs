namespace ClusterManagement.Emulator.Deletion;

/// <summary>
/// Deletion as kube-controller-manager and the NamespaceLifecycle plugin make it: the admission here;
/// the <see cref="GarbageCollector"/> needs the API's deleter, so the emulator starts it itself.
/// </summary>
public sealed class DeletionModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder) => builder.AddAdmission(new NamespaceLifecycleAdmission());
}
