using ClusterManagement.Connection;

namespace ClusterManagement.NodeHosts;

/// <summary>A node's configuration archive (tar.gz) on the local machine.</summary>
public sealed class NodeBackup : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }
    public required string Path { get; init; }

    /// <summary>Regular files in the archive.</summary>
    public required int Files { get; init; }

    public required long Bytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the archive, to check copies against.</summary>
    public required string Sha256 { get; init; }

    /// <summary>True when the archive holds an etcd snapshot (etcd/snapshot.db).</summary>
    public required bool EtcdSnapshot { get; init; }

    public required DateTime Created { get; init; }

    public override string ToString() => Path;
}
