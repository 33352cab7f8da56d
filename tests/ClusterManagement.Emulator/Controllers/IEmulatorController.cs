namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// A background loop that watches the store and writes to it, as a kube-controller-manager loop or
/// a kubelet would. Runs from start until the emulator stops; exceptions other than cancellation
/// are logged and the controller is restarted after a second.
/// </summary>
public interface IEmulatorController
{
    string Name { get; }

    Task RunAsync(EmulatorContext context, CancellationToken cancellationToken);
}
