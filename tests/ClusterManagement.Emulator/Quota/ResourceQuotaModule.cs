using ClusterManagement.Emulator.Kinds;

namespace ClusterManagement.Emulator.Quota;

/// <summary>
/// ResourceQuotas enforced and counted: the quota admission plugin (last in the chain, as the real
/// server runs it after every mutating and validating plugin) and the resourcequota controller.
/// </summary>
public sealed class ResourceQuotaModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder) => builder
        .AddAdmission(new ResourceQuotaAdmission(GeneratedObjectKindsModule.ResourceQuotas))
        .AddController(new ResourceQuotaController(GeneratedObjectKindsModule.ResourceQuotas));
}
