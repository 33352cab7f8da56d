using System.Management.Automation;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Builds ErrorRecords with specific ids, categories and target objects, never a bare NotSpecified.</summary>
public static class ErrorRecords
{
    public static ErrorRecord From(ClusterException exception)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), exception.Target);
        var action = RecommendedAction(exception.Kind);
        if (action is not null)
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = action };
        }

        return record;
    }

    public static ErrorRecord NotFound(string kind, string name) =>
        From(new ClusterException(ClusterErrors.Resource.NotFound.About(kind), $"{kind} '{name}' was not found.", name));

    public static ErrorRecord InvalidArgument(ClusterError error, string message, object? target) =>
        new(new ArgumentException(message), error.Id, CategoryOf(error.Kind), target);

    /// <summary>A refusal of the cmdlet itself (not of the engine), such as a prompt the session cannot show.</summary>
    public static ErrorRecord InvalidOperation(ClusterError error, string message, object? target, Exception? inner = null) =>
        new(new InvalidOperationException(message, inner), error.Id, CategoryOf(error.Kind), target);

    internal static ErrorCategory CategoryOf(ClusterErrorKind kind) => kind switch
    {
        ClusterErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        ClusterErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        ClusterErrorKind.Conflict => ErrorCategory.ResourceBusy,
        ClusterErrorKind.Invalid => ErrorCategory.InvalidData,
        ClusterErrorKind.Unauthorized => ErrorCategory.AuthenticationError,
        ClusterErrorKind.Forbidden => ErrorCategory.PermissionDenied,
        ClusterErrorKind.Unreachable => ErrorCategory.ConnectionError,
        ClusterErrorKind.ConfigurationInvalid => ErrorCategory.InvalidArgument,
        ClusterErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ClusterErrorKind.ContextNotFound => ErrorCategory.ObjectNotFound,
        ClusterErrorKind.TooManyRequests => ErrorCategory.LimitsExceeded,
        ClusterErrorKind.ServerError => ErrorCategory.InvalidResult,
        ClusterErrorKind.Timeout => ErrorCategory.OperationTimeout,
        ClusterErrorKind.CertificateInvalid => ErrorCategory.SecurityError,
        _ => ErrorCategory.InvalidOperation,
    };

    private static string? RecommendedAction(ClusterErrorKind kind) => kind switch
    {
        ClusterErrorKind.Unauthorized => "Refresh the credentials of this kubeconfig context, or pick another with -Context.",
        ClusterErrorKind.Forbidden => "Ask a cluster administrator for the RBAC permission the message names.",
        ClusterErrorKind.Unreachable => "Check that the API server in the kubeconfig is running and reachable from here.",
        ClusterErrorKind.ContextNotFound => "List the contexts with Get-ClusterContext.",
        ClusterErrorKind.CertificateInvalid =>
            "Check that the kubeconfig's server address and certificate-authority-data belong to this cluster, and that its serving certificate is current.",
        _ => null,
    };
}
