using ClusterManagement.Emulator.Controllers;

namespace ClusterManagement.Emulator.Seeding;

/// <summary>Writes initial objects into the store before the server accepts requests, in module order.</summary>
public interface IEmulatorSeeder
{
    void Seed(EmulatorContext context);
}
