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

    private static void DefaultPod(JsonObject pod)
    {
        var spec = pod.ObjectAt("spec");
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["serviceAccountName"] ??= "default";
        spec["enableServiceLinks"] ??= true;
        foreach (var container in spec.ObjectsAt("containers"))
        {
            // An untagged or :latest image is pulled every time; pinned ones only when missing.
            var image = container.StringAt("image") ?? "";
            var reference = image[(image.LastIndexOf('/') + 1)..];
            var pinned = image.Contains('@') || (reference.Contains(':') && !reference.EndsWith(":latest", StringComparison.Ordinal));
            container["imagePullPolicy"] ??= pinned ? "IfNotPresent" : "Always";
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
        }
        pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
    }

    private static void DefaultNamespace(JsonObject ns)
    {
        ns.Metadata().ObjectAt("labels")["kubernetes.io/metadata.name"] = ns.Name();
        ns.ObjectAt("spec")["finalizers"] ??= new JsonArray("kubernetes");
        ns["status"] = new JsonObject { ["phase"] = "Active" };
    }
}
