using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator;

// Standalone emulator for Pester, the sandbox and benchmarks; arguments as in CONTRIBUTING.md.
if (CommandLine.Parse(args) is not { } options)
{
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

await using (var emulator = await KubeEmulator.StartAsync(options))
{
    var statePath = Path.Combine(emulator.StateDirectory, "emulator.json");
    var state = new JsonObject
    {
        ["url"] = emulator.Url,
        ["pid"] = Environment.ProcessId,
        ["controlToken"] = emulator.Credentials.ControlToken,
        ["kubeconfig"] = emulator.KubeconfigPath,
    };
    // Written via a temporary file so a poller never reads half a document.
    await File.WriteAllTextAsync(statePath + ".tmp", state.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    File.Move(statePath + ".tmp", statePath, overwrite: true);
    Console.WriteLine($"ready {emulator.Url}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // SIGTERM or SIGINT: shut down below.
    }
    File.Delete(statePath);
}
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
