using System.Net;
using System.Net.Sockets;
using System.Text;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Ssh;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

public sealed class EngineInstallScriptTests
{
    [Theory]
    [InlineData("https://get.docker.com")]
    [InlineData("http://127.0.0.1:8080/install.sh")]
    [InlineData("http://localhost/install.sh")]
    [InlineData("http://[::1]:9000/install.sh")]
    public void TrustsHttpsAndLoopbackHttp(string url) =>
        EngineInstallScript.RequireTrustedTransport(new Uri(url));

    [Theory]
    [InlineData("http://get.docker.com")]
    [InlineData("http://192.0.2.10/install.sh")]
    [InlineData("ftp://127.0.0.1/install.sh")]
    [InlineData("file:///tmp/install.sh")]
    [InlineData("get.docker.com")]
    public void RefusesEverythingElse(string url)
    {
        var error = Assert.Throws<ClusterException>(() => EngineInstallScript.RequireTrustedTransport(new Uri(url, UriKind.RelativeOrAbsolute)));
        Assert.Equal("EngineInstallUrlInsecure", error.ErrorId);
        Assert.Contains("root", error.Message);
    }

    [Fact]
    public async Task FetchesAShellScriptAndRefusesAnythingElse()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpListener();
        http.Prefixes.Add($"http://127.0.0.1:{port}/");
        http.Start();
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                var context = await http.GetContextAsync();
                var body = context.Request.Url!.AbsolutePath switch
                {
                    "/install.sh" => "#!/bin/sh\necho installing\n",
                    "/page.html" => "<html>not a script</html>",
                    _ => null,
                };
                context.Response.StatusCode = body is null ? 404 : 200;
                if (body is not null)
                {
                    await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
                }

                context.Response.Close();
            }
        });

        var script = await EngineInstallScript.FetchAsync(new Uri($"http://127.0.0.1:{port}/install.sh"), TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.StartsWith("#!/bin/sh", script.Text);
        var notScript = await Assert.ThrowsAsync<ClusterException>(() => EngineInstallScript.FetchAsync(new Uri($"http://127.0.0.1:{port}/page.html"), TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal("EngineInstallScriptInvalid", notScript.ErrorId);
        var missing = await Assert.ThrowsAsync<ClusterException>(() => EngineInstallScript.FetchAsync(new Uri($"http://127.0.0.1:{port}/gone.sh"), TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal("EngineInstallScriptUnavailable", missing.ErrorId);
        Assert.Contains("404", missing.Message);
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ThePlanNamesTheScriptOnlyWhenOneIsGiven()
    {
        var request = new NewNodeRequest
        {
            Name = "n1",
            Ssh = new SshTarget("127.0.0.5", 22, "admin"),
            Engine = new EngineTarget(EngineSource.DockerCE, "27.5", null),
        };
        Assert.DoesNotContain(NodeProvisioner.Plan(request), step => step.Contains("install script", StringComparison.Ordinal));
        var withScript = NodeProvisioner.Plan(new NewNodeRequest
        {
            Name = request.Name, Ssh = request.Ssh, Engine = request.Engine,
            EngineInstallUrl = new Uri("https://get.docker.com"),
        });
        Assert.Contains(withScript, step => step.StartsWith("Fetch the install script https://get.docker.com/ here", StringComparison.Ordinal) && step.Contains("VERSION=27.5") && step.Contains("resolve docker-ce 27.5"));
    }
}
