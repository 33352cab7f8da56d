using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Seeding;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Network;

/// <summary>
/// networking.k8s.io/v1 ServiceCIDR (GA in Kubernetes 1.33): how a current API server reveals its
/// service range. Seeded with kubeadm's default, the range the kubernetes Service's 10.96.0.1 is in.
/// </summary>
public sealed class NetworkModule : IEmulatorModule
{
    public static readonly ResourceKind ServiceCidrs = new()
    {
        Group = "networking.k8s.io", Version = "v1", Plural = "servicecidrs", Singular = "servicecidr", Kind = "ServiceCIDR",
        Namespaced = false,
        Subresources = [Subresource.Status("ServiceCIDR")],
    };

    public void Register(EmulatorBuilder builder) =>
        builder.AddKind(ServiceCidrs).AddSeeder(new ServiceCidrSeeder());

    private sealed class ServiceCidrSeeder : IEmulatorSeeder
    {
        public void Seed(EmulatorContext context) => context.Store.Create(ServiceCidrs, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["creationTimestamp"] = Timestamps.Format(context.Time.GetUtcNow() - TimeSpan.FromDays(45)),
            },
            ["spec"] = new JsonObject { ["cidrs"] = new JsonArray("10.96.0.0/12") },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "", ["message"] = "" }),
            },
        });
    }
}
