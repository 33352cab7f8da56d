using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.OpenApi;
using ClusterManagement.Emulator.Store;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Discovery;

/// <summary>
/// /version and the legacy (unaggregated) discovery documents. Answering /api and /apis with plain
/// APIVersions/APIGroupList makes kubectl fall back from aggregated discovery, which is all it needs.
/// </summary>
public sealed class DiscoveryApi(ResourceRegistry registry, EmulatorSettings settings)
{
    private readonly OpenApiDocuments _openApi = new(registry, SchemaCatalog.Default, () => settings.ApiServerVersion);

    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "").TrimEnd('/');
        if (context.Request.Method != "GET")
        {
            return false;
        }
        if (path.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            return await _openApi.TryHandleAsync(context);
        }
        var body = path.Split('/', StringSplitOptions.RemoveEmptyEntries) switch
        {
            ["version"] => Version(),
            ["api"] => ApiVersions(context),
            ["apis"] => GroupList(),
            ["api", var v] when HasGroupVersion("", v) => ResourceList("", v),
            ["apis", var g] when Group(g) is { } group => group,
            ["apis", var g, var v] when HasGroupVersion(g, v) => ResourceList(g, v),
            _ => null,
        };
        if (body is null)
        {
            return false;
        }
        await JsonResponse.WriteAsync(context, 200, body);
        return true;
    }

    private JsonObject Version()
    {
        var gitVersion = settings.ApiServerVersion;
        var (major, minor) = ServerVersion.Parts(gitVersion);
        return new JsonObject
        {
            ["major"] = major,
            ["minor"] = minor,
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "00000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-04-22T16:00:00Z",
            ["goVersion"] = "go1.23.8",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    private static JsonObject ApiVersions(HttpContext context) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}",
        }),
    };

    private JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(NamedGroups().Select(g => (JsonNode)Group(g)!).ToArray()),
    };

    private IEnumerable<string> NamedGroups() => registry.GroupVersions().Select(gv => gv.Group).Where(g => g.Length > 0).Distinct();

    private JsonObject? Group(string group)
    {
        var versions = registry.GroupVersions().Where(gv => gv.Group == group && group.Length > 0).Select(gv => (JsonNode)GroupVersion(gv.Group, gv.Version)).ToArray();
        return versions.Length == 0 ? null : new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions),
            ["preferredVersion"] = versions[0].DeepClone(),
        };
    }

    private static JsonObject GroupVersion(string group, string version) => new()
    {
        ["groupVersion"] = $"{group}/{version}",
        ["version"] = version,
    };

    private bool HasGroupVersion(string group, string version) => registry.GroupVersions().Contains((group, version));

    private JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var kind in registry.Kinds.Where(k => k.Group == group && k.Version == version))
        {
            resources.Add(Resource(kind));
            foreach (var sub in kind.Subresources)
            {
                resources.Add(Subresource(kind, sub));
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Resource(ResourceKind kind)
    {
        var resource = new JsonObject
        {
            ["name"] = kind.Plural,
            ["singularName"] = kind.Singular,
            ["namespaced"] = kind.Namespaced,
            ["kind"] = kind.Kind,
            ["verbs"] = Strings(kind.Verbs),
        };
        if (kind.ShortNames.Count > 0)
        {
            resource["shortNames"] = Strings(kind.ShortNames);
        }
        if (kind.Categories.Count > 0)
        {
            resource["categories"] = Strings(kind.Categories);
        }
        return resource;
    }

    private static JsonObject Subresource(ResourceKind kind, Subresource sub)
    {
        var resource = new JsonObject
        {
            ["name"] = $"{kind.Plural}/{sub.Name}",
            ["singularName"] = "",
            ["namespaced"] = kind.Namespaced,
        };
        if (sub.Group is not null)
        {
            resource["group"] = sub.Group;
        }
        if (sub.Version is not null)
        {
            resource["version"] = sub.Version;
        }
        resource["kind"] = sub.Kind;
        resource["verbs"] = Strings(sub.Verbs);
        return resource;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
