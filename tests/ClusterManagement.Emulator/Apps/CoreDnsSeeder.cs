using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Seeding;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// kubeadm's CoreDNS Deployment and the ReplicaSet that owns the seeded coredns pods: the garbage
/// collector deletes pods whose owner does not exist, as the real one does, so the seeded pods need
/// theirs. The deployment controller adopts the ReplicaSet (same template) and keeps it as it is.
/// </summary>
public sealed class CoreDnsSeeder : IEmulatorSeeder
{
    public const string Hash = "668d6bf9bc";
    private const string DeploymentUid = "c4d0e2a7-5f18-4b39-8e6a-2a71d9c3f05e";

    public void Seed(EmulatorContext context)
    {
        var replicas = Math.Min(2, context.Options.Workers);
        if (!context.Options.SeedPods || replicas == 0)
        {
            return;
        }
        var created = context.Time.GetUtcNow() - ClusterSeeder.ClusterAge;
        var deployment = AppsSeeder.Deployment("coredns", "kube-system", "registry.k8s.io/coredns/coredns:v1.11.3", replicas, created);
        var meta = deployment.ObjectAt("metadata");
        meta["uid"] = DeploymentUid;
        meta["labels"] = new JsonObject { ["k8s-app"] = "kube-dns" };
        meta["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = "1" };
        deployment.ObjectAt("spec")["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = "kube-dns" } };
        var template = deployment.ObjectAt("spec").ObjectAt("template");
        template.ObjectAt("metadata")["labels"] = new JsonObject { ["k8s-app"] = "kube-dns" };
        var pod = template.ObjectAt("spec");
        pod["priorityClassName"] = "system-cluster-critical";
        pod["tolerations"] = new JsonArray(
            new JsonObject { ["key"] = "CriticalAddonsOnly", ["operator"] = "Exists" },
            new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" });
        context.Store.Create(AppsKinds.Deployments, deployment);

        var rsTemplate = template.DeepClone().AsObject();
        rsTemplate.ObjectAt("metadata").ObjectAt("labels")[PodTemplateHash.Label] = Hash;
        context.Store.Create(AppsKinds.ReplicaSets, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"coredns-{Hash}",
                ["namespace"] = "kube-system",
                ["uid"] = ClusterSeeder.CoreDnsReplicaSetUid,
                ["creationTimestamp"] = Timestamps.Format(created),
                ["labels"] = rsTemplate.At("metadata", "labels")!.DeepClone(),
                ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = "1", ["deployment.kubernetes.io/desired-replicas"] = $"{replicas}", ["deployment.kubernetes.io/max-replicas"] = $"{replicas + 1}" },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "coredns", ["uid"] = DeploymentUid,
                    ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = "kube-dns", [PodTemplateHash.Label] = Hash } },
                ["template"] = rsTemplate,
            },
        });
    }
}
