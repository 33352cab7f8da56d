using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Tables;

/// <summary>printers.go printNode, including its quirks (roles from two label forms, "&lt;unknown&gt;" runtime fields).</summary>
public sealed class NodeTable : ITableConverter
{
    private const string RolePrefix = "node-role.kubernetes.io/";
    private const string LegacyRoleLabel = "kubernetes.io/role";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Status", "string", "The status of the node"),
        new("Roles", "string", "The roles of the node"),
        TableColumn.AgeColumn,
        new("Version", "string", "Kubelet Version reported by the node."),
        new("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", Priority: 1),
        new("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", Priority: 1),
        new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", Priority: 1),
        new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", Priority: 1),
        new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", Priority: 1),
    ];

    public JsonArray Cells(JsonObject obj, DateTimeOffset now)
    {
        var info = obj.At("status", "nodeInfo");
        return
        [
            obj.Name(),
            StatusText(obj),
            Roles(obj),
            HumanDuration.Since(obj.StringAt("metadata", "creationTimestamp"), now),
            info.StringAt("kubeletVersion") ?? "",
            Address(obj, "InternalIP"),
            Address(obj, "ExternalIP"),
            OrUnknown(info.StringAt("osImage")),
            OrUnknown(info.StringAt("kernelVersion")),
            OrUnknown(info.StringAt("containerRuntimeVersion")),
        ];
    }

    public static string StatusText(JsonObject node)
    {
        var ready = node.Condition("Ready");
        var status = ready is null ? "Unknown" : ready.StringAt("status") == "True" ? "Ready" : "NotReady";
        return node.BoolAt("spec", "unschedulable") ? status + ",SchedulingDisabled" : status;
    }

    private static string Roles(JsonObject node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Labels() ?? [])
        {
            if (key.StartsWith(RolePrefix, StringComparison.Ordinal) && key.Length > RolePrefix.Length)
            {
                roles.Add(key[RolePrefix.Length..]);
            }
            else if (key == LegacyRoleLabel && value?.GetValue<string>() is { Length: > 0 } role)
            {
                roles.Add(role);
            }
        }
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    private static string Address(JsonObject node, string type) =>
        node.ObjectsAt("status", "addresses").FirstOrDefault(a => a.StringAt("type") == type)?.StringAt("address") ?? "<none>";

    private static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;
}
