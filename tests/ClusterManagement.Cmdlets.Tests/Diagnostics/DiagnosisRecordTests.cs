using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Tests.Diagnostics;

/// <summary>A failure that carries a diagnosis reads as the failure, then its cause (ClusterException.Message, which the error record carries).</summary>
public sealed class DiagnosisRecordTests
{
    private const string Failure = "deployment \"web\" exceeded its progress deadline";

    private static readonly Diagnosis PullFailed = new(
        DiagnosisCause.ImagePullFailed,
        "image \"web:9.9\" cannot be pulled (ErrImagePull on 1 of 1 new pods): not found",
        [new DiagnosedObject("Pod", "default", "web-5d8f-a", "ErrImagePull")],
        [new DiagnosisEvidence("Event", "pod/web-5d8f-a", "Failed", "Failed to pull image \"web:9.9\": not found", 2)]);

    [Fact]
    public void TheMessageGetsTheCauseOnItsSecondLine() =>
        Assert.Equal(
            [Failure, "Cause: image \"web:9.9\" cannot be pulled (ErrImagePull on 1 of 1 new pods): not found"],
            WithDiagnosis(PullFailed).Message.Split(Environment.NewLine));

    [Fact]
    public void AFailureWithoutADiagnosisKeepsItsMessageAsItWas() =>
        Assert.Equal(Failure, WithDiagnosis(null).Message);

    [Fact]
    public void APipelineLogGetsFailureAndCauseInOneIssueLine()
    {
        var lines = new List<string>();

        new AzurePipelines(lines.Add).Error(WithDiagnosis(PullFailed).Message, ClusterErrors.AppProgressDeadlineExceeded.Id);

        var line = Assert.Single(lines);
        Assert.StartsWith($"##vso[task.logissue type=error;code=AppProgressDeadlineExceeded]{Failure}", line, StringComparison.Ordinal);
        Assert.EndsWith("%0ACause: image \"web:9.9\" cannot be pulled (ErrImagePull on 1 of 1 new pods): not found", line, StringComparison.Ordinal);
    }

    private static ClusterException WithDiagnosis(Diagnosis? diagnosis) =>
        new(ClusterErrors.AppProgressDeadlineExceeded, Failure, "web") { Diagnosis = diagnosis };
}
