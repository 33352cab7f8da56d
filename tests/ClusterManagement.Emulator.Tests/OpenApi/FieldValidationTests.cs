using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.OpenApi;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.OpenApi;

/// <summary>
/// fieldValidation on writes over HTTP, with the API server's wording (apiserver handlers/create.go,
/// patch.go; sigs.k8s.io/json strict errors): Strict refuses, Warn (the default) warns and drops,
/// Ignore drops silently.
/// </summary>
public sealed class FieldValidationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";

    private static string Manifest(string name, string extraSpec = "") => $$$$$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{{{{name}}}}}"},
         "spec":{"replicas":1,{{{{{extraSpec}}}}}"selector":{"matchLabels":{"app":"{{{{{name}}}}}"}},
           "template":{"metadata":{"labels":{"app":"{{{{{name}}}}}"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
        """;

    private async Task<(HttpStatusCode Status, JsonNode? Body, string[] Warnings)> SendAsync(HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await fixture.Admin.Http.SendAsync(request);
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToArray() : [];
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()), warnings);
    }

    [Fact]
    public async Task StrictCreateRefusesUnknownAndDuplicateFieldsWithTheServersMessageAndStoresNothing()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, Deployments + "?fieldValidation=Strict",
            Manifest("strict-create", "\"foo\":1,\"replicas\":2,").Replace("\"name\":\"web\",", "\"name\":\"web\",\"colour\":\"red\","));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BadRequest", body!["reason"]!.GetValue<string>());
        Assert.Equal(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.foo\", duplicate field \"spec.replicas\", unknown field \"spec.template.spec.containers[0].colour\"",
            body["message"]!.GetValue<string>());
        Assert.Null(fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "strict-create"));
    }

    [Theory]
    [InlineData("?fieldValidation=Warn")]
    [InlineData("")]
    public async Task WarnIsTheDefaultAndWarnsPerFieldWhileDroppingUnknownFields(string query)
    {
        var name = query.Length == 0 ? "warn-default" : "warn-explicit";

        var (status, body, warnings) = await SendAsync(HttpMethod.Post, Deployments + query, Manifest(name, "\"foo\":{\"bar\":1},"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(["299 - \"unknown field \\\"spec.foo\\\"\""], warnings);
        Assert.Null(body!["spec"]!["foo"]);
        Assert.Null(fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", name)!["spec"]!["foo"]);
    }

    [Fact]
    public async Task IgnoreDropsUnknownFieldsWithoutAWord()
    {
        var (status, _, warnings) = await SendAsync(HttpMethod.Post, Deployments + "?fieldValidation=Ignore", Manifest("ignored", "\"foo\":1,"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Empty(warnings);
        Assert.Null(fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "ignored")!["spec"]!["foo"]);
    }

    [Fact]
    public async Task AnUnsupportedDirectiveIsRefusedAsInvalidOptions()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, Deployments + "?fieldValidation=strict", Manifest("bad-directive"));

        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
            body!["message"]!.GetValue<string>());
        Assert.Equal("fieldValidation", body["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task StrictUpdateRefusesUnknownFields()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, Deployments, Manifest("strict-put"))).Status);
        var current = fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "strict-put")!;
        current.Metadata()["bogus"] = "x";

        var (status, body, _) = await SendAsync(HttpMethod.Put, $"{Deployments}/strict-put?fieldValidation=Strict", current.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.EndsWith("strict decoding error: unknown field \"metadata.bogus\"", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task StrictStrategicMergePatchIsInvalidOnThePatchFieldAndShowsThePatchAsGoPrintsIt()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, Deployments, Manifest("strict-smp"))).Status);

        var (status, body, _) = await SendAsync(HttpMethod.Patch, $"{Deployments}/strict-smp?fieldValidation=Strict",
            """{"spec":{"replicas":3,"foo":"x","template":{"spec":{"containers":[{"name":"web","colour":"red"}]}}}}""", "application/strategic-merge-patch+json");

        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("Invalid", body!["reason"]!.GetValue<string>());
        Assert.Equal(
            " \"\" is invalid: patch: Invalid value: \"map[spec:map[foo:x replicas:3 template:map[spec:map[containers:[map[colour:red name:web]]]]]]\": strict decoding error: unknown field \"spec.template.spec.containers[0].colour\", unknown field \"spec.foo\"",
            body["message"]!.GetValue<string>());
        Assert.Equal(1, fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "strict-smp")!.LongAt("spec", "replicas"));
    }

    [Fact]
    public async Task StrictMergePatchReportsDuplicateFieldsOfTheBody()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, Deployments, Manifest("strict-merge"))).Status);

        var (status, body, _) = await SendAsync(HttpMethod.Patch, $"{Deployments}/strict-merge?fieldValidation=Strict",
            """{"spec":{"replicas":2,"replicas":3}}""", "application/merge-patch+json");

        Assert.Equal((HttpStatusCode)422, status);
        Assert.EndsWith("strict decoding error: duplicate field \"spec.replicas\"", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWarnedPatchDropsTheUnknownFieldAndKeepsTheRest()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, Deployments, Manifest("warn-patch"))).Status);

        var (status, body, warnings) = await SendAsync(HttpMethod.Patch, $"{Deployments}/warn-patch",
            """{"spec":{"replicas":4,"foo":"x"}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["299 - \"unknown field \\\"spec.foo\\\"\""], warnings);
        Assert.Equal(4, body!["spec"]!["replicas"]!.GetValue<long>());
        Assert.Null(fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "warn-patch")!["spec"]!["foo"]);
    }

    [Fact]
    public async Task MapsAndOpenFieldsTakeAnyKeyButTheirNeighboursAreChecked()
    {
        var configMap = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"any-keys","labels":{"whatever":"x"},
             "managedFields":[{"manager":"m","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:anything":{}}}}]},
             "data":{"free-key":"v"},"binaryData":{"b":"AA=="}}
            """;

        var (status, _, warnings) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", configMap);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task ServerSideApplyRefusesUndeclaredFieldsWhateverTheDirective()
    {
        var applied = Manifest("ssa-unknown", "\"foo\":1,").Replace("\"name\":\"web\",", "\"name\":\"web\",\"colour\":\"red\",");

        var (status, body, _) = await SendAsync(HttpMethod.Patch, $"{Deployments}/ssa-unknown?fieldManager=test&fieldValidation=Ignore", applied, "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("failed to create typed patch object (/ssa-unknown; apps/v1, Kind=Deployment): errors:\n  .spec.foo: field not declared in schema\n  .spec.template.spec.containers[name=\"web\"].colour: field not declared in schema",
            body!["message"]!.GetValue<string>());
        Assert.Null(fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "ssa-unknown"));
    }

    [Fact]
    public async Task IgnoreKeepsTheLastOfDuplicateFieldsAsGoDoes()
    {
        var (status, _, _) = await SendAsync(HttpMethod.Post, Deployments + "?fieldValidation=Ignore", Manifest("last-wins", "\"replicas\":3,"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(3, fixture.Emulator.Store.Get(AppsKinds.Deployments, "default", "last-wins")!.LongAt("spec", "replicas"));
    }

    [Fact]
    public void EveryKindTheEmulatorServesHasASchema()
    {
        var missing = fixture.Emulator.Registry.Kinds.Where(k => SchemaCatalog.Default.ForKind(k.Group, k.Version, k.Kind) is null).Select(k => k.ToString());

        Assert.Empty(missing);
    }

    [Fact]
    public async Task WhatTheEmulatorWritesItselfHasNoFieldItsSchemaLacks()
    {
        // Seeders and controllers write the store directly, as etcd writers do; the real server could never hold such fields.
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, SampleApp = true, SeedClaims = 1, SeedEvents = 14, PodReadySeconds = 0.1 });
        await Eventually.IsTrueAsync(() => emulator.Store.Get(AppsKinds.Deployments, "default", "web")?.LongAt("status", "availableReplicas") == 2, "sample app available");

        var problems = emulator.Registry.Kinds
            .SelectMany(kind => emulator.Store.List(kind).Items.Select(o => (kind, o.ToJson())))
            .SelectMany(x => FieldValidation.StrictDecodingProblems(SchemaCatalog.Default.ForKind(x.kind.Group, x.kind.Version, x.kind.Kind)!, JsonSerializer.SerializeToUtf8Bytes(x.Item2))
                .Select(p => $"{x.kind} {x.Item2.Name()}: {p}"))
            .ToList();

        Assert.True(CoreKinds.All.All(k => emulator.Store.List(k).Items.Count > 0 || k == CoreKinds.Events || k == CoreKinds.Secrets || k == CoreKinds.ConfigMaps), "the seeded cluster holds objects to check");
        Assert.Empty(problems);
    }
}
