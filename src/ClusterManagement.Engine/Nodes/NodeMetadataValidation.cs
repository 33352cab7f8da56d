using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.Nodes;

/// <summary>
/// The name, roles, labels and taints a new Node is given, checked by the API server's rules before
/// the host is touched: refused by the API server only after the join, they would leave a host that
/// runs a kubelet for a Node the module could not finish.
/// </summary>
internal static class NodeMetadataValidation
{
    public const string RolePrefix = "node-role.kubernetes.io/";

    public static void Require(string name, IEnumerable<string> roles, IReadOnlyDictionary<string, string> labels, IEnumerable<NodeTaint> taints)
    {
        Refuse(ClusterErrors.NodeNameInvalid, $"-Name '{name}' is not a valid Node name", ObjectNameRules.Dns1123Subdomain(name), name);
        foreach (var role in roles)
        {
            Refuse(ClusterErrors.RoleInvalid, $"-Role '{role}' cannot become the label {RolePrefix}{role}", ObjectNameRules.QualifiedName(RolePrefix + role), role);
        }

        foreach (var (key, value) in labels)
        {
            Refuse(ClusterErrors.LabelKeyInvalid, $"-Label key '{key}' is not a label key", ObjectNameRules.QualifiedName(key), key);
            Refuse(ClusterErrors.LabelValueInvalid, $"-Label value '{value}' of {key} is not a label value", ObjectNameRules.LabelValue(value), value);
        }

        foreach (var taint in taints)
        {
            Refuse(ClusterErrors.TaintKeyInvalid, $"-Taint key '{taint.Key}' is not a taint key", ObjectNameRules.QualifiedName(taint.Key), taint.ToString());
            Refuse(ClusterErrors.TaintValueInvalid, $"-Taint value '{taint.Value}' of {taint.Key} is not a taint value", ObjectNameRules.LabelValue(taint.Value ?? string.Empty), taint.ToString());
        }
    }

    private static void Refuse(ClusterError error, string what, IReadOnlyList<string> problems, object target)
    {
        if (problems.Count > 0)
        {
            throw new ClusterException(error, $"{what}: {string.Join("; ", problems)}", target);
        }
    }
}
