using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>The name rules apimachinery's validation applies to every create, worded as it words them.</summary>
public static partial class ObjectValidation
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public static void ValidateName(ResourceKind kind, string name)
    {
        if (name.Length == 0)
        {
            throw Status.Invalid(kind, name, ("metadata.name", "FieldValueRequired", "Required value: name or generateName is required"));
        }
        var isNamespace = kind == CoreKinds.Namespaces;
        var valid = isNamespace ? name.Length <= 63 && Label().IsMatch(name) : name.Length <= 253 && Subdomain().IsMatch(name);
        if (!valid)
        {
            throw Status.Invalid(kind, name, ("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {(isNamespace ? LabelMessage : SubdomainMessage)}"));
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
