using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Autoscaling;

/// <summary>
/// autoscaling/v2 HorizontalPodAutoscalers: stored, defaulted, validated and printed as the real server
/// does. No controller computes their status: the emulator has no metrics server, so a real HPA would
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

    public void Register(EmulatorBuilder builder) => builder
        .AddKind(HorizontalPodAutoscalers)
        .AddAdmission(new HorizontalPodAutoscalerAdmission());
}
