using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Quota;

/// <summary>printers.go printResourceQuota: "name: used/hard" per resource, limits.* in LIMIT, the rest in REQUEST.</summary>
public sealed class ResourceQuotaTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.AgeColumn,
        new("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
        new("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
    ];

    public JsonArray Cells(JsonObject quota, DateTimeOffset now)
    {
        var used = ResourceQuotaAdmission.Amounts(quota.At("status", "used"));
        var hard = ResourceQuotaAdmission.Amounts(quota.At("status", "hard"));
        var requests = new List<string>();
        var limits = new List<string>();
        foreach (var name in (quota.At("spec", "hard") as JsonObject ?? []).Select(r => r.Key).Order(StringComparer.Ordinal))
        {
            var pieces = name.Split('.');
            (pieces.Length > 1 && pieces[0] == "limits" ? limits : requests)
                .Add($"{name}: {(used.TryGetValue(name, out var u) ? u : default)}/{(hard.TryGetValue(name, out var h) ? h : default)}");
        }
        return [quota.Name(), HumanDuration.Since(quota.StringAt("metadata", "creationTimestamp"), now), string.Join(", ", requests), string.Join(", ", limits)];
    }
}
