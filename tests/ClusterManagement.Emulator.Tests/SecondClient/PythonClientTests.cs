using System.Diagnostics;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.SecondClient;

/// <summary>
/// The official Python client (Debian's python3-kubernetes), which no one here wrote, against one
/// emulator: each case in python_client.py is a script run that must print "ok &lt;case&gt;".
/// </summary>
public sealed class PythonClientTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    public const string Interpreter = "/usr/bin/python3";

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "SecondClient", "python_client.py");

    public static bool IsInstalled =>
        File.Exists(Interpreter) && File.Exists("/usr/lib/python3/dist-packages/kubernetes/__init__.py");

    [PythonClientFact]
    public Task ListsWithLabelAndFieldSelectorsAndPages() => RunCaseAsync("list_with_selectors_and_paging");

    [PythonClientFact]
    public Task WatchDeliversEventsAndResumesFromAResourceVersion() => RunCaseAsync("watch_resumes_from_a_resource_version");

    [PythonClientFact]
    public Task WatchFromACompactedVersionRaises410() => RunCaseAsync("watch_from_a_compacted_version_is_gone");

    [PythonClientFact]
    public Task StrategicMergeJsonMergeAndJsonPatchOfADeployment() => RunCaseAsync("strategic_and_json_merge_patch");

    [PythonClientFact]
    public Task ServerSideApplyThroughTheDynamicClient() => RunCaseAsync("server_side_apply");

    [PythonClientFact]
    public Task ServerSideApplyConflictNamesTheOtherManager() => RunCaseAsync("server_side_apply_conflict");

    [PythonClientFact]
    public Task DeleteWithOrphanAndBackgroundPropagation() => RunCaseAsync("delete_with_propagation");

    [PythonClientFact]
    public Task OrphanDeleteStripsTheOwnerReference() => RunCaseAsync("orphan_strips_the_owner_reference");

    [PythonClientFact]
    public Task TypedReadsDeserialiseDatesQuantitiesAndIntOrString() => RunCaseAsync("typed_reads_deserialise");

    private async Task RunCaseAsync(string name)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"python3-kubernetes is required for the second-client tests but is not installed (CI is set, so they are not skipped); build/Prerequisites.psm1 installs it");
        }
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(name);
        start.Environment["KUBECONFIG"] = fixture.Emulator.KubeconfigPath;
        start.Environment["EMULATOR_URL"] = fixture.Emulator.Url;
        start.Environment["EMULATOR_CONTROL_TOKEN"] = fixture.Emulator.Credentials.ControlToken;
        // The Debian package lives in the system interpreter's dist-packages; a user site or virtualenv must not shadow it.
        start.Environment["PYTHONNOUSERSITE"] = "1";
        start.Environment.Remove("PYTHONPATH");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            Assert.Fail($"{name} did not finish within 60 s: {await error}");
        }
        Assert.True(process.ExitCode == 0, $"{name} failed:\n{await output}\n{await error}");
        Assert.Equal($"ok {name}", (await output).Trim().Split('\n')[^1]);
    }
}

/// <summary>
/// A fact that needs python3-kubernetes: skipped with a message on a developer machine without it,
/// but run (and failed) under CI, so a missing client is never silent there.
/// </summary>
public sealed class PythonClientFactAttribute : FactAttribute
{
    public PythonClientFactAttribute()
    {
        if (!PythonClientTests.IsInstalled && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "python3-kubernetes not installed (apt-get install python3-kubernetes); the second-client tests fail instead when CI is set";
        }
    }
}
