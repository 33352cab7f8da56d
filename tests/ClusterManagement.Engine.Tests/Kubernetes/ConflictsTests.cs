using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Tests.Kubernetes;

public sealed class ConflictsTests
{
    private static readonly ResourceRef Node = new("Node", "worker-1");

    private static ClusterException Conflict() => KubeApi.FromStatus(409, """{"message":"the object has been modified"}""", Node);

    [Fact]
    public async Task RereadsAndRetriesUntilTheWriteGoesThrough()
    {
        var attempts = 0;
        var result = await Conflicts.RetryAsync(_ => ++attempts < 3 ? throw Conflict() : Task.FromResult("written"), Node, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal("written", result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task GivesUpAfterTheLimitWithAClearMessage()
    {
        var attempts = 0;
        var error = await Assert.ThrowsAsync<ClusterException>(() => Conflicts.RetryAsync<string>(_ => { attempts++; throw Conflict(); }, Node, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(Conflicts.MaxAttempts, attempts);
        Assert.Equal(ClusterErrorKind.Conflict, error.Kind);
        Assert.Contains("gave up after 5 attempts", error.Message);
    }

    [Fact]
    public async Task OtherErrorsAreNotRetried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<ClusterException>(() => Conflicts.RetryAsync<string>(
            _ => { attempts++; throw KubeApi.FromStatus(404, null, Node); }, Node, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(1, attempts);
    }
}
