using ClusterManagement.Diagnostics;

namespace ClusterManagement.Tests.Kubernetes;

/// <summary>Keeps every verbose line and warning, for tests that check what an operation said.</summary>
internal sealed class RecordingLog : IOperationLog
{
    public List<string> Messages { get; } = [];
    public void Verbose(string message) { lock (Messages) { Messages.Add(message); } }
    public void Warning(string message) => Verbose(message);
    public void Progress(OperationProgress progress) { }
    public void Secret(string value) { }
}
