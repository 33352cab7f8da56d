using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>The core/v1 kinds served from the start. Later kinds follow the same pattern in their own file.</summary>
public static class CoreKinds
{
    public static readonly ResourceKind Namespaces = new()
    {
        Group = "", Version = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace",
        HasGeneration = false,
        Namespaced = false, ShortNames = ["ns"], NameRule = NameRule.Dns1123Label,
        Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"],
        Subresources = [Subresource.Status("Namespace")],
        Table = new NamespaceTable(),
        SelectableFields = new Dictionary<string, Func<JsonObject, string>>
        {
            ["status.phase"] = o => o.StringAt("status", "phase") ?? "",
        },
    };

    public static readonly ResourceKind Nodes = new()
    {
        Group = "", Version = "v1", Plural = "nodes", Singular = "node", Kind = "Node",
        HasGeneration = false,
        Namespaced = false, ShortNames = ["no"],
        Subresources = [Subresource.Status("Node")],
        Table = new NodeTable(),
        SelectableFields = new Dictionary<string, Func<JsonObject, string>>
        {
            ["spec.unschedulable"] = o => o.BoolAt("spec", "unschedulable") ? "true" : "false",
        },
    };

    public static readonly ResourceKind Pods = new()
    {
        Group = "", Version = "v1", Plural = "pods", Singular = "pod", Kind = "Pod",
        HasGeneration = false,
        Namespaced = true, ShortNames = ["po"], Categories = ["all"],
        Subresources =
        [
            Subresource.Status("Pod"),
            new Subresource("eviction", "Eviction", ["create"]) { Group = "policy", Version = "v1" },
        ],
        Table = new PodTable(),
        SelectableFields = new Dictionary<string, Func<JsonObject, string>>
        {
            ["spec.nodeName"] = o => o.StringAt("spec", "nodeName") ?? "",
            ["status.phase"] = o => o.StringAt("status", "phase") ?? "",
        },
        DefaultGracePeriodSeconds = o => o.LongAt("spec", "terminationGracePeriodSeconds") ?? 30,
    };

    public static readonly ResourceKind Services = new()
    {
        Group = "", Version = "v1", Plural = "services", Singular = "service", Kind = "Service",
        HasGeneration = false,
        Namespaced = true, ShortNames = ["svc"], Categories = ["all"], NameRule = NameRule.Dns1035Label,
        Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
        Subresources = [Subresource.Status("Service")],
    };

    public static readonly ResourceKind Events = new()
    {
        Group = "", Version = "v1", Plural = "events", Singular = "event", Kind = "Event",
        HasGeneration = false,
        Namespaced = true, ShortNames = ["ev"],
        Table = new EventTable(),
        // The event registry's selectable fields; kubectl describe finds an object's events by involvedObject.*.
        SelectableFields = new Dictionary<string, Func<JsonObject, string>>
        {
            ["involvedObject.kind"] = o => o.StringAt("involvedObject", "kind") ?? "",
            ["involvedObject.namespace"] = o => o.StringAt("involvedObject", "namespace") ?? "",
            ["involvedObject.name"] = o => o.StringAt("involvedObject", "name") ?? "",
            ["involvedObject.uid"] = o => o.StringAt("involvedObject", "uid") ?? "",
            ["involvedObject.apiVersion"] = o => o.StringAt("involvedObject", "apiVersion") ?? "",
            ["involvedObject.resourceVersion"] = o => o.StringAt("involvedObject", "resourceVersion") ?? "",
            ["involvedObject.fieldPath"] = o => o.StringAt("involvedObject", "fieldPath") ?? "",
            ["reason"] = o => o.StringAt("reason") ?? "",
            ["reportingComponent"] = o => o.StringAt("reportingComponent") ?? "",
            ["source"] = o => o.StringAt("source", "component") ?? "",
            ["type"] = o => o.StringAt("type") ?? "",
        },
    };

    public static readonly ResourceKind Secrets = new()
    {
        Group = "", Version = "v1", Plural = "secrets", Singular = "secret", Kind = "Secret",
        HasGeneration = false,
        Namespaced = true,
    };

    public static readonly ResourceKind ConfigMaps = new()
    {
        Group = "", Version = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap",
        HasGeneration = false,
        Namespaced = true, ShortNames = ["cm"],
    };

    public static IReadOnlyList<ResourceKind> All { get; } = [Namespaces, Nodes, Pods, Services, Events, Secrets, ConfigMaps];
}
