using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Seeding;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator;

/// <summary>Collects what the modules register before the server starts.</summary>
public sealed class EmulatorBuilder
{
    private readonly List<IAdmissionPlugin> _admission = [];
    private readonly List<IEmulatorController> _controllers = [];
    private readonly List<IEmulatorSeeder> _seeders = [];

    public ResourceRegistry Registry { get; } = new();

    public EmulatorBuilder AddKind(ResourceKind kind)
    {
        Registry.Add(kind);
        return this;
    }

    public EmulatorBuilder AddAdmission(IAdmissionPlugin plugin)
    {
        _admission.Add(plugin);
        return this;
    }

    public EmulatorBuilder SetSubresourceHandler(ResourceKind kind, string subresource, ISubresourceHandler handler)
    {
        Registry.SetSubresourceHandler(kind, subresource, handler);
        return this;
    }

    public EmulatorBuilder SetVersionView(ResourceKind kind, IVersionView view)
    {
        Registry.SetVersionView(kind, view);
        return this;
    }

    public EmulatorBuilder AddController(IEmulatorController controller)
    {
        _controllers.Add(controller);
        return this;
    }

    public EmulatorBuilder AddSeeder(IEmulatorSeeder seeder)
    {
        _seeders.Add(seeder);
        return this;
    }

    internal IReadOnlyList<IAdmissionPlugin> Admission => _admission;
    internal IReadOnlyList<IEmulatorController> Controllers => _controllers;
    internal IReadOnlyList<IEmulatorSeeder> Seeders => _seeders;
}
