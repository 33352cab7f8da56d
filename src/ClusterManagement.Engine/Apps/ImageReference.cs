using System.Text.RegularExpressions;

using ClusterManagement.Apps;

namespace ClusterManagement.Engine.Apps;

/// <summary>
/// The container image reference grammar (distribution/reference): [domain/]path[:tag][@digest],
/// checked before any request so a typo never reaches the cluster.
/// </summary>
internal static partial class ImageReference
{
    private const int MaxNameLength = 255;

    [GeneratedRegex(
        @"^(?:(?<domain>(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?)/)?" +
        @"(?<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)" +
        @"(?::(?<tag>[\w][\w.-]{0,127}))?" +
        @"(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    /// <summary>Null when <paramref name="image"/> is a valid reference, else why not.</summary>
    public static string? Problem(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return "an image reference cannot be empty";
        }
        if (image.Any(char.IsWhiteSpace))
        {
            return "an image reference cannot contain spaces";
        }
        var match = Grammar().Match(image);
        if (!match.Success)
        {
            // Docker's own hint: the grammar would accept it in lower case.
            return Grammar().IsMatch(image.ToLowerInvariant())
                ? "the repository name must be lowercase"
                : "expected [registry/]repository[:tag][@digest], where a tag is up to 128 letters, digits, '_', '.' or '-' and a digest is algorithm:hex";
        }
        var nameLength = match.Groups["path"].Length + (match.Groups["domain"].Success ? match.Groups["domain"].Length + 1 : 0);
        return nameLength > MaxNameLength ? $"the repository name is longer than {MaxNameLength} characters" : null;
    }
}
