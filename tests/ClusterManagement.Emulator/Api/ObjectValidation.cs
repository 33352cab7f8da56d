using System.Text.Json.Nodes;
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

    private const string NamePartMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /// <summary>ValidateLabels of apimachinery's ObjectMeta validation: every key a qualified name, every value a label value; all causes at once.</summary>
    public static void ValidateLabels(ResourceKind kind, JsonObject obj)
    {
        if (obj.At("metadata", "labels") is not JsonObject labels)
        {
            return;
        }
        var causes = new List<(string Field, string Reason, string Message)>();
        void Add(string value, string message) => causes.Add(("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{value}\": {message}"));
        foreach (var (key, node) in labels)
        {
            var slash = key.IndexOf('/');
            var (prefix, name) = slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
            if (name.Contains('/'))
            {
                Add(key, "a qualified name " + NamePartMessage + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                continue;
            }
            if (prefix is not null)
            {
                if (prefix.Length == 0)
                {
                    Add(key, "prefix part must be non-empty");
                }
                else
                {
                    if (prefix.Length > 253)
                    {
                        Add(key, "prefix part must be no more than 253 characters");
                    }
                    if (!Subdomain().IsMatch(prefix))
                    {
                        Add(key, "prefix part " + SubdomainMessage);
                    }
                }
            }
            if (name.Length == 0)
            {
                Add(key, "name part must be non-empty");
            }
            else if (name.Length > 63)
            {
                Add(key, "name part must be no more than 63 characters");
            }
            if (!NamePart().IsMatch(name))
            {
                Add(key, "name part " + NamePartMessage);
            }
            var value = node?.GetValue<string>() ?? "";
            if (value.Length > 63)
            {
                Add(value, "must be no more than 63 characters");
            }
            if (value.Length > 0 && !NamePart().IsMatch(value))
            {
                Add(value, LabelValueMessage);
            }
        }
        if (causes.Count > 0)
        {
            throw Status.Invalid(kind, obj.Name(), [.. causes]);
        }
    }

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z")]
    private static partial Regex NamePart();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex Label();
}
