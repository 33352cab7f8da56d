using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Tests;

public sealed class KubeConfigTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cm-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string First = """
        apiVersion: v1
        kind: Config
        current-context: one
        clusters:
        - name: c1
          cluster: { server: "https://127.0.0.1:1001" }
        users:
        - name: u1
          user: { token: t1 }
        contexts:
        - name: one
          context: { cluster: c1, user: u1 }
        - name: shared
          context: { cluster: c1, user: u1, namespace: from-first }
        """;

    private const string Second = """
        apiVersion: v1
        kind: Config
        current-context: two
        clusters:
        - name: c1
          cluster: { server: "https://127.0.0.1:9999" }
        - name: c2
          cluster: { server: "https://127.0.0.1:1002" }
        users:
        - name: u2
          user: { token: t2 }
        contexts:
        - name: two
          context: { cluster: c2, user: u2, namespace: apps }
        - name: shared
          context: { cluster: c2, user: u2, namespace: from-second }
        """;

    [Fact]
    public void TheFirstFileWinsForEveryNameAndForTheCurrentContext()
    {
        var paths = new[] { Write("a", First), Write("b", Second) };
        var contexts = MergedKubeConfig.Load(paths).Contexts(null).ToDictionary(c => c.Name);

        Assert.Equal(["one", "shared", "two"], contexts.Keys.Order());
        Assert.True(contexts["one"].IsCurrent);
        Assert.Equal("from-first", contexts["shared"].Namespace);
        Assert.Equal("https://127.0.0.1:1001", contexts["shared"].Server);
        Assert.Equal("apps", contexts["two"].Namespace);
        Assert.Equal("default", contexts["one"].Namespace);
        Assert.Equal(paths[1], contexts["two"].Source);
    }

    [Fact]
    public void AnUnknownContextListsTheKnownOnes()
    {
        var merged = MergedKubeConfig.Load([Write("a", First)]);
        var error = Assert.Throws<ClusterException>(() => merged.FindContext("nope"));
        Assert.Equal(ClusterErrorKind.ContextNotFound, error.Kind);
        Assert.Contains("one, shared", error.Message);
    }

    [Fact]
    public void AMissingFileAndABrokenFileAreNamed()
    {
        var missing = Path.Combine(folder, "absent");
        var notFound = Assert.Throws<ClusterException>(() => MergedKubeConfig.Load([missing]));
        Assert.Equal("KubeConfigNotFound", notFound.ErrorId);
        Assert.Contains(missing, notFound.Message);

        var broken = Write("broken", "clusters: [ {");
        var invalid = Assert.Throws<ClusterException>(() => MergedKubeConfig.Load([broken]));
        Assert.Equal("KubeConfigInvalid", invalid.ErrorId);
        Assert.Contains(broken, invalid.Message);
    }

    [Fact]
    public void EnvironmentPathsThatDoNotExistAreSkippedButExplicitOnesAreKept()
    {
        var real = Write("real", First);
        var list = string.Join(Path.PathSeparator, real, Path.Combine(folder, "gone"));
        var previous = Environment.GetEnvironmentVariable("KUBECONFIG");
        try
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", list);
            Assert.Equal([real], KubeConfigSources.Resolve(null));
            Assert.Equal(2, KubeConfigSources.Resolve(list).Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", previous);
        }
    }

    [Fact]
    public void ConnectionsForTheSameFileAndContextAreShared()
    {
        var path = Write("shared", First);
        var a = ClusterConnection.Open(new ConnectionOptions { KubeConfig = path, Context = "shared" });
        var b = ClusterConnection.Open(new ConnectionOptions { KubeConfig = path, Context = "shared" });
        Assert.Same(a, b);
        Assert.Equal("from-first", a.ContextNamespace);
        Assert.Equal("kube-system", a.ResolveNamespace("kube-system"));
    }
}
