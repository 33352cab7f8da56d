namespace ClusterManagement.Diagnostics;

/// <summary>
/// The one exception type the engine lets escape. It carries what a PowerShell ErrorRecord needs
/// (an entry of <see cref="ClusterErrors"/>, the object concerned) and never credentials.
/// </summary>
public sealed class ClusterException : Exception
{
    public ClusterException(ClusterError error, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        Target = target;
    }

    public ClusterError Error { get; }

    public ClusterErrorKind Kind => Error.Kind;

    /// <summary>Stable identifier such as <c>NodeNotFound</c>; becomes the ErrorRecord's FullyQualifiedErrorId.</summary>
    public string ErrorId => Error.Id;

    public object? Target { get; }

    /// <summary>The HTTP status the API server answered with, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The API server's own message (from its Status object), when there was one.</summary>
    public string? ServerMessage { get; init; }

    /// <summary>Why the cluster did not reach what the operation waited for, when it was read.</summary>
    public Diagnosis? Diagnosis { get; init; }

    /// <summary>
    /// The failure as worded, then the cause the diagnosis found on a line of its own, so a console, a
    /// pipeline log or a result that keeps only the text says why without another command. Composed here
    /// alone: a failure rewrapped with more context keeps its cause in the text it carries on.
    /// </summary>
    public override string Message => Diagnosis is null ? base.Message : $"{base.Message}{Environment.NewLine}Cause: {Diagnosis.Summary}";
}
