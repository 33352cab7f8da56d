using System.Globalization;

namespace ClusterManagement.Emulator;

/// <summary>The standalone program's arguments.</summary>
internal static class CommandLine
{
    public const string Usage =
        "usage: ClusterManagement.Emulator --state-dir <dir> [--workers N] [--control-planes N] [--port P] " +
        "[--heartbeat-seconds S] [--node-grace-seconds S] [--pod-ready-seconds S] [--no-pods] [--no-kubeadm-objects] [--sample-app] [--apps N] [--claims N] " +
        "[--serving-certificate valid|other-authority|other-address|expired] [--kubernetes-version v1.X.Y]";

    /// <summary>Null when an argument is unknown or malformed, or --state-dir is missing.</summary>
    public static EmulatorOptions? Parse(string[] args)
    {
        var options = new EmulatorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--no-pods")
            {
                options = options with { SeedPods = false };
                continue;
            }
            if (args[i] == "--no-kubeadm-objects")
            {
                options = options with { KubeadmObjects = false };
                continue;
            }
            if (args[i] == "--sample-app")
            {
                options = options with { SampleApp = true };
                continue;
            }
            var (name, value) = (args[i], i + 1 < args.Length ? args[++i] : null);
            EmulatorOptions? next = name switch
            {
                "--state-dir" when value is not null => options with { StateDirectory = Path.GetFullPath(value) },
                "--workers" when int.TryParse(value, out var n) && n >= 0 => options with { Workers = n },
                "--control-planes" when int.TryParse(value, out var n) && n >= 0 => options with { ControlPlanes = n },
                "--port" when int.TryParse(value, out var n) && n >= 0 => options with { Port = n },
                "--heartbeat-seconds" when TrySeconds(value, out var s) => options with { HeartbeatSeconds = s },
                "--node-grace-seconds" when TrySeconds(value, out var s) => options with { NodeGraceSeconds = s },
                "--claims" when int.TryParse(value, out var n) && n >= 0 => options with { SeedClaims = n },
                "--pod-ready-seconds" when TrySeconds(value, out var s) => options with { PodReadySeconds = s },
                "--apps" when int.TryParse(value, out var n) && n >= 0 => options with { SampleApps = n },
                "--kubernetes-version" when Discovery.ServerVersion.IsValid(value) => options with { KubernetesVersion = value! },
                "--serving-certificate" when Enum.TryParse<ServingCertificate>(value?.Replace("-", ""), ignoreCase: true, out var c) && Enum.IsDefined(c) =>
                    options with { ServingCertificate = c },
                _ => null,
            };
            if (next is null)
            {
                return null;
            }
            options = next;
        }
        return options.StateDirectory is null ? null : options;
    }

    private static bool TrySeconds(string? text, out double seconds) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds >= 0;
}
