using System.Collections;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

public sealed class StorageClassNameCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        new StorageClassService(connection, Diagnostics.NullOperationLog.Instance).ListNamesAsync(cancellationToken);
}

public sealed class CsiDriverNameCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        new CsiDriverService(connection).ListNamesAsync(cancellationToken);
}

public sealed class CsiVolumeClaimNameCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        new VolumeClaimService(connection, Diagnostics.NullOperationLog.Instance)
            .ListNamesAsync(connection.ResolveNamespace(boundParameters["Namespace"] as string), cancellationToken);
}

public sealed class CsiVolumeNameCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        new VolumeService(connection).ListNamesAsync(cancellationToken);
}
