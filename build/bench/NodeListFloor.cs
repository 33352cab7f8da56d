// The floor under Get-ClusterNode (issue 18, goal 2): the same paged GETs (limit/continue, kubectl's
// chunk size) over one HttpClient with the kubeconfig's client certificate, each page parsed with
// System.Text.Json straight into the module's ClusterNode objects, with the same printer rules
// (NodeMapper). No retries, no error mapping, no SDK models: what is left is the least any client pays.
// Compiled by Nodes.Bench.ps1 with Add-Type; never part of the module.
#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Xml;
using ClusterManagement.Collections;
using ClusterManagement.Nodes;

public static class NodeListFloor
{
    private const string RoleLabelPrefix = "node-role.kubernetes.io/";

    public static List<ClusterNode> List(string server, string certificatePem, string keyPem, int pageSize, string context, string cluster)
    {
        var client = ClientFor(server, certificatePem, keyPem);
        var nodes = new List<ClusterNode>();
        string? token = null;
        do
        {
            var path = $"/api/v1/nodes?limit={pageSize}" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
            using var page = JsonDocument.Parse(response.Content.ReadAsStream());
            if (response.StatusCode == System.Net.HttpStatusCode.Gone && token is not null)
            {
                // A continue token past compaction: the Status carries one for the rest, as the module reads it too.
                token = page.RootElement.GetProperty("metadata").GetProperty("continue").GetString();
                continue;
            }
            response.EnsureSuccessStatusCode();
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                var node = ToNode(item);
                // The module names the context and cluster on every object it writes (IClusterObject).
                node.Context = context;
                node.Cluster = cluster;
                nodes.Add(node);
            }
            token = page.RootElement.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("continue", out var next) ? next.GetString() : null;
        }
        while (!string.IsNullOrEmpty(token));
        return nodes;
    }

    private static HttpClient? shared;

    /// <summary>
    /// One client (and its pooled connection) for every listing, as the module keeps one connection per context:
    /// a floor that paid a TLS handshake per listing would flatter the module.
    /// </summary>
    private static HttpClient ClientFor(string server, string certificatePem, string keyPem)
    {
        if (shared is null || shared.BaseAddress != new Uri(server))
        {
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
            handler.ClientCertificates.Add(X509Certificate2.CreateFromPem(certificatePem, keyPem));
            shared = new HttpClient(handler) { BaseAddress = new Uri(server) };
        }
        return shared;
    }

    private static ClusterNode ToNode(JsonElement node)
    {
        var metadata = node.GetProperty("metadata");
        var spec = Child(node, "spec");
        var status = Child(node, "status");
        var info = status is { } s ? Child(s, "nodeInfo") : null;
        var labels = Map(metadata, "labels");
        var conditions = Items(status, "conditions").Select(c => new NodeCondition
        {
            Type = Text(c, "type")!,
            Status = Text(c, "status")!,
            Reason = Text(c, "reason"),
            Message = Text(c, "message"),
            LastHeartbeatTime = Time(c, "lastHeartbeatTime"),
            LastTransitionTime = Time(c, "lastTransitionTime"),
        }).ToArray();
        var addresses = Items(status, "addresses").Select(a => new NodeAddress { Type = Text(a, "type")!, Address = Text(a, "address")! }).ToArray();
        var ready = conditions.LastOrDefault(c => c.Type == "Ready");
        var readiness = ready is null ? NodeReadiness.Unknown : ready.Status == "True" ? NodeReadiness.Ready : NodeReadiness.NotReady;
        var unschedulable = spec is { } sp && sp.TryGetProperty("unschedulable", out var u) && u.ValueKind == JsonValueKind.True;
        var created = Time(metadata, "creationTimestamp") ?? DateTime.MinValue;
        var podCidrs = Items(spec, "podCIDRs").Select(c => c.GetString()!).ToArray();
        return new ClusterNode
        {
            Name = Text(metadata, "name")!,
            Status = unschedulable ? readiness + ",SchedulingDisabled" : readiness.ToString(),
            Readiness = readiness,
            Roles = labels.Keys.Where(k => k.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && k.Length > RoleLabelPrefix.Length)
                .Select(k => k[RoleLabelPrefix.Length..])
                .Concat(labels.TryGetValue("kubernetes.io/role", out var legacy) && legacy.Length > 0 ? [legacy] : [])
                .Distinct().Order(StringComparer.Ordinal).ToArray(),
            Created = created,
            Age = XmlConvert.ToString(TimeSpan.FromSeconds(Math.Floor(Math.Max(0, (DateTime.UtcNow - created).TotalSeconds)))),
            Version = Empty(info is { } i1 ? Text(i1, "kubeletVersion") : null),
            InternalIP = addresses.FirstOrDefault(a => a.Type == "InternalIP")?.Address,
            ExternalIP = addresses.FirstOrDefault(a => a.Type == "ExternalIP")?.Address,
            Hostname = addresses.FirstOrDefault(a => a.Type == "Hostname")?.Address,
            OSImage = Empty(info is { } i2 ? Text(i2, "osImage") : null),
            KernelVersion = Empty(info is { } i3 ? Text(i3, "kernelVersion") : null),
            ContainerRuntime = Empty(info is { } i4 ? Text(i4, "containerRuntimeVersion") : null),
            Architecture = Empty(info is { } i5 ? Text(i5, "architecture") : null),
            OperatingSystem = Empty(info is { } i6 ? Text(i6, "operatingSystem") : null),
            Unschedulable = unschedulable,
            Conditions = conditions,
            Addresses = addresses,
            Taints = Items(spec, "taints").Select(t => new NodeTaint { Key = Text(t, "key")!, Value = Text(t, "value"), Effect = Text(t, "effect")! }).ToArray(),
            PodCIDRs = podCidrs.Length > 0 ? podCidrs : Text(spec, "podCIDR") is { Length: > 0 } cidr ? [cidr] : [],
            Labels = labels.Count == 0 ? ValueMap.Empty : new ValueMap(labels),
            Annotations = Map(metadata, "annotations") is { Count: > 0 } annotations ? new ValueMap(annotations) : ValueMap.Empty,
            Capacity = status is { } c1 && Map(c1, "capacity") is { Count: > 0 } capacity ? new ValueMap(capacity) : ValueMap.Empty,
            Allocatable = status is { } c2 && Map(c2, "allocatable") is { Count: > 0 } allocatable ? new ValueMap(allocatable) : ValueMap.Empty,
            ResourceVersion = Text(metadata, "resourceVersion"),
        };
    }

    private static JsonElement? Child(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static IEnumerable<JsonElement> Items(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static Dictionary<string, string> Map(JsonElement parent, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parent.TryGetProperty(name, out var obj) && obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in obj.EnumerateObject())
            {
                map[entry.Name] = entry.Value.GetString() ?? "";
            }
        }
        return map;
    }

    private static string? Text(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTime? Time(JsonElement parent, string name) =>
        Text(parent, name) is { } text ? DateTime.SpecifyKind(DateTime.Parse(text, null, System.Globalization.DateTimeStyles.AdjustToUniversal), DateTimeKind.Utc) : null;

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
