using System.Globalization;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Azure Pipelines logging commands (<c>##[group]</c>, <c>##vso[...]</c>) for when the module runs in a
/// pipeline job. The agent only reads them from the step's standard output, so they are host lines;
/// anywhere else they would be noise, hence <see cref="FromEnvironment"/> returns null there.
/// </summary>
internal sealed class AzurePipelines
{
    private readonly Action<string> emit;
    private int lastPercent = -1;

    internal AzurePipelines(Action<string> emit) => this.emit = emit;

    /// <summary>The agent sets TF_BUILD in every job it runs; nothing else does.</summary>
    internal static AzurePipelines? FromEnvironment(Action<string> emit) =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TF_BUILD")) ? null : new AzurePipelines(emit);

    /// <summary>
    /// Groups cannot nest in the log view, so callers open one per node or rollout, one at a time. The agent
    /// shows a group's title as it is (no unescaping), so only line breaks, which would end it, are replaced.
    /// </summary>
    public void BeginGroup(string title) => emit("##[group]" + title.ReplaceLineEndings(" "));

    public void EndGroup() => emit("##[endgroup]");

    /// <summary>
    /// Task-level progress: the agent keeps only the last value, so repeats are left out, and so are bars nested
    /// under another: across several contexts each context's bar is nested under the bar of contexts done, and
    /// their values, taken in turn, would make the task's jump back and forth.
    /// </summary>
    public void Progress(int percentComplete, string activity, bool nested)
    {
        if (nested || percentComplete < 0 || percentComplete == lastPercent)
        {
            return;
        }

        lastPercent = Math.Min(percentComplete, 100);
        emit($"##vso[task.setprogress value={lastPercent.ToString(CultureInfo.InvariantCulture)};]{EscapeData(activity)}");
    }

    public void Warning(string message) => emit($"##vso[task.logissue type=warning]{EscapeData(message)}");

    public void Error(string message, string? errorId) =>
        emit(errorId is null
            ? $"##vso[task.logissue type=error]{EscapeData(message)}"
            : $"##vso[task.logissue type=error;code={EscapeProperty(errorId)}]{EscapeData(message)}");

    /// <summary>
    /// Masks a value the module generated (a bootstrap token, say) in the rest of the job's log. Must run
    /// before the value reaches any stream, or the earlier line stays readable.
    /// </summary>
    public void SetSecret(string secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            emit("##vso[task.setsecret]" + EscapeData(secret));
        }
    }

    // The agent's own rules (azure-pipelines-task-lib escapedata/escape): '%' first so the others stay decodable.
    internal static string EscapeData(string value) =>
        value.Replace("%", "%AZP25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    internal static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace("]", "%5D", StringComparison.Ordinal)
            .Replace(";", "%3B", StringComparison.Ordinal);
}
