using ClusterManagement.Commands.Infrastructure;

namespace ClusterManagement.Tests.Infrastructure;

public sealed class AzurePipelinesTests
{
    private readonly List<string> lines = [];

    private AzurePipelines Commands() => new(lines.Add);

    [Fact]
    public void SetSecretRegistersTheValueEscapedAsMessageData()
    {
        Commands().SetSecret("tok%en\r\n;]x");

        Assert.Equal(["##vso[task.setsecret]tok%AZP25en%0D%0A;]x"], lines);
    }

    [Fact]
    public void SetSecretIgnoresAnEmptyValue()
    {
        // An empty secret would make the agent mask nothing useful and warn.
        Commands().SetSecret("");

        Assert.Empty(lines);
    }

    [Fact]
    public void ErrorCodeIsEscapedAsAProperty()
    {
        Commands().Error("line 1\nline 2 100%", "Bad;Id]");

        Assert.Equal(["##vso[task.logissue type=error;code=Bad%3BId%5D]line 1%0Aline 2 100%AZP25"], lines);
    }

    [Fact]
    public void WarningIsALogIssue()
    {
        Commands().Warning("ignoring DaemonSet-managed Pods: a;b]");

        Assert.Equal(["##vso[task.logissue type=warning]ignoring DaemonSet-managed Pods: a;b]"], lines);
    }

    [Fact]
    public void ProgressLeavesOutUnknownAndRepeatedValues()
    {
        var commands = Commands();
        commands.Progress(-1, "Draining node worker-1", nested: false);
        commands.Progress(50, "Draining node worker-1", nested: false);
        commands.Progress(50, "Draining node worker-1", nested: false);
        commands.Progress(100, "Draining node worker-1", nested: false);

        Assert.Equal(
            ["##vso[task.setprogress value=50;]Draining node worker-1", "##vso[task.setprogress value=100;]Draining node worker-1"],
            lines);
    }

    [Fact]
    public void ProgressOfANestedBarIsLeftOut()
    {
        // Across contexts: the bar of contexts done sets the task's value, each context's own bar under it does not.
        var commands = Commands();
        commands.Progress(0, "3 contexts", nested: false);
        commands.Progress(80, "east: Rolling out app default/web", nested: true);
        commands.Progress(10, "west: Rolling out app default/web", nested: true);
        commands.Progress(33, "3 contexts", nested: false);

        Assert.Equal(["##vso[task.setprogress value=0;]3 contexts", "##vso[task.setprogress value=33;]3 contexts"], lines);
    }

    [Fact]
    public void GroupTitleStaysOnOneLine()
    {
        var commands = Commands();
        commands.BeginGroup("Roll out app default/web\nnext");
        commands.EndGroup();

        Assert.Equal(["##[group]Roll out app default/web next", "##[endgroup]"], lines);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("True", true)]
    public void OnlyAnAzurePipelinesJobGetsCommands(string? tfBuild, bool expected)
    {
        var saved = Environment.GetEnvironmentVariable("TF_BUILD");
        try
        {
            Environment.SetEnvironmentVariable("TF_BUILD", tfBuild);
            Assert.Equal(expected, AzurePipelines.FromEnvironment(lines.Add) is not null);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TF_BUILD", saved);
        }
    }
}
