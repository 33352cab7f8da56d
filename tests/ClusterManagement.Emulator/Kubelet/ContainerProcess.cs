using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kubelet;

/// <summary>How and when a started container's process ends: its exit code, after how long, and what it wrote to its terminationMessagePath.</summary>
public sealed record ProcessEnd(int ExitCode, TimeSpan After, string? TerminationMessage);

/// <summary>
/// What a container's process does once started. An image declared to exit (<see cref="ImageBehaviour.ExitCode"/>)
/// does so whatever the pod says. Otherwise the command line (command and args) decides: <c>sleep N</c> runs N
/// seconds (<c>sleep infinity</c> for ever) and <c>exit N</c> ends with code N, under every restartPolicy. A
/// command naming neither, or none (the image's entrypoint, as busybox's sh), ends with 0 at once in a pod
/// that restarts Never or OnFailure (a Job's work item), and runs until stopped in one that restarts Always,
/// where it stands for a server.
/// </summary>
public static partial class ContainerProcess
{
    [GeneratedRegex(@"(?:^|[\s;&|(])sleep\s+(?<seconds>\d+|infinity)\b")]
    private static partial Regex Sleep();

    [GeneratedRegex(@"(?:^|[\s;&|(])exit\s+(?<code>\d+)\b")]
    private static partial Regex Exit();

    /// <summary>The end of the container's process; null when it runs until the kubelet stops it.</summary>
    public static ProcessEnd? EndOf(JsonObject container, ImageBehaviour image, string restartPolicy)
    {
        if (image.ExitCode is { } declared)
        {
            return new ProcessEnd(declared, TimeSpan.FromSeconds(image.RunSeconds), image.TerminationMessage);
        }
        var commandLine = string.Join(' ', new[] { "command", "args" }.SelectMany(f => container[f] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? ""));
        var sleep = Sleep().Match(commandLine);
        var exit = Exit().Match(commandLine);
        if ((sleep.Success && sleep.Groups["seconds"].Value == "infinity") || (!sleep.Success && !exit.Success && restartPolicy == "Always"))
        {
            return null;
        }
        var runTime = sleep.Success ? TimeSpan.FromSeconds(long.Parse(sleep.Groups["seconds"].Value, CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        var code = exit.Success ? int.Parse(exit.Groups["code"].Value, CultureInfo.InvariantCulture) % 256 : 0;
        return new ProcessEnd(code, runTime, null);
    }
}
