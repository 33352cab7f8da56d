using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Patching;
using ClusterManagement.Emulator.Selectors;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Autoscaling;

/// <summary>
/// autoscaling/v1 HorizontalPodAutoscalers as the apiserver serves them: a view of the stored autoscaling/v2
/// objects. Writes are converted to v2 and go through v2's admission (defaults, validation) and storage;
/// answers are converted back, so <c>kubectl autoscale</c> (a v1 client) and v2 readers see one object.
/// Not served through the view: watch, deletecollection, server-side apply, paged lists.
/// </summary>
public sealed class HorizontalPodAutoscalerV1View(ResourceKind stored) : IVersionView
{
    public async Task<ApiResult?> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var result = request.Verb switch
        {
            "get" => ReadOperations.Get(Stored(request, null)),
            "list" => List(request),
            "create" => await WriteOperations.CreateAsync(Stored(request, HorizontalPodAutoscalerConversion.ToV2(request.ReadObject())), cancellationToken),
            "update" => await WriteOperations.UpdateAsync(Stored(request, HorizontalPodAutoscalerConversion.ToV2(request.ReadObject())), cancellationToken),
            "patch" => await PatchAsync(request, cancellationToken),
            "delete" => await request.Services.Deleter.DeleteAsync(stored, request.Namespace, request.Name!, DeleteOptions.From(request), request.User, cancellationToken),
            _ => throw Status.MethodNotAllowed(),
        };
        return result.Body is JsonObject obj && obj.StringAt("kind") == stored.Kind
            ? result with { Body = HorizontalPodAutoscalerConversion.ToV1(obj) }
            : result;
    }

    /// <summary>The same request addressed to the stored version, with the converted object as a JSON body.</summary>
    private ApiRequest Stored(ApiRequest request, JsonObject? body)
    {
        if (body is not null)
        {
            request.Http.Request.ContentType = "application/json";
        }
        return new ApiRequest
        {
            Http = request.Http,
            Services = request.Services,
            Verb = request.Verb,
            Kind = stored,
            Namespace = request.Namespace,
            Name = request.Name,
            Subresource = request.Subresource,
            User = request.User,
            Body = body is null ? request.Body : Encoding.UTF8.GetBytes(body.ToJsonString()),
        };
    }

    /// <summary>The patch applies to the v1 form of the current object; the result is stored as an update conditional on its version.</summary>
    private async Task<ApiResult> PatchAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var current = request.Services.Store.Find(stored, request.Namespace, request.Name!) ?? throw Status.NotFound(request.Kind, request.Name!);
        var patched = PatchApplier.Apply(HorizontalPodAutoscalerConversion.ToV1(current.ToJson()), request.Body, request.MediaType, request.Kind);
        var v2 = HorizontalPodAutoscalerConversion.ToV2(patched);
        v2.Metadata()["resourceVersion"] = current.ResourceVersion.ToString();
        return await WriteOperations.UpdateAsync(Stored(request, v2), cancellationToken);
    }

    private ApiResult List(ApiRequest request)
    {
        var labels = LabelSelector.Parse(request.Query("labelSelector"));
        var snapshot = request.Services.Store.List(stored, request.Namespace);
        var objects = snapshot.Items.Select(i => i.ToJson()).Where(labels.Matches).ToList();
        var metadata = new JsonObject { ["resourceVersion"] = snapshot.ResourceVersion.ToString() };
        if (ReadOperations.TableRequestOf(request) is { } table)
        {
            return new ApiResult(200, TableWriter.Build(stored, objects, table, metadata, request.Services.Time.GetUtcNow()));
        }
        return new ApiResult(200, new JsonObject
        {
            ["kind"] = "HorizontalPodAutoscalerList",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. objects.Select(o => (JsonNode)HorizontalPodAutoscalerConversion.ToV1(o))]),
        });
    }
}
