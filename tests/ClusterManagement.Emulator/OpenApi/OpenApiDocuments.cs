using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Discovery;
using ClusterManagement.Emulator.Patching;
using ClusterManagement.Emulator.Store;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.OpenApi;

/// <summary>
/// /openapi/v3 (the index of group-version documents, each URL carrying its content hash),
/// /openapi/v3/&lt;api/v1|apis/group/version&gt; and /openapi/v2, built from the registry's kinds and the
/// schema catalogue. kubectl reads the PATCH operations to learn that the server validates fields
/// (then it leaves validation to the server), the component schemas for strategic merge patches and
/// for explain. The v2 document is JSON, or protobuf when asked for it (client-go asks for nothing else).
/// </summary>
public sealed class OpenApiDocuments(ResourceRegistry registry, SchemaCatalog catalog, Func<string> serverVersion)
{
    private const string V3Prefix = "/openapi/v3/";
    private const string V3Refs = "#/components/schemas/";
    private const string V2Refs = "#/definitions/";

    private readonly ConcurrentDictionary<string, byte[]> _documents = new();

    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "").TrimEnd('/');
        var protobuf = path == "/openapi/v2" && context.Request.Headers.Accept.ToString().Contains(SwaggerProtobuf.AcceptedType, StringComparison.Ordinal);
        var body = path switch
        {
            "/openapi/v2" when protobuf => _documents.GetOrAdd($"{serverVersion()}/openapi/v2#protobuf", _ => SwaggerProtobuf.Encode(V2())),
            "/openapi/v2" => Cached(path, V2),
            "/openapi/v3" => Cached(path, Index),
            _ when path.StartsWith(V3Prefix, StringComparison.Ordinal) && GroupVersionDocument(path[V3Prefix.Length..]) is { } document => document,
            _ => null,
        };
        if (body is null)
        {
            return false;
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = protobuf ? SwaggerProtobuf.MediaType : JsonResponse.ContentType;
        context.Response.Headers.ETag = $"\"{Hash(body)}\"";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
        return true;
    }

    /// <summary>"api/v1" or "apis/apps/v1" for each group version with at least one kind that has a schema.</summary>
    private IEnumerable<(string Path, string Group, string Version)> GroupVersions() =>
        registry.GroupVersions()
            .Where(gv => Kinds(gv.Group, gv.Version).Any())
            .Select(gv => (gv.Group.Length == 0 ? $"api/{gv.Version}" : $"apis/{gv.Group}/{gv.Version}", gv.Group, gv.Version));

    private IEnumerable<(ResourceKind Kind, SchemaType Schema)> Kinds(string group, string version) =>
        registry.Kinds.Where(k => k.Group == group && k.Version == version)
            .Select(k => (Kind: k, Schema: catalog.ForKind(k.Group, k.Version, k.Kind)!))
            .Where(k => k.Schema is not null);

    // Keyed by the server version too: the documents name it, and it moves with an upgrade.
    private byte[] Cached(string key, Func<JsonObject> build) => _documents.GetOrAdd(serverVersion() + key, _ => Encoding.UTF8.GetBytes(build().ToJsonString()));

    private byte[]? GroupVersionDocument(string path) =>
        GroupVersions().FirstOrDefault(gv => gv.Path == path) is { Path: not null } gv
            ? Cached(path, () => GroupVersion(gv.Group, gv.Version))
            : null;

    private JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var gv in GroupVersions())
        {
            var document = Cached(gv.Path, () => GroupVersion(gv.Group, gv.Version));
            paths[gv.Path] = new JsonObject { ["serverRelativeURL"] = $"{V3Prefix}{gv.Path}?hash={Hash(document)}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    private JsonObject GroupVersion(string group, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var (kind, schema) in Kinds(group, version))
        {
            foreach (var (path, item) in Paths(kind, V3Refs, v3: true))
            {
                paths[path] = item;
            }
            foreach (var name in catalog.Closure(schema).Where(n => !schemas.ContainsKey(n)).Order(StringComparer.Ordinal))
            {
                schemas[name] = catalog.Component(name, V3Refs);
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = serverVersion() },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject(schemas.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
                ["securitySchemes"] = new JsonObject
                {
                    ["BearerToken"] = new JsonObject { ["type"] = "apiKey", ["description"] = "Bearer Token authentication", ["name"] = "authorization", ["in"] = "header" },
                },
            },
        };
    }

    private JsonObject V2()
    {
        var paths = new JsonObject();
        var definitions = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var gv in GroupVersions())
        {
            foreach (var (kind, schema) in Kinds(gv.Group, gv.Version))
            {
                foreach (var (path, item) in Paths(kind, V2Refs, v3: false))
                {
                    paths[path] = item;
                }
                foreach (var name in catalog.Closure(schema))
                {
                    definitions.TryAdd(name, catalog.Component(name, V2Refs));
                }
            }
        }
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = serverVersion() },
            ["paths"] = paths,
            ["definitions"] = new JsonObject(definitions.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
            ["securityDefinitions"] = new JsonObject
            {
                ["BearerToken"] = new JsonObject { ["type"] = "apiKey", ["description"] = "Bearer Token authentication", ["name"] = "authorization", ["in"] = "header" },
            },
            ["security"] = new JsonArray(new JsonObject { ["BearerToken"] = new JsonArray() }),
        };
    }

    /// <summary>The kind's URLs with an operation per verb it serves; status shares the kind's schema, other subresources are listed without one.</summary>
    private IEnumerable<(string Path, JsonObject Item)> Paths(ResourceKind kind, string refs, bool v3)
    {
        var root = kind.Group.Length == 0 ? $"/api/{kind.Version}" : $"/apis/{kind.Group}/{kind.Version}";
        var collection = kind.Namespaced ? $"{root}/namespaces/{{namespace}}/{kind.Plural}" : $"{root}/{kind.Plural}";
        var scope = kind.Namespaced ? "Namespaced" : "";
        var gvk = new KindId(kind.Group, kind.Version, kind.Kind);
        var schemaRef = refs + catalog.ForKind(kind.Group, kind.Version, kind.Kind)!.FullName;
        var context = new OperationContext(kind, gvk, schemaRef, refs, v3);

        var collectionItem = PathItem(kind.Namespaced ? ["namespace"] : [], v3);
        Add(collectionItem, "get", context.Operation("list", $"list{Id(kind)}{scope}{kind.Kind}", kind.Verbs.Contains("list")));
        Add(collectionItem, "post", context.Operation("create", $"create{Id(kind)}{scope}{kind.Kind}", kind.Verbs.Contains("create")));
        Add(collectionItem, "delete", context.Operation("deletecollection", $"deleteCollection{Id(kind)}{scope}{kind.Kind}", kind.Verbs.Contains("deletecollection")));
        yield return (collection, collectionItem);

        var itemPath = $"{collection}/{{name}}";
        var item = PathItem(kind.Namespaced ? ["name", "namespace"] : ["name"], v3);
        Add(item, "get", context.Operation("get", $"read{Id(kind)}{scope}{kind.Kind}", kind.Verbs.Contains("get")));
        Add(item, "put", context.Operation("update", $"replace{Id(kind)}{scope}{kind.Kind}", kind.Verbs.Contains("update")));
        Add(item, "patch", context.Operation("patch", $"patch{Id(kind)}{scope}{kind.Kind}", kind.Verbs.Contains("patch")));
        Add(item, "delete", context.Operation("delete", $"delete{Id(kind)}{scope}{kind.Kind}", kind.Verbs.Contains("delete")));
        yield return (itemPath, item);

        foreach (var sub in kind.Subresources)
        {
            var subContext = sub.Name == "status"
                ? context
                : context with { Gvk = new KindId(sub.Group ?? kind.Group, sub.Version ?? kind.Version, sub.Kind), SchemaRef = null };
            var subItem = PathItem(kind.Namespaced ? ["name", "namespace"] : ["name"], v3);
            var suffix = char.ToUpperInvariant(sub.Name[0]) + sub.Name[1..];
            Add(subItem, "get", subContext.Operation("get", $"read{Id(kind)}{scope}{kind.Kind}{suffix}", sub.Verbs.Contains("get")));
            Add(subItem, "post", subContext.Operation("create", $"create{Id(kind)}{scope}{kind.Kind}{suffix}", sub.Verbs.Contains("create")));
            Add(subItem, "put", subContext.Operation("update", $"replace{Id(kind)}{scope}{kind.Kind}{suffix}", sub.Verbs.Contains("update")));
            Add(subItem, "patch", subContext.Operation("patch", $"patch{Id(kind)}{scope}{kind.Kind}{suffix}", sub.Verbs.Contains("patch")));
            yield return ($"{itemPath}/{sub.Name}", subItem);
        }
        if (kind.Namespaced && kind.Verbs.Contains("list"))
        {
            var all = PathItem([], v3);
            Add(all, "get", context.Operation("list", $"list{Id(kind)}{kind.Kind}ForAllNamespaces", true));
            yield return ($"{root}/{kind.Plural}", all);
        }
    }

    private static void Add(JsonObject item, string method, JsonObject? operation)
    {
        if (operation is not null)
        {
            item[method] = operation;
        }
    }

    /// <summary>CoreV1, AppsV1, StorageV1, RbacAuthorizationV1: the group part of the real operation ids.</summary>
    private static string Id(ResourceKind kind)
    {
        var group = kind.Group.Length == 0 ? "core" : kind.Group.Replace(".k8s.io", "");
        return string.Concat(group.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + char.ToUpperInvariant(kind.Version[0]) + kind.Version[1..];
    }

    private static JsonObject PathItem(IEnumerable<string> pathParameters, bool v3)
    {
        var parameters = new JsonArray();
        foreach (var name in pathParameters)
        {
            parameters.Add(Parameter(name, "path", name == "name" ? "name of the resource" : "object name and auth scope, such as for teams and projects", v3, required: true));
        }
        parameters.Add(Parameter("pretty", "query", "If 'true', then the output is pretty printed.", v3));
        return new JsonObject { ["parameters"] = parameters };
    }

    private static JsonObject Parameter(string name, string location, string description, bool v3, bool required = false, string type = "string")
    {
        var parameter = new JsonObject { ["name"] = name, ["in"] = location, ["description"] = description };
        if (required)
        {
            parameter["required"] = true;
        }
        if (v3)
        {
            parameter["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true };
        }
        else
        {
            parameter["type"] = type;
            parameter["uniqueItems"] = true;
        }
        return parameter;
    }

    private sealed record OperationContext(ResourceKind Kind, KindId Gvk, string? SchemaRef, string Refs, bool V3)
    {
        private static readonly string[] PatchTypes =
            [PatchApplier.JsonPatchType, PatchApplier.MergePatchType, PatchApplier.StrategicMergePatchType, PatchApplier.ApplyPatchType];

        public JsonObject? Operation(string action, string id, bool served)
        {
            if (!served)
            {
                return null;
            }
            var parameters = new JsonArray();
            if (action is "create" or "update" or "patch")
            {
                parameters.Add(Parameter("dryRun", "query", "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed", V3));
                parameters.Add(Parameter("fieldManager", "query", "fieldManager is a name associated with the actor or entity that is making these changes.", V3));
                parameters.Add(Parameter("fieldValidation", "query", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.", V3));
            }
            if (action == "patch")
            {
                parameters.Add(Parameter("force", "query", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.", V3, type: "boolean"));
            }
            if (action is "list" or "deletecollection")
            {
                parameters.Add(Parameter("labelSelector", "query", "A selector to restrict the list of returned objects by their labels. Defaults to everything.", V3));
                parameters.Add(Parameter("fieldSelector", "query", "A selector to restrict the list of returned objects by their fields. Defaults to everything.", V3));
            }
            var operation = new JsonObject
            {
                ["tags"] = new JsonArray(Id(Kind) is var tag ? char.ToLowerInvariant(tag[0]) + tag[1..] : ""),
                ["description"] = $"{action} {(action is "list" or "deletecollection" ? "objects" : "the specified")} of kind {Gvk.Kind}",
                ["operationId"] = id,
                ["parameters"] = parameters,
            };
            if (action is "create" or "update" or "patch")
            {
                operation[V3 ? "requestBody" : "consumes"] = V3 ? RequestBody(action == "patch" ? PatchTypes : ["application/json"]) : new JsonArray([.. (action == "patch" ? PatchTypes : ["*/*"]).Select(t => (JsonNode)t)]);
                if (!V3)
                {
                    parameters.Add(new JsonObject { ["name"] = "body", ["in"] = "body", ["required"] = true, ["schema"] = Body(action) });
                }
            }
            operation["responses"] = Responses(action);
            operation["x-kubernetes-action"] = action == "list" ? "list" : action == "create" ? "post" : action == "update" ? "put" : action;
            operation["x-kubernetes-group-version-kind"] = SchemaCatalog.GroupVersionKind(Gvk);
            return operation;
        }

        private JsonObject Body(string action) => action == "patch"
            ? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true }
            : SchemaRef is null ? new JsonObject { ["type"] = "object" } : new JsonObject { ["$ref"] = SchemaRef };

        private JsonObject RequestBody(IEnumerable<string> mediaTypes) => new()
        {
            ["content"] = new JsonObject(mediaTypes.Select(t => KeyValuePair.Create(t, (JsonNode?)new JsonObject { ["schema"] = Body(t == "application/json" ? "create" : "patch") }))),
            ["required"] = true,
        };

        private JsonObject Responses(string action)
        {
            var codes = action switch
            {
                "create" => new[] { "200", "201", "202" },
                "update" or "patch" => ["200", "201"],
                _ => ["200"],
            };
            var responses = new JsonObject();
            foreach (var code in codes)
            {
                var response = new JsonObject { ["description"] = code switch { "201" => "Created", "202" => "Accepted", _ => "OK" } };
                if (SchemaRef is not null && action is not ("list" or "deletecollection" or "delete"))
                {
                    if (V3)
                    {
                        response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = SchemaRef } } };
                    }
                    else
                    {
                        response["schema"] = new JsonObject { ["$ref"] = SchemaRef };
                    }
                }
                responses[code] = response;
            }
            responses["401"] = new JsonObject { ["description"] = "Unauthorized" };
            return responses;
        }
    }

    private static string Hash(byte[] document) => Convert.ToHexString(SHA512.HashData(document));
}
