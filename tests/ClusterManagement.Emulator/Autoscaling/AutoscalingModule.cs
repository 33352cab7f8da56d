using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Autoscaling;

/// <summary>
/// autoscaling/v2 HorizontalPodAutoscalers: stored, defaulted, validated and printed as the real server
/// does, and served as autoscaling/v1 too. No controller computes their status: the emulator has no metrics server, so a real HPA would
/// not scale either (it reports ScalingActive False).
/// </summary>
public sealed class AutoscalingModule : IEmulatorModule
{
    public static readonly ResourceKind HorizontalPodAutoscalers = new()
    {
        Group = "autoscaling", Version = "v2", Plural = "horizontalpodautoscalers", Singular = "horizontalpodautoscaler",
        Kind = "HorizontalPodAutoscaler", Namespaced = true, ShortNames = ["hpa"], Categories = ["all"],
        Subresources = [Subresource.Status("HorizontalPodAutoscaler")],
        Table = new HorizontalPodAutoscalerTable(),
    };

    /// <summary>autoscaling/v1, what kubectl 1.32's <c>autoscale</c> sends: served as a view of the stored v2 objects.</summary>
    public static readonly ResourceKind HorizontalPodAutoscalersV1 = HorizontalPodAutoscalers with
    {
        Version = "v1",
        Verbs = ["create", "delete", "get", "list", "patch", "update"],
    };

    public void Register(EmulatorBuilder builder) => builder
        .AddKind(HorizontalPodAutoscalers)
        .AddKind(HorizontalPodAutoscalersV1)
        .SetVersionView(HorizontalPodAutoscalersV1, new HorizontalPodAutoscalerV1View(HorizontalPodAutoscalers))
        .AddAdmission(new HorizontalPodAutoscalerAdmission());
}
