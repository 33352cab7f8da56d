using System.Text.Json;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using k8s;
using k8s.Models;
using static ClusterManagement.Engine.Kubernetes.ApiJson;

namespace ClusterManagement.Engine.Nodes;

/// <summary>
/// Reads pages of the node list from the API's JSON straight into <see cref="ClusterNode"/> fields (issue 18):
/// KubernetesClient's full V1Node model (images, daemon endpoints, every quantity parsed into fractions) was
/// most of Get-ClusterNode's time, and the list reads only a few of its fields. Values are read through
/// <see cref="ApiJson"/>, so odd input reads, or fails, as it does through the SDK model.
/// One reader serves one listing (its quantity cache is not shared between threads).
/// </summary>
internal sealed class NodeListReader
{
    /// <summary>
    /// The SDK's canonical text of each quantity seen: nodes of a pool share their capacity, and parsing a
    /// quantity (arbitrary-precision fractions) costs more than the rest of a node.
    /// </summary>
    private readonly Dictionary<string, string> quantities = new(StringComparer.Ordinal);

    public sealed record Page(IEnumerable<ClusterNode> Items, string? Continue);

    /// <summary>One page, failures raised as the typed client raises them (<see cref="RawApi.ListPageAsync"/>).</summary>
    public async Task<Page> ReadPageAsync(ClusterConnection connection, string? labelSelector, string? continueToken, int limit, CancellationToken cancellationToken) =>
        Parse(await RawApi.ListPageAsync(connection, "/api/v1/nodes", labelSelector, continueToken, limit, cancellationToken).ConfigureAwait(false));

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

    private string Quantity(JsonElement value)
    {
        var raw = value.GetRawText();
        if (!quantities.TryGetValue(raw, out var text))
        {
            // The SDK's converter reads a string as this constructor does; going through its serializer would build
            // the serializer's type information on the first call of a fresh process (~20 ms).
            text = (value.ValueKind == JsonValueKind.String ? new ResourceQuantity(value.GetString()) : KubernetesJson.Deserialize<ResourceQuantity>(value)).ToString();
            quantities[raw] = text;
        }
        return text;
    }
}
