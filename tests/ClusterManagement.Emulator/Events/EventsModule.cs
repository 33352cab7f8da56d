using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Events;

/// <summary>events.k8s.io/v1, the Events API kubectl events and the module read first: a view of the core/v1 Events.</summary>
public sealed class EventsModule : IEmulatorModule
{
    public static readonly ResourceKind EventsV1 = CoreKinds.Events with
    {
        Group = "events.k8s.io",
        Version = "v1",
        Verbs = ["get", "list", "watch"],
        // The events.k8s.io field labels, converted to the stored fields as pkg/apis/events/v1's AddFieldLabelConversionsForEvent does; no "source".
        SelectableFields = new Dictionary<string, Func<JsonObject, string>>
        {
            ["regarding.kind"] = o => o.StringAt("involvedObject", "kind") ?? "",
            ["regarding.namespace"] = o => o.StringAt("involvedObject", "namespace") ?? "",
            ["regarding.name"] = o => o.StringAt("involvedObject", "name") ?? "",
            ["regarding.uid"] = o => o.StringAt("involvedObject", "uid") ?? "",
            ["regarding.apiVersion"] = o => o.StringAt("involvedObject", "apiVersion") ?? "",
            ["regarding.resourceVersion"] = o => o.StringAt("involvedObject", "resourceVersion") ?? "",
            ["regarding.fieldPath"] = o => o.StringAt("involvedObject", "fieldPath") ?? "",
            ["reason"] = o => o.StringAt("reason") ?? "",
            ["reportingController"] = o => o.StringAt("reportingComponent") ?? "",
            ["type"] = o => o.StringAt("type") ?? "",
        },
    };

    public void Register(EmulatorBuilder builder) => builder
        .AddKind(EventsV1)
        .SetVersionView(EventsV1, new EventsV1View())
        .AddSeeder(new EventSeeder());
}
