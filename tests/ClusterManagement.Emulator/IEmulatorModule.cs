namespace ClusterManagement.Emulator;

/// <summary>
/// A unit of emulated cluster behaviour (core/v1, apps, storage...). Modules register everything
/// through the builder; see README.md "Extension points".
/// </summary>
public interface IEmulatorModule
{
    void Register(EmulatorBuilder builder);
}
