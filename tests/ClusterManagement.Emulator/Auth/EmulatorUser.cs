namespace ClusterManagement.Emulator.Auth;

/// <summary>What a user may do: the shapes of RBAC the module's tests need, not RBAC itself.</summary>
public enum AccessLevel
{
    /// <summary>Everything (cluster-admin, system:masters).</summary>
    Admin,

    /// <summary>get, list and watch only; every write is 403.</summary>
    ReadOnly,

    /// <summary>Reads everything, writes what a kubelet writes: nodes, node and pod status, events, leases.</summary>
    Node,

    /// <summary>A bootstrap token: reads, and creates CertificateSigningRequests (system:node-bootstrapper); it writes no Node.</summary>
    Bootstrap,
}

public sealed record EmulatorUser(string Name, IReadOnlyList<string> Groups, AccessLevel Access);
