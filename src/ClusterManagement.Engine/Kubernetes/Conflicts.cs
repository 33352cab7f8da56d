using ClusterManagement.Diagnostics;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Read-modify-write against optimistic concurrency: when someone else changed the object between
/// our read and our write (409 Conflict), read it again and reapply the change, a bounded number of
/// times, as kubectl and the controllers do.
/// </summary>
internal static class Conflicts
{
    public const int MaxAttempts = 5;

    /// <param name="readModifyWrite">Must read the object afresh on every call.</param>
    public static Task<T> RetryAsync<T>(
        Func<CancellationToken, Task<T>> readModifyWrite,
        ResourceRef resource,
        IOperationLog log,
        CancellationToken cancellationToken) =>
        RetryAsync(readModifyWrite, resource, log.Verbose, cancellationToken);

    /// <summary>The same, for services without a log of their own: the retries show with the command's API requests.</summary>
    /// <param name="write">Reads the object afresh on every call, or is a write that does not depend on a read (a merge patch, a delete).</param>
    public static Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> write, ResourceRef resource, CancellationToken cancellationToken) =>
        RetryAsync(write, resource, ApiRequestLog.Note, cancellationToken);

    private static async Task<T> RetryAsync<T>(
        Func<CancellationToken, Task<T>> readModifyWrite,
        ResourceRef resource,
        Action<string> verbose,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await readModifyWrite(cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.Conflict)
            {
                if (attempt == MaxAttempts)
                {
                    throw new ClusterException(
                        e.Error,
                        $"{resource} kept changing under us; gave up after {MaxAttempts} attempts. {e.ServerMessage}",
                        e.Target,
                        e)
                    {
                        StatusCode = e.StatusCode,
                        ServerMessage = e.ServerMessage,
                    };
                }

                verbose($"{resource} was changed by someone else; reading it again (attempt {attempt + 1} of {MaxAttempts}).");
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
