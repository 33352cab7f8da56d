using ClusterManagement.Diagnostics;

namespace ClusterManagement.Tests.Kubernetes;

/// <summary>Keeps every verbose line and warning, and every progress report, for tests that check what an operation said.</summary>
internal sealed class RecordingLog : IOperationLog
{
    public List<string> Messages { get; } = [];
    public void Verbose(string message) { lock (Messages) { Messages.Add(message); } }
    public void Warning(string message) => Verbose(message);
    public List<OperationProgress> ProgressReports { get; } = [];
    public void Progress(OperationProgress progress) { lock (Messages) { ProgressReports.Add(progress); Messages.Add($"progress: {progress.Status}"); } }
    public void Secret(string value) { }
}
