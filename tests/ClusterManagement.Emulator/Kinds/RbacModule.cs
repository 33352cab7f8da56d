using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>
/// Service accounts and rbac.authorization.k8s.io/v1, stored and served only (authorization stays the
/// emulator's fixed users): enough for the RBAC parts of driver manifests to apply and read back.
/// </summary>
public sealed class RbacModule : IEmulatorModule
{
    public static readonly ResourceKind ServiceAccounts = new()
    {
        Group = "", Version = "v1", Plural = "serviceaccounts", Singular = "serviceaccount", Kind = "ServiceAccount",
        HasGeneration = false,
        Namespaced = true, ShortNames = ["sa"],
    };

    public static readonly ResourceKind ClusterRoles = Rbac("clusterroles", "clusterrole", "ClusterRole", namespaced: false);
    public static readonly ResourceKind ClusterRoleBindings = Rbac("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", namespaced: false);
    public static readonly ResourceKind Roles = Rbac("roles", "role", "Role", namespaced: true);
    public static readonly ResourceKind RoleBindings = Rbac("rolebindings", "rolebinding", "RoleBinding", namespaced: true);

    public void Register(EmulatorBuilder builder)
    {
        foreach (var kind in new[] { ServiceAccounts, ClusterRoles, ClusterRoleBindings, Roles, RoleBindings })
        {
            builder.AddKind(kind);
        }
    }

    private static ResourceKind Rbac(string plural, string singular, string kind, bool namespaced) => new()
    {
        Group = "rbac.authorization.k8s.io", Version = "v1", Plural = plural, Singular = singular, Kind = kind, Namespaced = namespaced,
        HasGeneration = false,
        NameRule = NameRule.PathSegment,
    };
}
