using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>
/// The defaults the real registry strategies and defaulting functions give new core objects, so
/// clients read back what a real cluster would return (a new pod is Pending, a namespace Active).
/// </summary>
public sealed class CoreDefaultsAdmission : IAdmissionPlugin
{
    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation == AdmissionOperation.Create && request.Subresource is null && request.Object is { } obj)
        {
            if (request.Kind == CoreKinds.Pods)
            {
                DefaultPod(obj);
            }
            else if (request.Kind == CoreKinds.Namespaces)
            {
                DefaultNamespace(obj);
            }
            else if (request.Kind == CoreKinds.Secrets)
            {
                // SetDefaults_Secret; kubectl create secret generic sends no type.
                obj["type"] ??= "Opaque";
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// What defaulting and the default admission chain give a new pod; controllers that create pods
    /// call this too, since their pods pass through the same API server on a real cluster.
    /// </summary>
    public static void DefaultPod(JsonObject pod)
    {
        var spec = pod.ObjectAt("spec");
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["serviceAccountName"] ??= "default";
        // The v1 conversion still fills the deprecated alias from serviceAccountName.
        spec["serviceAccount"] ??= spec.StringAt("serviceAccountName");
        spec["enableServiceLinks"] ??= true;
        DefaultPriority(spec);
        DefaultTolerationSeconds(spec);
        foreach (var container in spec.ObjectsAt("containers"))
        {
            // An untagged or :latest image is pulled every time; pinned ones only when missing.
            var image = container.StringAt("image") ?? "";
            var reference = image[(image.LastIndexOf('/') + 1)..];
            var pinned = image.Contains('@') || (reference.Contains(':') && !reference.EndsWith(":latest", StringComparison.Ordinal));
            container["imagePullPolicy"] ??= pinned ? "IfNotPresent" : "Always";
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
            DefaultRequestsFromLimits(container);
        }
        foreach (var container in spec.ObjectsAt("initContainers"))
        {
            DefaultRequestsFromLimits(container);
        }
        pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
    }

    /// <summary>SetDefaults_Pod: a container that states only a limit requests that much (quota admission counts on it).</summary>
    private static void DefaultRequestsFromLimits(JsonObject container)
    {
        if (container.At("resources", "limits") is not JsonObject { Count: > 0 } limits)
        {
            return;
        }
        var requests = container.ObjectAt("resources").ObjectAt("requests");
        foreach (var (name, value) in limits)
        {
            if (!requests.ContainsKey(name))
            {
                requests[name] = value?.DeepClone();
            }
        }
    }

    /// <summary>
    /// The Priority admission plugin: a pod without a class gets priority 0 (no global default
    /// class exists here), the two built-in system classes their fixed values.
    /// </summary>
    private static void DefaultPriority(JsonObject spec)
    {
        spec["priority"] ??= spec.StringAt("priorityClassName") switch
        {
            "system-node-critical" => 2000001000,
            "system-cluster-critical" => 2000000000,
            _ => 0,
        };
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
    }

    /// <summary>
    /// The DefaultTolerationSeconds admission plugin: unless the pod already tolerates them, it may
    /// stay 300 s on a node tainted not-ready or unreachable (NoExecute) before it is evicted.
    /// </summary>
    private static void DefaultTolerationSeconds(JsonObject spec)
    {
        var tolerations = spec.ObjectsAt("tolerations").ToList();
        foreach (var key in (string[])["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"])
        {
            var tolerated = tolerations.Any(t => (t.StringAt("key") ?? "") is var k && (k == key || k.Length == 0)
                && (t.StringAt("effect") ?? "") is "NoExecute" or "");
            if (!tolerated)
            {
                var list = spec["tolerations"] as JsonArray ?? (JsonArray)(spec["tolerations"] = new JsonArray());
                list.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
            }
        }
    }

    private static void DefaultNamespace(JsonObject ns)
    {
        ns.Metadata().ObjectAt("labels")["kubernetes.io/metadata.name"] = ns.Name();
        ns.ObjectAt("spec")["finalizers"] ??= new JsonArray("kubernetes");
        ns["status"] = new JsonObject { ["phase"] = "Active" };
    }
}
