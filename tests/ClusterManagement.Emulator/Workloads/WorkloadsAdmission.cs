using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>
/// SetDefaults_DaemonSet and SetDefaults_StatefulSet (apps/v1) and the registry's validation: what a
/// client reads back after a write (kubectl rollout status needs the defaulted update strategy) and
/// the 422s the real server gives.
/// </summary>
public sealed class WorkloadsAdmission(ResourceKind daemonSets) : IAdmissionPlugin
{
    /// <summary>The spec fields a StatefulSet update may change (ValidateStatefulSetUpdate).</summary>
    private static readonly HashSet<string> MutableStatefulSetFields =
        ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var daemon = request.Kind == daemonSets;
        if (request.Object is not { } obj || request.Operation == AdmissionOperation.Delete || !(daemon || request.Kind == WorkloadKinds.StatefulSets))
        {
            return ValueTask.CompletedTask;
        }
        if (request.Subresource is null)
        {
            if (daemon)
            {
                DefaultDaemonSet(obj.ObjectAt("spec"));
            }
            else
            {
                DefaultStatefulSet(obj.ObjectAt("spec"));
            }
            AppsAdmission.DefaultPodTemplate(obj.ObjectAt("spec"));
        }
        var causes = AppsAdmission.ValidateWorkload(obj, request.OldObject);
        var strategy = obj.StringAt("spec", "updateStrategy", "type");
        if (strategy is not null and not ("RollingUpdate" or "OnDelete"))
        {
            causes.Add(("spec.updateStrategy.type", "FieldValueNotSupported", $"Unsupported value: \"{strategy}\": supported values: \"OnDelete\", \"RollingUpdate\""));
        }
        if (obj.StringAt("spec", "template", "spec", "restartPolicy") is { } restart and not "Always")
        {
            causes.Add(("spec.template.spec.restartPolicy", "FieldValueNotSupported", $"Unsupported value: \"{restart}\": supported values: \"Always\""));
        }
        if (!daemon && obj.StringAt("spec", "podManagementPolicy") is { } policy and not ("OrderedReady" or "Parallel"))
        {
            causes.Add(("spec.podManagementPolicy", "FieldValueInvalid", $"Invalid value: \"{policy}\": must be 'OrderedReady' or 'Parallel'"));
        }
        if (!daemon && request.OldObject is { } old && request.Subresource is null && ChangesFixedFields(obj, old))
        {
            causes.Add(("spec", "FieldValueForbidden",
                "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
        }
        if (causes.Count > 0)
        {
            throw Status.Invalid(request.Kind, obj.Name(), [.. causes]);
        }
        return ValueTask.CompletedTask;
    }

    private static void DefaultDaemonSet(JsonObject spec)
    {
        var strategy = spec.ObjectAt("updateStrategy");
        strategy["type"] ??= "RollingUpdate";
        if (strategy.StringAt("type") == "RollingUpdate")
        {
            var rolling = strategy.ObjectAt("rollingUpdate");
            rolling["maxUnavailable"] ??= 1;
            rolling["maxSurge"] ??= 0;
        }
        spec["revisionHistoryLimit"] ??= 10;
    }

    private static void DefaultStatefulSet(JsonObject spec)
    {
        spec["replicas"] ??= 1;
        spec["podManagementPolicy"] ??= "OrderedReady";
        var strategy = spec.ObjectAt("updateStrategy");
        strategy["type"] ??= "RollingUpdate";
        if (strategy.StringAt("type") == "RollingUpdate")
        {
            strategy.ObjectAt("rollingUpdate")["partition"] ??= 0;
        }
        spec["revisionHistoryLimit"] ??= 10;
        var retention = spec.ObjectAt("persistentVolumeClaimRetentionPolicy");
        retention["whenDeleted"] ??= "Retain";
        retention["whenScaled"] ??= "Retain";
        // SetObjectDefaults_StatefulSet runs the claim defaults on every template.
        foreach (var template in spec.ObjectsAt("volumeClaimTemplates"))
        {
            template.ObjectAt("spec")["volumeMode"] ??= "Filesystem";
            template.ObjectAt("status")["phase"] ??= "Pending";
        }
    }

    private static bool ChangesFixedFields(JsonObject obj, JsonObject old)
    {
        var now = obj.At("spec") as JsonObject ?? [];
        var before = old.At("spec") as JsonObject ?? [];
        return now.Select(p => p.Key).Union(before.Select(p => p.Key))
            .Where(k => !MutableStatefulSetFields.Contains(k))
            .Any(k => !JsonNode.DeepEquals(now[k], before[k]));
    }
}
