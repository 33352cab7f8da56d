namespace ClusterManagement.Emulator.Apps;

/// <summary>apps/v1: Deployments and ReplicaSets, their scale subresource, and the controllers behind them.</summary>
public sealed class AppsModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder)
    {
        foreach (var kind in AppsKinds.All)
        {
            builder.AddKind(kind);
            builder.SetSubresourceHandler(kind, "scale", new ScaleHandler(kind));
        }
        builder.AddAdmission(new AppsAdmission())
            .AddController(new DeploymentController())
            .AddSeeder(new AppsSeeder())
            .AddSeeder(new CoreDnsSeeder());
    }
}
