namespace ClusterManagement.Diagnostics;

/// <summary>
/// How the engine reports what it is doing. The cmdlet layer maps this onto PowerShell's
/// streams; the engine itself must stay usable without PowerShell.
/// </summary>
public interface IOperationLog
{
    void Verbose(string message);
    void Warning(string message);
    void Progress(OperationProgress progress);

    /// <summary>
    /// A secret the module generated itself (a bootstrap token): a host that masks secrets in its
    /// logs, as Azure Pipelines does, is told about it before the secret is used. Nothing is written.
    /// </summary>
    void Secret(string value);
}

/// <param name="ActivityId">Distinguishes concurrent progress bars (one per node, say).</param>
/// <param name="PercentComplete">-1 when unknown.</param>
public sealed record OperationProgress(
    int ActivityId,
    string Activity,
    string Status,
    int PercentComplete = -1,
    bool Completed = false,
    int ParentActivityId = -1);

public sealed class NullOperationLog : IOperationLog
{
    public static readonly NullOperationLog Instance = new();
    public void Verbose(string message) { }
    public void Warning(string message) { }
    public void Progress(OperationProgress progress) { }
    public void Secret(string value) { }
}
