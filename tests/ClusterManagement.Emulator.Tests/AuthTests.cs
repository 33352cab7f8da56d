using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

public sealed class AuthTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task UnknownTokenIsUnauthorized()
    {
        using var api = new ApiClient(fixture.Emulator.CreateClient("sandbox-badtoken"));

        var (status, body) = await api.GetAsync("/api/v1/nodes");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Unauthorized", body!["reason"]!.GetValue<string>());
        Assert.Equal(401, body["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReadonlyReadsButEveryWriteIsForbidden()
    {
        using var api = new ApiClient(fixture.Emulator.CreateClient("sandbox-readonly"));

        var (read, _) = await api.GetAsync("/api/v1/nodes");
        var (patch, patchStatus) = await api.PatchAsync("/api/v1/nodes/worker-1", """{"metadata":{"labels":{"x":"y"}}}""", "application/merge-patch+json");
        var (create, createStatus) = await api.PostAsync("/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });

        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal(HttpStatusCode.Forbidden, patch);
        Assert.Equal("Forbidden", patchStatus!["reason"]!.GetValue<string>());
        Assert.Equal("nodes \"worker-1\" is forbidden: User \"readonly\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope",
            patchStatus["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, create);
        Assert.Equal("configmaps is forbidden: User \"readonly\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"",
            createStatus!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task TeamATokenHasFullAccess()
    {
        using var api = new ApiClient(fixture.Emulator.CreateClient("sandbox-token"));

        var (status, _) = await api.PostAsync("/api/v1/namespaces/team-a/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "from-team-a" } });

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task BootstrapTokenAuthenticatesAsANodeThatMayWriteNodesOnly()
    {
        fixture.Emulator.Store.Create(CoreKinds.Secrets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "bootstrap-token-abcdef", ["namespace"] = "kube-system" },
            ["type"] = "bootstrap.kubernetes.io/token",
            ["data"] = new JsonObject
            {
                ["token-id"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("abcdef")),
                ["token-secret"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef")),
            },
        });
        using var http = fixture.Emulator.CreateClient("sandbox-badtoken");
        http.DefaultRequestHeaders.Authorization = new("Bearer", "abcdef.0123456789abcdef");
        using var api = new ApiClient(http);

        var (node, _) = await api.PostAsync("/api/v1/nodes", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "joined-1" } });
        var (configMap, status) = await api.PostAsync("/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });

        Assert.Equal(HttpStatusCode.Created, node);
        Assert.Equal(HttpStatusCode.Forbidden, configMap);
        Assert.Contains("User \"system:bootstrap:abcdef\"", status!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ControlApiAcceptsOnlyTheControlToken()
    {
        using var admin = fixture.Emulator.CreateClient();
        var (denied, _) = await new ApiClient(admin).GetAsync("/_emulator/status");

        using var control = fixture.Emulator.CreateClient("sandbox-badtoken");
        control.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Emulator.Credentials.ControlToken);
        var (allowed, body) = await new ApiClient(control).GetAsync("/_emulator/status");

        Assert.Equal(HttpStatusCode.Unauthorized, denied);
        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.Equal(fixture.Emulator.Url, body!["url"]!.GetValue<string>());
    }
}
