using System.Text;
using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Network;

namespace ClusterManagement.Engine.Network.Routes;

/// <summary>
/// Network interface names, by the kernel's own rule (dev_valid_name: 1 to 15 bytes, not "." or
/// "..", no '/', ':' or whitespace). Anything else the kernel allows, "$(x)", ";", quotes and
/// backticks included, so a name read from a node is data that only ever reaches a shell quoted.
/// </summary>
internal static partial class InterfaceNames
{
    public const int MaxBytes = 15;

    /// <summary>Why <paramref name="name"/> cannot be an interface name; null when it can.</summary>
    public static string? Problem(string name)
    {
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes is 0 or > MaxBytes)
        {
            return $"an interface name has 1 to {MaxBytes} bytes, not {bytes}";
        }

        if (name is "." or "..")
        {
            return "an interface name cannot be '.' or '..'";
        }

        // The kernel's isspace() is ASCII only: space, \t, \n, \v, \f, \r.
        return name.IndexOfAny(['/', ':', ' ', '\t', '\n', '\v', '\f', '\r', '\0']) >= 0
            ? "an interface name has no '/', ':', whitespace or NUL"
            : null;
    }

    /// <summary>
    /// Whether the name may become part of a file name and of a file that tools on the node parse,
    /// ifupdown even through /bin/sh: letters, digits, '_', '.', '-', not starting with '-' or '.'.
    /// </summary>
    public static bool IsFileSafe(string name) => Problem(name) is null && FileSafe().IsMatch(name);

    /// <summary>The name, for files the module writes on the node; a name that is not <see cref="IsFileSafe"/> is refused.</summary>
    public static string RequireFileSafe(string name, string? node = null) => IsFileSafe(name)
        ? name
        : throw new ClusterException(ClusterErrors.DeviceNotPersistable, $"The interface name '{NodeShell.Printable(name)}'{(node is null ? "" : $" on {node}")} is one the kernel accepts, but not one the module writes into static-route files (letters, digits, '_', '.', '-' only): the route cannot be persisted.",
            name);

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]*\z")]
    private static partial Regex FileSafe();
}
