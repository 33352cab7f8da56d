using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.FieldManagement;
using ClusterManagement.Emulator.Patching;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// {deployments,replicasets}/{name}/scale as autoscaling/v1 Scale: GET, PUT (optimistic on the parent's
/// resourceVersion, 409 when stale) and PATCH (applied to the Scale, then stored like a PUT; retried on
/// a concurrent write unless the patch names a resourceVersion). Writes are recorded in managedFields
/// under subresource "scale".
/// </summary>
public sealed class ScaleHandler(ResourceKind kind) : ISubresourceHandler
{
    private const int PatchAttempts = 5;

    public Task<ApiResult> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var preconditioned = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Task.FromResult(Handle(request, ref preconditioned));
            }
            catch (ApiException e) when (e.Reason == "Conflict" && request.Verb == "patch" && !preconditioned && attempt < PatchAttempts)
            {
                // A controller wrote the parent in between; a patch without a resourceVersion applies to the new version, as the API server's GuaranteedUpdate does.
            }
        }
    }

    /// <summary>One read-modify-write; <paramref name="preconditioned"/> tells whether the client named the resourceVersion to write over.</summary>
    private ApiResult Handle(ApiRequest request, ref bool preconditioned)
    {
        var store = request.Services.Store;
        var name = request.Name!;
        var current = store.Find(kind, request.Namespace, name) ?? throw Status.NotFound(kind, name);
        var scale = ScaleOf(current.ToJson());
        if (request.Verb == "get")
        {
            return new ApiResult(200, scale);
        }
        var unversioned = scale.DeepClone().AsObject();
        unversioned.Metadata().Remove("resourceVersion");
        var wanted = request.Verb == "patch"
            ? PatchApplier.Apply(unversioned, request.Body, request.MediaType, kind)
            : request.ReadObject();
        var replicas = wanted.LongAt("spec", "replicas") ?? 0;
        if (replicas < 0)
        {
            throw new ApiException(422, "Invalid",
                $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0",
                new JsonObject
                {
                    ["name"] = name,
                    ["group"] = "autoscaling",
                    ["kind"] = "Scale",
                    ["causes"] = new JsonArray(new JsonObject
                    {
                        ["reason"] = "FieldValueInvalid",
                        ["message"] = $"Invalid value: {replicas}: must be greater than or equal to 0",
                        ["field"] = "spec.replicas",
                    }),
                });
        }
        var expected = wanted.StringAt("metadata", "resourceVersion");
        preconditioned = !string.IsNullOrEmpty(expected);
        var updated = current.ToJson();
        updated.ObjectAt("spec")["replicas"] = replicas;
        updated.Metadata()["resourceVersion"] = string.IsNullOrEmpty(expected) ? current.ResourceVersion.ToString() : expected;
        FieldOwnership.RecordUpdate(request, current.ToJson(), updated);
        return new ApiResult(200, ScaleOf(store.Update(kind, updated)));
    }

    private static JsonObject ScaleOf(JsonObject parent) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = parent.Name(),
            ["namespace"] = parent.Namespace(),
            ["uid"] = parent.StringAt("metadata", "uid"),
            ["resourceVersion"] = parent.StringAt("metadata", "resourceVersion"),
            ["creationTimestamp"] = parent.StringAt("metadata", "creationTimestamp"),
        },
        ["spec"] = new JsonObject { ["replicas"] = parent.LongAt("spec", "replicas") ?? 0 },
        ["status"] = new JsonObject
        {
            ["replicas"] = parent.LongAt("status", "replicas") ?? 0,
            ["selector"] = LabelSelectors.Format(parent.At("spec", "selector") as JsonObject),
        },
    };
}
