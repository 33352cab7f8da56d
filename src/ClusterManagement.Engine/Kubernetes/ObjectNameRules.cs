using System.Text.RegularExpressions;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// apimachinery's name rules (k8s.io/apimachinery/pkg/util/validation: IsDNS1123Subdomain,
/// IsQualifiedName, IsValidLabelValue) with the API server's wording, so that the module refuses
/// locally, before a host changes, exactly what the API server would refuse afterwards.
/// Each returns the reasons a value breaks the rule; none when it keeps it.
/// </summary>
internal static partial class ObjectNameRules
{
    public const int SubdomainMaxLength = 253;
    public const int NameMaxLength = 63;

    private const string SubdomainFormat = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFormat = "(" + QualifiedNameFormat + ")?";

    public static IReadOnlyList<string> Dns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > SubdomainMaxLength)
        {
            errors.Add(MaxLength(SubdomainMaxLength));
        }

        if (!Subdomain().IsMatch(value))
        {
            errors.Add(RegexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                SubdomainFormat,
                "example.com"));
        }

        return errors;
    }

    /// <summary>A label or taint key: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static IReadOnlyList<string> QualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    errors.Add("prefix part must be non-empty");
                }
                else
                {
                    errors.AddRange(Dns1123Subdomain(parts[0]).Select(e => "prefix part " + e));
                }

                break;
            default:
                return
                [
                    "a qualified name " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                ];
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > NameMaxLength)
        {
            errors.Add("name part " + MaxLength(NameMaxLength));
        }

        if (!Qualified().IsMatch(name))
        {
            errors.Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        }

        return errors;
    }

    /// <summary>A label value (also a taint value): empty, or at most 63 characters of the qualified-name charset.</summary>
    public static IReadOnlyList<string> LabelValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > NameMaxLength)
        {
            errors.Add(MaxLength(NameMaxLength));
        }

        if (!Value().IsMatch(value))
        {
            errors.Add(RegexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                LabelValueFormat,
                "MyValue",
                "my_value",
                "12345"));
        }

        return errors;
    }

    private const string QualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private static string MaxLength(int length) => $"must be no more than {length} characters";

    // apimachinery's RegexError, double space before "or" included.
    private static string RegexError(string message, string format, params string[] examples) =>
        $"{message} (e.g. {string.Join(" or ", examples.Select(e => $"'{e}', "))}regex used for validation is '{format}')";

    [GeneratedRegex("^" + SubdomainFormat + @"\z")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^" + QualifiedNameFormat + @"\z")]
    private static partial Regex Qualified();

    [GeneratedRegex("^" + LabelValueFormat + @"\z")]
    private static partial Regex Value();
}
