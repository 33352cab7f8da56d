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

    private const string EveryField = """
        apiVersion: v1
        kind: Config
        preferences: {}
        current-context: full
        clusters:
        - name: c1
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: Q0EgZGF0YQ==
            insecure-skip-tls-verify: true
            tls-server-name: api.example
            proxy-url: http://proxy.example:3128
        - name: "8080"
          cluster: { server: "https://127.0.0.1:8080", certificate-authority: ca/ca.crt }
        users:
        - name: cert
          user: { client-certificate: pki/user.crt, client-key: pki/user.key }
        - name: exec
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: get-token
              args: [--cluster, "8080", "true"]
              env: [{ name: REGION, value: "1.10" }]
              interactiveMode: Never
        - name: basic
          user: { username: admin, password: "0123", token: null }
        contexts:
        - name: full
          context: { cluster: c1, user: exec, namespace: team-a }
        - name: "8080"
          context: { cluster: "8080", user: cert }
        """;

    [Fact]
    public void TheKubeconfigReadsAsKubernetesClientReadsIt()
    {
        var path = Write("every-field", EveryField);
        var ours = MergedKubeConfig.Load([path]).Configuration;
        var library = k8s.KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: true);

        // Compared as JSON: every property, nested ones too, must hold the same value.
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(library.Clusters), System.Text.Json.JsonSerializer.Serialize(ours.Clusters));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(library.Users), System.Text.Json.JsonSerializer.Serialize(ours.Users));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(library.Contexts), System.Text.Json.JsonSerializer.Serialize(ours.Contexts));
        Assert.Equal(library.CurrentContext, ours.CurrentContext);
        Assert.Equal("1.10", ours.Users.Single(u => u.Name == "exec").UserCredentials.ExternalExecution.EnvironmentVariables.Single()["value"]);
    }

    [Fact]
    public void AnEmptyFileIsNamed()
    {
        var empty = Write("empty", "");
        var error = Assert.Throws<ClusterException>(() => MergedKubeConfig.Load([empty]));
        Assert.Equal("KubeConfigInvalid", error.ErrorId);
        Assert.Contains(empty, error.Message);
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
