using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>
/// Marks a node whose status a client wrote through the API (a kubelet stand-in) as heartbeating
/// on its own, so the emulator's heartbeat controller stops competing with it.
/// </summary>
public sealed class ExternalHeartbeatAdmission : IAdmissionPlugin
{
    public const string Annotation = "emulator.clustermanagement.io/external-heartbeat";

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Kind == CoreKinds.Nodes && request.Subresource == "status" && request.Object is { } node)
        {
            node.Metadata().ObjectAt("annotations")[Annotation] = "true";
        }
        return ValueTask.CompletedTask;
    }

    public static bool IsExternal(System.Text.Json.Nodes.JsonObject node) =>
        node.StringAt("metadata", "annotations", Annotation) == "true";
}
