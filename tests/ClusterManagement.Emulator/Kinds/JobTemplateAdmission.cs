using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>
/// The one rule of batch/v1 validation that every Job and CronJob meets first: their pods may not
/// restart in place. A template without a restartPolicy is defaulted to Always and so refused too.
/// </summary>
public sealed class JobTemplateAdmission : IAdmissionPlugin
{
    private static readonly string[] Supported = ["OnFailure", "Never"];

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Object is not { } obj || request.Subresource is not null || request.Operation == AdmissionOperation.Delete)
        {
            return ValueTask.CompletedTask;
        }
        string[]? template = request.Kind == GeneratedObjectKindsModule.Jobs ? ["spec", "template"]
            : request.Kind == GeneratedObjectKindsModule.CronJobs ? ["spec", "jobTemplate", "spec", "template"]
            : null;
        if (template is null)
        {
            return ValueTask.CompletedTask;
        }
        var policy = obj.StringAt([.. template, "spec", "restartPolicy"]) ?? "Always";
        if (!Supported.Contains(policy))
        {
            throw Status.Invalid(request.Kind, obj.Name(), ($"{string.Join('.', template)}.spec.restartPolicy", "FieldValueNotSupported",
                $"Unsupported value: \"{policy}\": supported values: {string.Join(", ", Supported.Select(s => $"\"{s}\""))}"));
        }
        return ValueTask.CompletedTask;
    }
}
