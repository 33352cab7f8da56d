using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Tests;

/// <summary>The executable as Pester and the sandbox start it.</summary>
public sealed class StandaloneProgramTests
{
    [Fact]
    public async Task WritesStateAnnouncesReadyAndCleansUpOnSigterm()
    {
        var stateDir = Directory.CreateTempSubdirectory("emulator-state-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(KubeEmulator).Assembly.Location, "--state-dir", stateDir, "--workers", "2" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var ready = await process.StandardOutput.ReadLineAsync(timeout.Token);

            var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(stateDir, "emulator.json")))!;
            var url = state["url"]!.GetValue<string>();
            Assert.Equal($"ready {url}", ready);
            Assert.Matches(@"^https://127\.0\.0\.1:\d+$", url);
            Assert.Equal(process.Id, state["pid"]!.GetValue<int>());
            Assert.Equal(48, state["controlToken"]!.GetValue<string>().Length);
            Assert.Contains($"server: {url}", await File.ReadAllTextAsync(Path.Combine(stateDir, "kubeconfig")));

            Process.Start("kill", ["-TERM", process.Id.ToString()]).WaitForExit();
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, process.ExitCode);
            Assert.False(File.Exists(Path.Combine(stateDir, "emulator.json")));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            Directory.Delete(stateDir, recursive: true);
        }
    }

    [Fact]
    public async Task RejectsUnknownArguments()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(KubeEmulator).Assembly.Location, "--bogus" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var error = await process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(2, process.ExitCode);
            Assert.StartsWith("usage:", error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
