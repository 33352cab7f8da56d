using System.Globalization;
using System.Text.Json;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Nodes;

/// <summary>
/// Reads pages of the node list from the API's JSON straight into <see cref="ClusterNode"/> fields (issue 18):
/// KubernetesClient's full V1Node model (images, daemon endpoints, every quantity parsed into fractions) was
/// most of Get-ClusterNode's time, and the list reads only a few of its fields. Values in the forms the API
/// server writes (strings, RFC 3339 to the second) are read here; any other form goes through
/// KubernetesClient's own converters, so odd input reads, or fails, as it does through the SDK model.
/// One reader serves one listing (its quantity cache is not shared between threads).
/// </summary>
internal sealed class NodeListReader
{
    /// <summary>The API server's time format (metav1.Time); anything else, fractions say, goes to the SDK's converter.</summary>
    private const string SecondsFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    /// <summary>
    /// The SDK's canonical text of each quantity seen: nodes of a pool share their capacity, and parsing a
    /// quantity (arbitrary-precision fractions) costs more than the rest of a node.
    /// </summary>
    private readonly Dictionary<string, string> quantities = new(StringComparer.Ordinal);

    public sealed record Page(IEnumerable<ClusterNode> Items, string? Continue);

    /// <summary>
    /// One page: the same request the typed client sends (query, credentials, the client's handlers with their
    /// request timeout and log). A failure is raised as the typed client raises it, so <see cref="KubeApi.Call{T}"/>
    /// and <see cref="Paging"/> (410 with a fresh continue token) treat it alike.
    /// </summary>
    public async Task<Page> ReadPageAsync(ClusterConnection connection, string? labelSelector, string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (continueToken is not null)
        {
            query.Add("continue=" + Uri.EscapeDataString(continueToken));
        }
        if (labelSelector is not null)
        {
            query.Add("labelSelector=" + Uri.EscapeDataString(labelSelector));
        }
        query.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
        using var response = await RawApi.SendRequestAsync(connection, HttpMethod.Get, "/api/v1/nodes?" + string.Join("&", query), null, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RawApi.OperationFailedAsync(response, cancellationToken).ConfigureAwait(false);
        }
        return Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
    }

    public Page Parse(ReadOnlyMemory<byte> json)
    {
        var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new Page(Nodes(document), Text(Child(root, "metadata"), "continue"));
    }

    /// <summary>
    /// Each node as it is taken, as the typed path mapped them: a listing stopped after its first objects
    /// (Select-Object -First) is cancelled before the next page is asked for, not after.
    /// </summary>
    private IEnumerable<ClusterNode> Nodes(JsonDocument document)
    {
        using (document)
        {
            foreach (var item in Array(document.RootElement, "items"))
            {
                yield return ToNode(item);
            }
        }
    }

    private ClusterNode ToNode(JsonElement node)
    {
        var metadata = Child(node, "metadata") ?? throw new JsonException("A node in the list has no metadata.");
        var spec = Child(node, "spec");
        var status = Child(node, "status");
        var info = Child(status, "nodeInfo");
        return NodeMapper.Assemble(new NodeFields
        {
            Name = Text(metadata, "name")!,
            Created = Time(metadata, "creationTimestamp"),
            ResourceVersion = Text(metadata, "resourceVersion"),
            Labels = Map(metadata, "labels", Text),
            Annotations = Map(metadata, "annotations", Text),
            Unschedulable = Flag(spec, "unschedulable"),
            Conditions = Array(status, "conditions").Select(c => new NodeCondition
            {
                Type = Text(c, "type")!,
                Status = Text(c, "status")!,
                Reason = Text(c, "reason"),
                Message = Text(c, "message"),
                LastHeartbeatTime = NodeMapper.Utc(Time(c, "lastHeartbeatTime")),
                LastTransitionTime = NodeMapper.Utc(Time(c, "lastTransitionTime")),
            }).ToArray(),
            Addresses = Array(status, "addresses").Select(a => new NodeAddress { Type = Text(a, "type")!, Address = Text(a, "address")! }).ToArray(),
            Taints = Array(spec, "taints").Select(t => new NodeTaint { Key = Text(t, "key")!, Value = Text(t, "value"), Effect = Text(t, "effect")! }).ToArray(),
            PodCIDRs = Array(spec, "podCIDRs").Select(c => Text(c)!).ToList(),
            PodCIDR = Text(spec, "podCIDR"),
            KubeletVersion = Text(info, "kubeletVersion"),
            OSImage = Text(info, "osImage"),
            KernelVersion = Text(info, "kernelVersion"),
            ContainerRuntime = Text(info, "containerRuntimeVersion"),
            Architecture = Text(info, "architecture"),
            OperatingSystem = Text(info, "operatingSystem"),
            Capacity = Map(status, "capacity", Quantity),
            Allocatable = Map(status, "allocatable", Quantity),
        });
    }

    /// <summary>An object property; null when absent or null (or its parent is), as the SDK model leaves it.</summary>
    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null
            ? child.ValueKind == JsonValueKind.Object ? child : throw new JsonException($"The node list's '{name}' is {child.ValueKind}, not an object.")
            : null;

    private static IEnumerable<JsonElement> Array(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var array) && array.ValueKind != JsonValueKind.Null
            ? array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : throw new JsonException($"The node list's '{name}' is {array.ValueKind}, not an array.")
            : [];

    private static string? Text(JsonElement? parent, string name) => parent is { } p && p.TryGetProperty(name, out var value) ? Text(value) : null;

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => KubernetesJson.Deserialize<string>(value),
    };

    private static bool Flag(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => KubernetesJson.Deserialize<bool?>(value) == true,
        };

    private static DateTime? Time(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(value.GetString(), SecondsFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : KubernetesJson.Deserialize<DateTime?>(value);
    }

    private string Quantity(JsonElement value)
    {
        var raw = value.GetRawText();
        if (!quantities.TryGetValue(raw, out var text))
        {
            // The SDK's converter reads a string as this constructor does; going through its serializer for every
            // quantity would build the serializer's type information on the first call of a fresh process (~20 ms).
            text = (value.ValueKind == JsonValueKind.String ? new ResourceQuantity(value.GetString()) : KubernetesJson.Deserialize<ResourceQuantity>(value)).ToString();
            quantities[raw] = text;
        }
        return text;
    }

    /// <summary>A string map; a key given twice keeps its last value, as the SDK's dictionaries do.</summary>
    private static Dictionary<string, string>? Map(JsonElement? parent, string name, Func<JsonElement, string?> value)
    {
        if (Child(parent, name) is not { } obj)
        {
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in obj.EnumerateObject())
        {
            map[entry.Name] = value(entry.Value)!;
        }
        return map;
    }
}
