using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Protobuf;
using ClusterManagement.Emulator.Watch;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Api;

/// <summary>Maps an HTTP request on a resource URL to its Kubernetes verb, authorizes it and dispatches it.</summary>
public sealed class ResourceApi(ApiServices services)
{
    /// <summary>False when the path names no served resource, so the caller can answer 404.</summary>
    public async Task<bool> TryHandleAsync(HttpContext context, EmulatorUser user, byte[] body)
    {
        if (ApiPath.Parse(context.Request.Path.Value ?? "", services.Registry) is not { } path)
        {
            return false;
        }
        var request = new ApiRequest
        {
            Http = context,
            Services = services,
            Verb = VerbOf(context.Request, path),
            Kind = path.Kind,
            Namespace = path.Namespace,
            Name = path.Name,
            Subresource = path.Subresource,
            User = user,
            Body = body,
        };
        CheckVerbServed(request);
        var protobuf = ProtobufResponse.Negotiate(context.Request, request.Kind);
        Authorizer.Authorize(user, request.Verb, request.Kind, request.Subresource, request.Namespace, request.Name);
        var ct = context.RequestAborted;
        using var dryRun = DryRunOption.IsRequested(request) ? services.Store.BeginDryRun() : null;
        if (services.Registry.VersionView(request.Kind) is { } view)
        {
            if (await view.HandleAsync(request, ct) is { } viewed)
            {
                await JsonResponse.WriteAsync(context, viewed.StatusCode, viewed.Body);
            }
            return true;
        }
        if (request.Verb == "watch")
        {
            await WatchStreamer.StreamAsync(request, protobuf, ct);
            return true;
        }
        var result = request.Subresource is { } sub && sub != "status"
            ? await HandleSubresourceAsync(request, sub, ct)
            : request.Verb switch
            {
                "get" => ReadOperations.Get(request),
                "list" => ReadOperations.List(request),
                "create" => await WriteOperations.CreateAsync(request, ct),
                "update" => await WriteOperations.UpdateAsync(request, ct),
                "patch" => await WriteOperations.PatchAsync(request, ct),
                "delete" => await services.Deleter.DeleteAsync(request.Kind, request.Namespace, request.Name!, DeleteOptions.From(request), user, ct),
                "deletecollection" => await WriteOperations.DeleteCollectionAsync(request, ct),
                _ => throw Status.MethodNotAllowed(),
            };
        if (result is not null)
        {
            await ProtobufResponse.WriteAsync(context, result.StatusCode, result.Body, protobuf);
        }
        return true;
    }

    private static string VerbOf(HttpRequest http, ApiPath path) => http.Method switch
    {
        "GET" when path.Name is null => IsTrue(http.Query["watch"]) ? "watch" : "list",
        "GET" => "get",
        "POST" when path.Name is null || path.Subresource is not null => "create",
        "PUT" when path.Name is not null => "update",
        "PATCH" when path.Name is not null => "patch",
        "DELETE" when path.Name is null => "deletecollection",
        "DELETE" when path.Subresource is null => "delete",
        _ => throw Status.MethodNotAllowed(),
    };

    private static bool IsTrue(string? value) => value is "1" or "true" or "True";

    private static void CheckVerbServed(ApiRequest request)
    {
        var verbs = request.Subresource is { } sub
            ? (request.Kind.FindSubresource(sub) ?? throw Status.UnknownResource()).Verbs
            : request.Kind.Verbs;
        if (!verbs.Contains(request.Verb))
        {
            throw Status.MethodNotAllowed();
        }
    }

    /// <summary>Subresources other than status go to their registered handler, after admission saw the request.</summary>
    private async Task<ApiResult> HandleSubresourceAsync(ApiRequest request, string subresource, CancellationToken ct)
    {
        var handler = services.Registry.SubresourceHandler(request.Kind, subresource) ?? throw Status.UnknownResource();
        if (request.Verb == "create")
        {
            var parent = services.Store.Get(request.Kind, request.Namespace, request.Name!) ?? throw Status.NotFound(request.Kind, request.Name!);
            await services.Admission.AdmitAsync(new AdmissionRequest(AdmissionOperation.Create, request.Kind, subresource, request.Namespace,
                request.Name!, request.ReadObject(), parent, request.User, services.Store), ct);
        }
        return await handler.HandleAsync(request, ct);
    }
}
