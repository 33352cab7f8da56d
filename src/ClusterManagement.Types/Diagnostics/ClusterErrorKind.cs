namespace ClusterManagement.Diagnostics;

/// <summary>What went wrong, in terms a caller can act on; the cmdlet layer maps each to an ErrorCategory.</summary>
public enum ClusterErrorKind
{
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
    Unauthorized,
    Forbidden,
    Unreachable,
    ConfigurationInvalid,

    /// <summary>A parameter value the cmdlet refuses before it calls the engine.</summary>
    InvalidArgument,

    ContextNotFound,
    TooManyRequests,
    ServerError,
    Timeout,
    OperationFailed,

    /// <summary>The server's TLS certificate failed verification: not transient, never retried.</summary>
    CertificateInvalid,
}
