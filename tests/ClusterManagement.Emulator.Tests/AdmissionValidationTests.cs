using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>
/// What the API server's validation refuses, with its 422 causes worded as apimachinery words them
/// (pkg/util/validation, pkg/api/validation, pkg/apis/core/validation): annotations, the name rule of each
/// kind, node taints, container resources and volume capacity. A write the real server refuses must not
/// pass here, or a module that sends it would pass its tests and fail on a cluster.
/// </summary>
public sealed class AdmissionValidationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ApiClient Api => fixture.Admin;

    private const string NamePart =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private static JsonObject ConfigMap(string name, JsonObject? annotations = null) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["annotations"] = annotations ?? new JsonObject() },
    };

    private static List<(string Field, string Reason, string Message)> Causes(JsonNode? status) =>
        [.. status!["details"]!["causes"]!.AsArray().Select(c => (c!["field"]!.GetValue<string>(), c["reason"]!.GetValue<string>(), c["message"]!.GetValue<string>()))];

    [Fact]
    public async Task AnnotationKeysMustBeQualifiedNamesInAnyCase()
    {
        var (refused, body) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("annotated-bad", new JsonObject { ["bad key"] = "v" }));
        var (accepted, _) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("annotated-ok", new JsonObject { ["Example.COM/Some_Key"] = "any value at all" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal($"ConfigMap \"annotated-bad\" is invalid: metadata.annotations: Invalid value: \"bad key\": {NamePart}", body!["message"]!.GetValue<string>());
        Assert.Equal([("metadata.annotations", "FieldValueInvalid", $"Invalid value: \"bad key\": {NamePart}")], Causes(body));
        Assert.Equal(HttpStatusCode.Created, accepted);
    }

    [Fact]
    public async Task AnnotationsMayHoldAtMost256KiBTogetherAlsoOnAPatch()
    {
        var atLimit = new JsonObject { ["k"] = new string('v', 256 * 1024 - 1) };
        var (created, _) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("annotated-full", atLimit));

        var (status, body) = await Api.PatchAsync("/api/v1/namespaces/default/configmaps/annotated-full",
            """{"metadata":{"annotations":{"x":"1"}}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("ConfigMap \"annotated-full\" is invalid: metadata.annotations: Too long: must have at most 262144 bytes", body!["message"]!.GetValue<string>());
        Assert.Equal([("metadata.annotations", "FieldValueTooLong", "Too long: must have at most 262144 bytes")], Causes(body));
        Assert.Null(fixture.Emulator.Store.Get(CoreKinds.ConfigMaps, "default", "annotated-full").StringAt("metadata", "annotations", "x"));
    }

    [Theory]
    [InlineData("1web", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("web.front", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character")]
    public async Task ServiceNamesAreDns1035Labels(string name, string message)
    {
        var service = JsonNode.Parse($$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"ports":[{"port":80}]}}""")!;

        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/services", service);
        var (ok, _) = await Api.PostAsync("/api/v1/namespaces/default/services", JsonNode.Parse("""{"metadata":{"name":"web-1"},"spec":{"ports":[{"port":80}]}}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var cause = Assert.Single(Causes(body));
        Assert.Equal("metadata.name", cause.Field);
        Assert.StartsWith($"Invalid value: \"{name}\": {message}", cause.Message, StringComparison.Ordinal);
        Assert.True(ok is HttpStatusCode.Created or HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task NameLengthAndPatternAreSeparateCauses()
    {
        var name = new string('n', 64);

        var (status, body) = await Api.PostAsync("/api/v1/namespaces", JsonNode.Parse($$$"""{"metadata":{"name":"{{{name}}}"}}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal([("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be no more than 63 characters")], Causes(body));
    }

    [Fact]
    public async Task RbacNamesArePathSegmentsSoSystemNamesWork()
    {
        var (created, _) = await Api.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles",
            JsonNode.Parse("""{"metadata":{"name":"system:controller:dry-test"},"rules":[]}""")!);
        var (refused, body) = await Api.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles",
            JsonNode.Parse("""{"metadata":{"name":"50%off"},"rules":[]}""")!);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal([("metadata.name", "FieldValueInvalid", "Invalid value: \"50%off\": may not contain '%'")], Causes(body));
    }

    [Fact]
    public async Task NodeTaintsNeedQualifiedKeysLabelValuesKnownEffectsAndNoDuplicates()
    {
        var (status, body) = await Api.PatchAsync("/api/v1/nodes/worker-1", """
            {"spec":{"taints":[
              {"key":"bad key","value":"v","effect":"NoSchedule"},
              {"key":"dedicated","value":"-db","effect":"NoSchedul"},
              {"key":"dedicated","value":"db"},
              {"key":"gpu","effect":"NoExecute"},
              {"key":"gpu","value":"x","effect":"NoExecute"}]}}
            """, "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(
            [
                ("spec.taints[0].key", "FieldValueInvalid", $"Invalid value: \"bad key\": {NamePart}"),
                ("spec.taints[1].value", "FieldValueInvalid", "Invalid value: \"-db\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
                ("spec.taints[1].effect", "FieldValueNotSupported", "Unsupported value: \"NoSchedul\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
                ("spec.taints[2].effect", "FieldValueRequired", "Required value"),
                ("spec.taints[4]", "FieldValueDuplicate", "Duplicate value: core.Taint{Key:\"gpu\", Value:\"x\", Effect:\"NoExecute\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair"),
            ],
            Causes(body));
        Assert.Null(fixture.Emulator.Store.Get(CoreKinds.Nodes, null, "worker-1").At("spec", "taints"));
    }

    [Fact]
    public async Task ConfigMapAndSecretKeysAreConfigKeys()
    {
        var (configMap, configBody) = await Api.PostAsync("/api/v1/namespaces/default/configmaps",
            JsonNode.Parse("""{"metadata":{"name":"bad-keys"},"data":{"ok.KEY_1":"v","bad key":"v","..hidden":"v"}}""")!);
        var (secret, secretBody) = await Api.PostAsync("/api/v1/namespaces/default/secrets",
            JsonNode.Parse("""{"metadata":{"name":"bad-keys"},"data":{"a/b":"dg=="}}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, configMap);
        const string ConfigKey = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
        Assert.Equal(
            [
                ("data[bad key]", "FieldValueInvalid", $"Invalid value: \"bad key\": {ConfigKey}"),
                ("data[..hidden]", "FieldValueInvalid", "Invalid value: \"..hidden\": must not start with '..'"),
            ],
            Causes(configBody));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, secret);
        Assert.Equal([("data[a/b]", "FieldValueInvalid", $"Invalid value: \"a/b\": {ConfigKey}")], Causes(secretBody));
    }

    private static JsonNode Pod(string name, string resources) => JsonNode.Parse($$$"""
        {"metadata":{"name":"{{{name}}}"},"spec":{"containers":[{"name":"c","image":"pause:3.10","resources":{{{resources}}}}]}}
        """)!;

    [Fact]
    public async Task AQuantityThatDoesNotParseFailsTheDecodeWith400()
    {
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/pods", Pod("bad-cpu", """{"requests":{"cpu":"one"}}"""));
        var (volume, volumeBody) = await Api.PostAsync("/api/v1/persistentvolumes",
            JsonNode.Parse("""{"metadata":{"name":"bad-size"},"spec":{"capacity":{"storage":"10 Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/x"}}}""")!);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", body!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, volume);
        Assert.StartsWith("PersistentVolume in version \"v1\" cannot be handled as a PersistentVolume: quantities must match", volumeBody!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContainerResourcesAreStandardNonNegativeAndRequestsWithinLimits()
    {
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/pods",
            Pod("bad-resources", """{"limits":{"cpu":"1"},"requests":{"cpu":"1500m","memory":"-1Mi","cpus":"1"}}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(
            [
                ("spec.containers[0].resources.requests[memory]", "FieldValueInvalid", "Invalid value: \"-1Mi\": must be greater than or equal to 0"),
                ("spec.containers[0].resources.requests[cpus]", "FieldValueInvalid", "Invalid value: \"cpus\": must be a standard resource for containers"),
                ("spec.containers[0].resources.requests", "FieldValueInvalid", "Invalid value: \"1500m\": must be less than or equal to cpu limit of 1"),
            ],
            Causes(body));
    }

    [Fact]
    public async Task QuantitiesReadBackAsTheServerPrintsThem()
    {
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/pods",
            Pod("canonical", """{"limits":{"cpu":"0.5","memory":"1024Mi"},"requests":{"cpu":0.25,"memory":"1000000","ephemeral-storage":"2000000u"}}"""));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("""{"limits":{"cpu":"500m","memory":"1Gi"},"requests":{"cpu":"250m","memory":"1M","ephemeral-storage":"2"}}""",
            body!["spec"]!["containers"]![0]!["resources"]!.ToJsonString());
    }

    [Fact]
    public async Task WorkloadTemplatesAreValidatedLikePods()
    {
        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"bad-template"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"t"}},
             "template":{"metadata":{"labels":{"app":"t"}},"spec":{"containers":[{"name":"c","image":"pause:3.10","resources":{"requests":{"memory":"-5"}}}]}}}}
            """)!;

        var (status, body) = await Api.PostAsync("/apis/apps/v1/namespaces/default/deployments", deployment);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal([("spec.template.spec.containers[0].resources.requests[memory]", "FieldValueInvalid", "Invalid value: \"-5\": must be greater than or equal to 0")], Causes(body));
    }

    [Fact]
    public async Task AVolumeNeedsAccessModesAndAPositiveStorageCapacity()
    {
        var (status, body) = await Api.PostAsync("/api/v1/persistentvolumes",
            JsonNode.Parse("""{"metadata":{"name":"no-size"},"spec":{"capacity":{"storage":"0"},"hostPath":{"path":"/x"}}}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(
            [
                ("spec.accessModes", "FieldValueRequired", "Required value"),
                ("spec.capacity[storage]", "FieldValueInvalid", "Invalid value: \"0\": must be greater than zero"),
            ],
            Causes(body));
    }
}
