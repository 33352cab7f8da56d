using ClusterManagement.Engine.NodeHosts.Backup;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>
/// Backups of several clusters go to a folder per context: context names are free text, so each must become one
/// folder name inside the destination, and two different contexts must never share one.
/// </summary>
public sealed class BackupFolderTests
{
    private static readonly string Destination = Path.Combine(Path.GetTempPath(), "backups");

    private static readonly string[] Hostile =
    [
        "..", ".", "../..", "../../etc", "/etc/passwd", "a/b", "a\\b", "arn:aws:eks:eu-west-1:123456789012:cluster/prod",
        "admin@prod", "prod eu", " ", ".hidden", "trailing.", "con", "NUL.txt", "a%2Fb", "tab\there", "new\nline",
        "zürich", "~", "a~b", "\0", new string('x', 400), new string('/', 300) + "a",
    ];

    public static TheoryData<string> HostileContexts() => new(Hostile);

    [Fact]
    public void OneContextKeepsTheDestinationAsItWas()
    {
        Assert.Equal(Destination, NodeBackupService.FolderFor(Destination, null));
    }

    [Theory]
    [MemberData(nameof(HostileContexts))]
    public void EveryContextIsOneFolderDirectlyInTheDestination(string context)
    {
        var folder = NodeBackupService.FolderFor(Destination, context);
        var name = Path.GetFileName(folder);

        Assert.Equal(Destination, Path.GetDirectoryName(Path.GetFullPath(folder)));
        Assert.NotEqual(".", name);
        Assert.NotEqual("..", name);
        Assert.False(name.StartsWith('.'), name);
        Assert.False(name.EndsWith('.'), name);
        Assert.True(name.Length <= NodeBackupService.MaxContextFolderName, name);
        Assert.Matches(@"^[A-Za-z0-9._%~-]+\z", name);
        Assert.DoesNotMatch(@"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?\z", name);
    }

    [Fact]
    public void DifferentContextsNeverShareAFolder()
    {
        var contexts = Hostile.Concat(
        [
            "a_b", "a-b", "a.b", "A/B", "a/b ", "prod", "Prod", "team_a", "%", "%25", "%2F", "/",
            new string('x', 399), new string('x', 400) + "y", new string('x', 105) + "%", new string('x', 105) + "%25",
        ]).Distinct(StringComparer.Ordinal).ToList();

        var folders = contexts.Select(NodeBackupService.ContextFolderName).ToList();

        Assert.Equal(contexts.Count, folders.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("prod-eu", "prod-eu")]
    [InlineData("kind-kind", "kind-kind")]
    [InlineData("gke_proj_europe-west1_main", "gke_proj_europe-west1_main")]
    [InlineData("prod.eu", "prod.eu")]
    [InlineData("admin@prod", "admin%40prod")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("..", "%2E%2E")]
    [InlineData("prod eu", "prod%20eu")]
    [InlineData("con", "%63on")]
    public void UsualNamesStayReadable(string context, string expected)
    {
        Assert.Equal(expected, NodeBackupService.ContextFolderName(context));
    }
}
