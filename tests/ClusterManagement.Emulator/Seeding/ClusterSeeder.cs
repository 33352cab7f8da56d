using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Seeding;

/// <summary>
/// The sandbox cluster: kubeadm's namespaces and kubernetes Service, control-plane nodes cp-1..N
/// and workers worker-1..N of varied age, and the system pods a kubeadm cluster runs on them.
/// Pod names come from a fixed seed, so they are the same in every run.
/// </summary>
public sealed class ClusterSeeder : IEmulatorSeeder
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    public static readonly TimeSpan ClusterAge = TimeSpan.FromDays(45);
    public const string KubeProxyDaemonSetUid = "6f1c2a8e-2d7b-4c1e-9a51-0d3b7f2e8c41";
    public const string CoreDnsReplicaSetUid = "3b9e0f4d-8a27-4e63-b1c5-7d2f6a9e0b18";

    private readonly HashSet<string> _suffixes = [];

    public void Seed(EmulatorContext context)
    {
        var store = context.Store;
        var now = context.Time.GetUtcNow();
        var born = now - ClusterAge;
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease", "team-a" })
        {
            store.Create(CoreKinds.Namespaces, Namespace(ns, ns == "team-a" ? now - TimeSpan.FromDays(12) : born));
        }
        store.Create(CoreKinds.Services, KubernetesService(born));

        var random = new Random(42);
        var options = context.Options;
        var workers = Math.Max(0, options.Workers);
        var index = 0;
        for (var i = 1; i <= options.ControlPlanes; i++, index++)
        {
            var name = $"cp-{i}";
            var node = store.Create(CoreKinds.Nodes, NodeFactory.Create(name, index, controlPlane: true, born + TimeSpan.FromMinutes(i - 1), now, options.KubernetesVersion));
            if (options.SeedPods)
            {
                SeedControlPlanePods(store, node, born, random, options.KubernetesVersion);
            }
        }
        for (var i = 1; i <= workers; i++, index++)
        {
            // Workers joined over the cluster's life, the first ones oldest, so AGE varies down the list.
            var joined = born + TimeSpan.FromMinutes(30) + (ClusterAge - TimeSpan.FromHours(2)) * (i - 1) / Math.Max(1, workers);
            var node = store.Create(CoreKinds.Nodes, NodeFactory.Create($"worker-{i}", index, controlPlane: false, joined, now, options.KubernetesVersion));
            if (options.SeedPods)
            {
                store.Create(CoreKinds.Pods, KubeProxy(node, random, options.KubernetesVersion));
                if (i <= 2)
                {
                    store.Create(CoreKinds.Pods, CoreDns(node, random, i));
                }
            }
        }
    }

    private void SeedControlPlanePods(ObjectStore store, JsonObject node, DateTimeOffset born, Random random, string version)
    {
        store.Create(CoreKinds.Pods, KubeProxy(node, random, version));
        foreach (var (component, image) in new[]
        {
            ("etcd", "registry.k8s.io/etcd:3.5.16-0"),
            ("kube-apiserver", $"registry.k8s.io/kube-apiserver:{version}"),
            ("kube-controller-manager", $"registry.k8s.io/kube-controller-manager:{version}"),
            ("kube-scheduler", $"registry.k8s.io/kube-scheduler:{version}"),
        })
        {
            var pod = Pod($"{component}-{node.Name()}", node, image, component, HostIp(node), born);
            var meta = pod.Metadata();
            meta.ObjectAt("labels")["tier"] = "control-plane";
            // Static pods are mirrored by the kubelet: annotated, and owned by their Node.
            meta["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = Convert.ToHexStringLower(random.GetItems<byte>([.. Enumerable.Range(0, 256).Select(b => (byte)b)], 16)), ["kubernetes.io/config.source"] = "file" };
            meta["ownerReferences"] = new JsonArray(Owner("v1", "Node", node.Name(), node.StringAt("metadata", "uid")!));
            store.Create(CoreKinds.Pods, pod);
        }
    }

    private JsonObject KubeProxy(JsonObject node, Random random, string version)
    {
        var pod = Pod($"kube-proxy-{Suffix(random, 5)}", node, $"registry.k8s.io/kube-proxy:{version}", "kube-proxy", HostIp(node),
            Timestamps.Parse(node.StringAt("metadata", "creationTimestamp"))!.Value.AddSeconds(20));
        var meta = pod.Metadata();
        meta.ObjectAt("labels")["controller-revision-hash"] = "7bb84b4b4d";
        meta.ObjectAt("labels")["pod-template-generation"] = "1";
        meta["ownerReferences"] = new JsonArray(Owner("apps/v1", "DaemonSet", "kube-proxy", KubeProxyDaemonSetUid));
        pod.ObjectAt("spec")["hostNetwork"] = true;
        return pod;
    }

    private JsonObject CoreDns(JsonObject node, Random random, int ordinal)
    {
        var podIp = NodeFactory.PodCidr(ordinal)[..^4] + "2";
        var pod = Pod($"coredns-{Apps.CoreDnsSeeder.Hash}-{Suffix(random, 5)}", node, "registry.k8s.io/coredns/coredns:v1.11.3", "kube-dns", podIp,
            Timestamps.Parse(node.StringAt("metadata", "creationTimestamp"))!.Value.AddMinutes(1));
        var meta = pod.Metadata();
        meta.ObjectAt("labels")["pod-template-hash"] = Apps.CoreDnsSeeder.Hash;
        meta["ownerReferences"] = new JsonArray(Owner("apps/v1", "ReplicaSet", $"coredns-{Apps.CoreDnsSeeder.Hash}", CoreDnsReplicaSetUid));
        return pod;
    }

    private static JsonObject Pod(string name, JsonObject node, string image, string app, string podIp, DateTimeOffset created)
    {
        var container = image.Split('/')[^1].Split(':')[0];
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "kube-system",
                ["creationTimestamp"] = Timestamps.Format(created),
                ["labels"] = new JsonObject { [app is "kube-dns" or "kube-proxy" ? "k8s-app" : "component"] = app },
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node.Name(),
                ["priorityClassName"] = "system-node-critical",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = image }),
                ["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" }),
                ["terminationGracePeriodSeconds"] = 30,
            },
        };
        PodConditions.MarkRunning(pod, HostIp(node), podIp, created.AddSeconds(5));
        return pod;
    }

    private static JsonObject Namespace(string name, DateTimeOffset created) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["creationTimestamp"] = Timestamps.Format(created),
            ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name },
        },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    private static JsonObject KubernetesService(DateTimeOffset created) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = "kubernetes",
            ["namespace"] = "default",
            ["creationTimestamp"] = Timestamps.Format(created),
            ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
        },
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = "10.96.0.1",
            ["clusterIPs"] = new JsonArray("10.96.0.1"),
            ["ipFamilies"] = new JsonArray("IPv4"),
            ["ipFamilyPolicy"] = "SingleStack",
            ["sessionAffinity"] = "None",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
        },
        ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() },
    };

    private static JsonObject Owner(string apiVersion, string kind, string name, string uid) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = name,
        ["uid"] = uid,
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static string HostIp(JsonObject node) =>
        node.ObjectsAt("status", "addresses").First(a => a.StringAt("type") == "InternalIP").StringAt("address")!;

    /// <summary>A pod-name suffix as the ReplicaSet and DaemonSet controllers make them; redrawn on the rare collision.</summary>
    private string Suffix(Random random, int length)
    {
        while (true)
        {
            var suffix = new string(random.GetItems(SuffixAlphabet.AsSpan(), length));
            if (_suffixes.Add(suffix))
            {
                return suffix;
            }
        }
    }
}
