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

    /// <summary>
    /// A bootstrap token, with the roles kubeadm binds to its group: system:node-bootstrapper (create and
    /// read CertificateSigningRequests), kubeadm:get-nodes, and reading the kubeadm-config, kubelet-config
    /// and kube-proxy ConfigMaps and the kubeadm-certs Secret (kubeadm:kubeadm-certs) in kube-system. It writes no Node.
    /// </summary>
    Bootstrap,

    /// <summary>system:anonymous: only kube-public/cluster-info (kubeadm's Role kubeadm:bootstrap-signer-clusterinfo) and /version.</summary>
    Anonymous,
}

public sealed record EmulatorUser(string Name, IReadOnlyList<string> Groups, AccessLevel Access);
