using System.Runtime.Versioning;
using ClusterManagement.Engine.NodeHosts.Backup;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>A backup holds the cluster's keys: what the module creates for it is the owner's alone.</summary>
public sealed class BackupSecrecyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cm-backup-secrecy-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void AFolderTheModuleCreatesIsOwnerOnlyParentsIncluded()
    {
        var parent = Path.Combine(folder, "backups");
        var path = Path.Combine(parent, "nightly");
        PrivateFiles.CreateFolder(path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(parent));
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void AnExistingFolderIsLeftAsItsOwnerSetIt()
    {
        var shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(folder, shared);
        PrivateFiles.CreateFolder(folder);
        Assert.Equal(shared, File.GetUnixFileMode(folder));
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void AFileIsOwnerOnlyBeforeItsFirstByteAndNeverReplacesAnother()
    {
        var path = Path.Combine(folder, "node.tar.gz");
        using (var stream = PrivateFiles.CreateNew(path))
        {
            Assert.Equal(0, stream.Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            stream.WriteByte(1);
        }

        Assert.Throws<IOException>(() => PrivateFiles.CreateNew(path).Dispose());
        Assert.Equal(1, new FileInfo(path).Length);
    }

    [Fact]
    public void EveryRootScriptOfABackupSetsUmask077BeforeWritingAnything()
    {
        foreach (var script in new[] { NodeBackupService.ArchiveScript("/tmp/clustermanagement-backup.abcdefghij"), NodeBackupService.EtcdSnapshotScript("/tmp/clustermanagement-backup.abcdefghij") })
        {
            Assert.Equal("umask 077", script.Split('\n')[0].Trim());
        }
    }
}

/// <summary>Unix file modes; on Windows the module sets an owner-only ACL instead, which these tests do not read.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix file modes only.";
        }
    }
}
