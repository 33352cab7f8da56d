using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// apimachinery's ObjectMeta validation (pkg/api/validation/objectmeta.go) and the string checks of
/// pkg/util/validation it is built from, worded as they word them: the name by the kind's rule on
/// create, every label key and value and every annotation key on every write, and the annotations'
/// total size. All causes come back in one 422, as the real server collects them.
/// </summary>
public static partial class ObjectValidation
{
    /// <summary>TotalAnnotationSizeLimitB: keys and values together.</summary>
    public const int AnnotationSizeLimit = 256 * 1024;

    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string Dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private const string NamePartMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /// <summary>The causes of a write's metadata; <paramref name="creating"/> adds the name, which an update may not change anyway.</summary>
    public static void ValidateMetadata(ResourceKind kind, JsonObject obj, bool creating)
    {
        var causes = new List<(string Field, string Reason, string Message)>();
        if (creating)
        {
            var name = obj.Name();
            if (name.Length == 0)
            {
                causes.Add(("metadata.name", "FieldValueRequired", "Required value: name or generateName is required"));
            }
            causes.AddRange(NameErrors(kind.NameRule, name).Select(m => Invalid("metadata.name", name, m)));
        }
        if (obj.At("metadata", "labels") is JsonObject labels)
        {
            foreach (var (key, node) in labels)
            {
                causes.AddRange(QualifiedNameErrors(key).Select(m => Invalid("metadata.labels", key, m)));
                var value = node?.GetValue<string>() ?? "";
                causes.AddRange(LabelValueErrors(value).Select(m => Invalid("metadata.labels", value, m)));
            }
        }
        if (obj.At("metadata", "annotations") is JsonObject annotations)
        {
            long size = 0;
            foreach (var (key, node) in annotations)
            {
                // Annotation keys are qualified names in any case.
                causes.AddRange(QualifiedNameErrors(key.ToLowerInvariant()).Select(m => Invalid("metadata.annotations", key, m)));
                size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(node?.GetValue<string>() ?? "");
            }
            if (size > AnnotationSizeLimit)
            {
                causes.Add(("metadata.annotations", "FieldValueTooLong", $"Too long: must have at most {AnnotationSizeLimit} bytes"));
            }
        }
        if (causes.Count > 0)
        {
            throw Status.Invalid(kind, obj.Name(), [.. causes]);
        }
    }

    /// <summary>A field.Invalid cause: the value quoted as Go's %q quotes a string.</summary>
    public static (string Field, string Reason, string Message) Invalid(string field, string value, string detail) =>
        (field, "FieldValueInvalid", $"Invalid value: {GoQuote(value)}: {detail}");

    public static string GoQuote(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\r", "\\r") + "\"";

    public static IEnumerable<string> NameErrors(NameRule rule, string name)
    {
        if (name.Length == 0)
        {
            return [];
        }
        return rule switch
        {
            NameRule.Dns1123Label => LengthAndPattern(name, 63, Label(), LabelMessage),
            NameRule.Dns1035Label => LengthAndPattern(name, 63, Dns1035(), Dns1035Message),
            NameRule.PathSegment => PathSegmentErrors(name),
            _ => LengthAndPattern(name, 253, Subdomain(), SubdomainMessage),
        };
    }

    /// <summary>IsQualifiedName: an optional DNS subdomain prefix and '/', then a name part of at most 63 characters.</summary>
    public static IEnumerable<string> QualifiedNameErrors(string value)
    {
        var parts = value.Split('/');
        if (parts.Length > 2)
        {
            yield return "a qualified name " + NamePartMessage + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
            yield break;
        }
        var name = parts[^1];
        if (parts.Length == 2)
        {
            if (parts[0].Length == 0)
            {
                yield return "prefix part must be non-empty";
            }
            else
            {
                foreach (var message in LengthAndPattern(parts[0], 253, Subdomain(), SubdomainMessage))
                {
                    yield return "prefix part " + message;
                }
            }
        }
        if (name.Length == 0)
        {
            yield return "name part must be non-empty";
        }
        else if (name.Length > 63)
        {
            yield return "name part must be no more than 63 characters";
        }
        if (!NamePart().IsMatch(name))
        {
            yield return "name part " + NamePartMessage;
        }
    }

    /// <summary>IsValidLabelValue: empty, or at most 63 characters of the name-part alphabet.</summary>
    public static IEnumerable<string> LabelValueErrors(string value)
    {
        if (value.Length > 63)
        {
            yield return "must be no more than 63 characters";
        }
        if (value.Length > 0 && !NamePart().IsMatch(value))
        {
            yield return LabelValueMessage;
        }
    }

    private static IEnumerable<string> LengthAndPattern(string value, int maxLength, Regex pattern, string message)
    {
        if (value.Length > maxLength)
        {
            yield return $"must be no more than {maxLength} characters";
        }
        if (!pattern.IsMatch(value))
        {
            yield return message;
        }
    }

    private static IEnumerable<string> PathSegmentErrors(string name)
    {
        if (name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }
        return new[] { "/", "%" }.Where(name.Contains).Select(s => $"may not contain '{s}'");
    }

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z")]
    private static partial Regex NamePart();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex Dns1035();
}
