using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Seeding;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// With <see cref="EmulatorOptions.SampleApp"/>, one small sample app, Deployment "web" in "default"
/// (2 replicas of nginx:1.27), which the sandbox and the docs examples use; and, for benchmarks, <see cref="EmulatorOptions.SampleApps"/> one-replica
/// Deployments spread over namespaces bench-01.. (100 per namespace). The controller creates their
/// ReplicaSets and pods once it starts.
/// </summary>
public sealed class AppsSeeder : IEmulatorSeeder
{
    private const int AppsPerNamespace = 100;

    public void Seed(EmulatorContext context)
    {
        var now = context.Time.GetUtcNow();
        if (context.Options.SampleApp)
        {
            context.Store.Create(AppsKinds.Deployments, Deployment("web", "default", "nginx:1.27", 2, now - TimeSpan.FromDays(3)));
        }
        for (var i = 0; i < context.Options.SampleApps; i++)
        {
            var ns = $"bench-{i / AppsPerNamespace + 1:00}";
            if (i % AppsPerNamespace == 0 && context.Store.Find(CoreKinds.Namespaces, null, ns) is null)
            {
                context.Store.Create(CoreKinds.Namespaces, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } },
                    ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
                    ["status"] = new JsonObject { ["phase"] = "Active" },
                });
            }
            context.Store.Create(AppsKinds.Deployments, Deployment($"app-{i + 1:0000}", ns, $"registry.example/app-{i % 7}:1.{i % 5}", 1, now - TimeSpan.FromHours(i % 48 + 1)));
        }
    }

    public static JsonObject Deployment(string name, string ns, string image, int replicas, DateTimeOffset created)
    {
        var deployment = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["creationTimestamp"] = Timestamps.Format(created),
                ["labels"] = new JsonObject { ["app"] = name },
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = name,
                            ["image"] = image,
                            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80, ["protocol"] = "TCP" }),
                        }),
                    },
                },
            },
        };
        AppsAdmission.Default(deployment, deployment: true);
        return deployment;
    }
}
