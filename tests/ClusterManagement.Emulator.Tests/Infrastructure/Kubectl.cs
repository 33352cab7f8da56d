using System.Diagnostics;

namespace ClusterManagement.Emulator.Tests.Infrastructure;

/// <summary>
/// Runs the real kubectl against an emulator: its own --cache-dir per run (kubectl caches
/// discovery), bounded in time, and killed by PID if it outlives the bound.
/// </summary>
public static class Kubectl
{
    public const string Path = "/usr/bin/kubectl";

    public static bool IsInstalled => File.Exists(Path);

    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string kubeconfig, params string[] args) =>
        await RunUntilAsync(kubeconfig, TimeSpan.FromSeconds(30), _ => false, args);

    /// <summary>Runs until the process exits, <paramref name="stopWhen"/> is true of its output so far, or the timeout.</summary>
    public static async Task<Result> RunUntilAsync(string kubeconfig, TimeSpan timeout, Func<string, bool> stopWhen, params string[] args)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"kubectl is required for the fidelity tests but {Path} does not exist (CI is set, so they are not skipped)");
        }
        var cacheDir = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args.Concat(["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, "--request-timeout", "20s"]))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = new StringWriter();
        var error = new StringWriter();
        var stopped = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.WriteLine(e.Data);
                if (stopWhen(output.ToString()))
                {
                    stopped.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (error)
                {
                    error.WriteLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(process.WaitForExitAsync(), stopped.Task, Task.Delay(timeout));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            await process.WaitForExitAsync();
            Directory.Delete(cacheDir, recursive: true);
        }
        lock (output)
        {
            lock (error)
            {
                return new Result(process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }
}

/// <summary>
/// A fact that needs kubectl: skipped with a message on a developer machine without it, but run
/// (and failed by <see cref="Kubectl"/>) under CI, so a missing kubectl is never silent there.
/// </summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!Kubectl.IsInstalled && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"kubectl not found at {Kubectl.Path}; install kubectl to run the fidelity tests (they fail instead when CI is set)";
        }
    }
}
