using System.Diagnostics;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>
/// Runs a command line the module builds under the real /bin/sh, in an empty directory (also its
/// TMPDIR), with the programs it calls replaced by shell functions that record the words they get.
/// What the shell hands each program, and every file left behind, show whether a value broke out.
/// </summary>
internal sealed class ShellStub : IDisposable
{
    private ShellStub(string directory, int exitCode, IReadOnlyList<string[]> calls, IReadOnlyList<string> files)
    {
        Directory = directory;
        ExitCode = exitCode;
        Calls = calls;
        Files = files;
    }

    public string Directory { get; }

    public int ExitCode { get; }

    /// <summary>Each call of a stubbed program: its name, then its arguments exactly as the shell passed them.</summary>
    public IReadOnlyList<string[]> Calls { get; }

    /// <summary>Files in the directory after the run: a marker there means a payload ran, a temporary file that it was left behind.</summary>
    public IReadOnlyList<string> Files { get; }

    public static ShellStub Run(string command, params string[] programs)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The commands are for a Linux node's /bin/sh.");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("cm-shell-").FullName;
        var bin = System.IO.Directory.CreateTempSubdirectory("cm-shell-bin-").FullName;
        var callsPath = Path.Combine(bin, ".calls");
        try
        {
            foreach (var program in programs)
            {
                // Name, argument count, arguments, each NUL-terminated: newlines and empty words survive.
                var stub = Path.Combine(bin, program);
                File.WriteAllText(stub, $"#!/bin/sh\nprintf '%s\\0' {program} \"$#\" \"$@\" >> '{callsPath}'\n");
                File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            start.Environment["TMPDIR"] = directory;
            start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill();
                throw new TimeoutException($"sh did not finish: {command}");
            }

            var calls = new List<string[]>();
            if (File.Exists(callsPath))
            {
                var words = File.ReadAllText(callsPath).Split('\0');
                for (var i = 0; i + 1 < words.Length;)
                {
                    var count = int.Parse(words[i + 1], System.Globalization.CultureInfo.InvariantCulture);
                    calls.Add(words[i..(i + 2 + count)].Where((_, n) => n != 1).ToArray());
                    i += 2 + count;
                }
            }

            var files = System.IO.Directory.EnumerateFileSystemEntries(directory).Select(f => Path.GetFileName(f)).ToList();
            return new ShellStub(directory, process.ExitCode, calls, files);
        }
        finally
        {
            System.IO.Directory.Delete(bin, recursive: true);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
