using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.FieldManagement;

/// <summary>How a list is merged and owned (x-kubernetes-list-type): whole, as a set of values, or item by item under its keys.</summary>
public enum ListType
{
    Atomic,
    Set,
    Map,
}

/// <summary>A list's merge semantics; <see cref="KeyDefaults"/> fill keys an item leaves out (a port's protocol is TCP).</summary>
public sealed record ListSchema(ListType Type, string[] Keys, IReadOnlyDictionary<string, string> KeyDefaults);

/// <summary>
/// The part of the built-in types' OpenAPI schema that server-side apply needs, as the API server
/// derives it from the Go types: list types and keys (x-kubernetes-list-type/-list-map-keys, or the
/// patch merge key), atomic structs and maps (LabelSelector, Service selectors), and the zero value
/// of each kind, which a create is compared against. Lists not named here are atomic, as in the
/// real schema.
/// </summary>
public static class FieldSchema
{
    private static readonly IReadOnlyDictionary<string, string> NoDefaults = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, string> TcpProtocol = new Dictionary<string, string> { ["protocol"] = "TCP" };

    private static readonly Dictionary<string, ListSchema> ListsByField = new()
    {
        ["containers"] = Keyed("name"),
        ["initContainers"] = Keyed("name"),
        ["ephemeralContainers"] = Keyed("name"),
        ["env"] = Keyed("name"),
        ["volumes"] = Keyed("name"),
        ["imagePullSecrets"] = Keyed("name"),
        ["resourceClaims"] = Keyed("name"),
        ["volumeMounts"] = Keyed("mountPath"),
        ["volumeDevices"] = Keyed("devicePath"),
        ["ports"] = new ListSchema(ListType.Map, ["containerPort", "protocol"], TcpProtocol),
        ["conditions"] = Keyed("type"),
        ["ownerReferences"] = Keyed("uid"),
        ["hostAliases"] = Keyed("ip"),
        ["topologySpreadConstraints"] = Keyed("topologyKey", "whenUnsatisfiable"),
        ["finalizers"] = new ListSchema(ListType.Set, [], NoDefaults),
    };

    private static readonly ListSchema ServicePorts = new(ListType.Map, ["port", "protocol"], TcpProtocol);
    private static readonly ListSchema AtomicList = new(ListType.Atomic, [], NoDefaults);

    /// <summary>The zero value's non-leaf fields, which a create does not add (encoding/json writes a struct field even when empty).</summary>
    private static readonly string[] PodTemplateZero = ["spec.template.metadata", "spec.template.spec.containers"];

    private static readonly Dictionary<string, string[]> ZeroFields = new()
    {
        ["Deployment"] = ["spec.strategy", .. PodTemplateZero],
        ["ReplicaSet"] = PodTemplateZero,
        ["DaemonSet"] = ["spec.updateStrategy", .. PodTemplateZero],
        ["StatefulSet"] = ["spec.updateStrategy", .. PodTemplateZero],
        ["Job"] = PodTemplateZero,
        ["Pod"] = ["spec.containers"],
        ["Service"] = ["status.loadBalancer"],
        ["PersistentVolumeClaim"] = ["spec.resources"],
        ["ConfigMap"] = [],
        ["Secret"] = [],
        ["ServiceAccount"] = [],
        ["Role"] = [],
        ["ClusterRole"] = [],
        ["RoleBinding"] = ["roleRef"],
        ["ClusterRoleBinding"] = ["roleRef"],
        ["StorageClass"] = [],
        ["Event"] = ["involvedObject", "source"],
        ["Lease"] = ["spec"],
        ["CSIDriver"] = ["spec"],
    };

    /// <summary>Kinds without spec and status; every other kind has both as plain struct fields.</summary>
    private static readonly HashSet<string> FlatKinds = ["ConfigMap", "Secret", "ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "StorageClass", "Event", "Lease", "CSIDriver"];

    /// <summary>The list at <paramref name="fieldPath"/> (field names from the root, list items left out).</summary>
    public static ListSchema ListOf(ResourceKind kind, IReadOnlyList<string> fieldPath) =>
        fieldPath is ["spec", "ports"] && kind.Kind == "Service" ? ServicePorts
        : fieldPath.Count > 0 && ListsByField.TryGetValue(fieldPath[^1], out var list) ? list
        : AtomicList;

    /// <summary>Maps and structs owned whole: label selectors (structType=atomic) and a Service's selector (mapType=atomic).</summary>
    public static bool IsAtomicMap(IReadOnlyList<string> fieldPath) => fieldPath.Count > 0 && fieldPath[^1] == "selector";

    /// <summary>What the API server compares a new object with: the kind's Go zero value as JSON (null for nil slices and pointers).</summary>
    public static JsonObject ZeroObject(ResourceKind kind)
    {
        var zero = new JsonObject { ["metadata"] = new JsonObject() };
        if (!FlatKinds.Contains(kind.Kind))
        {
            zero["spec"] = new JsonObject();
            zero["status"] = new JsonObject();
        }
        foreach (var path in ZeroFields.GetValueOrDefault(kind.Kind, []))
        {
            var segments = path.Split('.');
            var parent = segments[..^1].Aggregate(zero, (node, segment) => node.ObjectAt(segment));
            parent[segments[^1]] = segments[^1] == "containers" ? null : new JsonObject();
        }
        return zero;
    }

    private static ListSchema Keyed(params string[] keys) => new(ListType.Map, keys, NoDefaults);
}
