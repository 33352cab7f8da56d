using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Tests;

public sealed class ApiErrorTests
{
    private static readonly ResourceRef Node = new("Node", "worker-9");

    [Theory]
    [InlineData(404, ClusterErrorKind.NotFound, "NodeNotFound")]
    [InlineData(401, ClusterErrorKind.Unauthorized, "NodeUnauthorized")]
    [InlineData(403, ClusterErrorKind.Forbidden, "NodeForbidden")]
    [InlineData(409, ClusterErrorKind.Conflict, "NodeConflict")]
    [InlineData(422, ClusterErrorKind.Invalid, "NodeInvalid")]
    [InlineData(429, ClusterErrorKind.TooManyRequests, "NodeTooManyRequests")]
    [InlineData(503, ClusterErrorKind.ServerError, "NodeServerError")]
    public void StatusCodesMapToKindsWithSpecificIds(int code, ClusterErrorKind kind, string id)
    {
        var error = KubeApi.FromStatus(code, """{"kind":"Status","message":"server says no"}""", Node);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(id, error.ErrorId);
        Assert.Equal("worker-9", error.Target);
        Assert.Equal("server says no", error.ServerMessage);
        Assert.Equal(code, error.StatusCode);
    }

    [Fact]
    public void AlreadyExistsIsToldApartFromAConflict()
    {
        var error = KubeApi.FromStatus(409, """{"message":"nodes \"worker-9\" already exists","reason":"AlreadyExists"}""", Node);
        Assert.Equal(ClusterErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public void ADisruptionBudgetCauseIsKeptInTheMessage()
    {
        const string body = """
            {"kind":"Status","message":"Cannot evict pod as it would violate the pod's disruption budget.","reason":"TooManyRequests",
             "details":{"causes":[{"reason":"DisruptionBudget","message":"The disruption budget web needs 2 healthy pods and has 2 currently"}]},"code":429}
            """;
        var error = KubeApi.FromStatus(429, body, new ResourceRef("Pod", "web-1", "default"));
        Assert.Contains("The disruption budget web needs 2 healthy pods", error.ServerMessage);
    }

    [Fact]
    public void ABodyThatIsNotJsonStillGivesAMessage()
    {
        var error = KubeApi.FromStatus(502, "<html>bad gateway</html>", Node);
        Assert.Equal("<html>bad gateway</html>", error.ServerMessage);
    }

    [Fact]
    public async Task TransientFailuresAreRetriedAndThenReported()
    {
        var attempts = 0;
        var result = await KubeApi.Call(
            _ => ++attempts < 3 ? throw new HttpRequestException("refused", new System.Net.Sockets.SocketException()) : Task.FromResult(42),
            Node,
            CancellationToken.None);
        Assert.Equal(42, result);
        Assert.Equal(3, attempts);

        attempts = 0;
        var error = await Assert.ThrowsAsync<ClusterException>(() => KubeApi.Call<int>(
            _ => { attempts++; throw new HttpRequestException("refused", new System.Net.Sockets.SocketException()); },
            Node,
            CancellationToken.None));
        Assert.Equal(ClusterErrorKind.Unreachable, error.Kind);
        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task WritesThatAreNotIdempotentAreNotRetried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<ClusterException>(() => KubeApi.Call<int>(
            _ => { attempts++; throw new HttpRequestException("refused", new System.Net.Sockets.SocketException()); },
            Node,
            CancellationToken.None,
            idempotent: false));
        Assert.Equal(1, attempts);
    }
}
