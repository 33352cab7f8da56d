using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;

namespace ClusterManagement.Emulator.Deletion;

/// <summary>The NamespaceLifecycle admission plugin: nothing new is created in a namespace that is being terminated.</summary>
public sealed class NamespaceLifecycleAdmission : IAdmissionPlugin
{
    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation != AdmissionOperation.Create || !request.Kind.Namespaced || request.Namespace is not { } ns
            || !NamespaceTermination.IsTerminating(request.Store.Get(CoreKinds.Namespaces, null, ns)))
        {
            return ValueTask.CompletedTask;
        }
        var error = Status.Forbidden(request.Kind, request.Name,
            $"{request.Kind.QualifiedResource} \"{request.Name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
        error.Details!["causes"] = new JsonArray(new JsonObject
        {
            ["reason"] = "NamespaceTerminating",
            ["message"] = $"namespace {ns} is being terminated",
            ["field"] = "metadata.namespace",
        });
        throw error;
    }
}
