namespace ClusterManagement.Diagnostics;

/// <summary>
/// The one exception type the engine lets escape. It carries what a PowerShell ErrorRecord needs
/// (a stable id, a kind, the object concerned) and never credentials.
/// </summary>
public sealed class ClusterException : Exception
{
    public ClusterException(ClusterErrorKind kind, string errorId, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
        Target = target;
    }

    public ClusterErrorKind Kind { get; }

    /// <summary>Stable identifier such as <c>NodeNotFound</c>; becomes the ErrorRecord's FullyQualifiedErrorId.</summary>
    public string ErrorId { get; }

    public object? Target { get; }

    /// <summary>The HTTP status the API server answered with, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The API server's own message (from its Status object), when there was one.</summary>
    public string? ServerMessage { get; init; }
}
