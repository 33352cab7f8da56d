using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Protobuf;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;
using Google.Protobuf;

namespace ClusterManagement.Emulator.Tests.Protobuf;

/// <summary>
/// The protobuf request-body decoder: the JSON it makes of each special type, and the API server's
/// 400s for damaged or mismatched bodies (apiserver's transformDecodeError around the serializer's errors).
/// </summary>
public sealed class ProtobufBodyTests
{
    private static readonly Lazy<KubeProtoSchema> LazySchema = new(() => KubeProtoSchema.FromGoBinary(Kubectl.Path));

    private static KubeProtoSchema Schema => LazySchema.Value;

    private static ProtoBuilder Build(string message) => new(Schema, message);

    private static byte[] SecretBody(string name) => ProtoBuilder.Envelope(Schema, "v1", "Secret",
        Build(".k8s.io.api.core.v1.Secret")
            .Message("metadata", m => m.String("name", name))
            .Message("data", e => e.String("key", "a").Bytes("value", "b"u8.ToArray()))
            .Message("data", e => e.String("key", "empty").Bytes("value", []))
            .String("type", "Opaque")
            .ToBytes());

    private static string Refusal(byte[] body, string groupVersion = "v1", string kind = "Secret")
    {
        var error = Assert.Throws<ApiException>(() => ProtobufBody.Decode(body, Schema, groupVersion, kind));
        Assert.Equal((400, "BadRequest"), (error.Code, error.Reason));
        return error.Message;
    }

    [KubectlFact]
    public void TheSchemaIsTheOneKubectlEncodesWith()
    {
        foreach (var file in new[]
        {
            "k8s.io/api/core/v1", "k8s.io/api/apps/v1", "k8s.io/api/batch/v1", "k8s.io/api/policy/v1", "k8s.io/api/rbac/v1",
            "k8s.io/api/scheduling/v1", "k8s.io/apimachinery/pkg/apis/meta/v1", "k8s.io/apimachinery/pkg/runtime",
            "k8s.io/apimachinery/pkg/util/intstr", "k8s.io/apimachinery/pkg/api/resource",
        })
        {
            Assert.Contains(file + "/generated.proto", Schema.Files);
        }
        Assert.Equal(3, Build(".k8s.io.api.apps.v1.DeploymentSpec").Field("template").Number);
    }

    [Fact]
    public void AProgramThatRegistersNoKubernetesSchemasIsNotASchemaSource()
    {
        var script = Path.GetTempFileName();
        try
        {
            File.WriteAllText(script, "#!/bin/sh\nexec /opt/real/kubectl \"$@\"\n");
            var error = Assert.Throws<InvalidDataException>(() => KubeProtoSchema.FromGoBinary(script));
            Assert.EndsWith("registers no k8s.io protobuf descriptors; it is not a Kubernetes Go client", error.Message);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [KubectlFact]
    public void ASecretBecomesTheJsonTheServerStores()
    {
        var secret = ProtobufBody.Decode(SecretBody("s"), Schema, "v1", "Secret");
        Assert.Equal("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"Yg==","empty":""},"type":"Opaque"}""", secret.ToJsonString());
    }

    [KubectlFact]
    public void SpecialTypesTakeTheirJsonForms()
    {
        var decoder = new ProtoJsonDecoder(Schema);
        var budget = decoder.Decode(".k8s.io.api.policy.v1.PodDisruptionBudget", ByteString.CopyFrom(Build(".k8s.io.api.policy.v1.PodDisruptionBudget")
            .Message("metadata", m => m
                .Message("creationTimestamp", t => t.Varint("seconds", 1_700_000_000))
                .Message("deletionTimestamp", _ => { })
                .Message("managedFields", f => f
                    .Message("time", t => t.Varint("seconds", 0).Varint("nanos", 0))
                    .Message("fieldsV1", v => v.Bytes("Raw", """{"f:spec":{}}"""u8.ToArray()))))
            .Message("spec", s => s
                .Message("minAvailable", i => i.Varint("type", 0).Varint("intVal", 2))
                .Message("maxUnavailable", i => i.Varint("type", 1).String("strVal", "25%")))
            .ToBytes()));
        Assert.Equal("""{"metadata":{"creationTimestamp":"2023-11-14T22:13:20Z","deletionTimestamp":null,"managedFields":[{"time":"1970-01-01T00:00:00Z","fieldsV1":{"f:spec":{}}}]},"spec":{"minAvailable":2,"maxUnavailable":"25%"}}""",
            budget.ToJsonString());

        var quota = decoder.Decode(".k8s.io.api.core.v1.ResourceQuotaSpec", ByteString.CopyFrom(Build(".k8s.io.api.core.v1.ResourceQuotaSpec")
            .Message("hard", e => e.String("key", "memory").Message("value", q => q.String("string", "1Gi")))
            .ToBytes()));
        Assert.Equal("""{"hard":{"memory":"1Gi"}}""", quota.ToJsonString());

        var revision = decoder.Decode(".k8s.io.api.apps.v1.ControllerRevision", ByteString.CopyFrom(Build(".k8s.io.api.apps.v1.ControllerRevision")
            .Message("data", r => r.Bytes("raw", """{"spec":{"x":1}}"""u8.ToArray()))
            .Varint("revision", 3)
            .ToBytes()));
        Assert.Equal("""{"data":{"spec":{"x":1}},"revision":3}""", revision.ToJsonString());

        var lease = decoder.Decode(".k8s.io.api.coordination.v1.LeaseSpec", ByteString.CopyFrom(Build(".k8s.io.api.coordination.v1.LeaseSpec")
            .Message("renewTime", t => t.Varint("seconds", 1_700_000_000).Varint("nanos", 123_456_000))
            .ToBytes()));
        Assert.Equal("""{"renewTime":"2023-11-14T22:13:20.123456Z"}""", lease.ToJsonString());
    }

    [KubectlFact]
    public void APointersZeroIsKeptAndAValueFieldsZeroIsUnset()
    {
        var decoder = new ProtoJsonDecoder(Schema);
        // Go sends both; only the pointers were set on purpose (gogoproto.nullable tells them apart).
        var spec = decoder.Decode(".k8s.io.api.apps.v1.DeploymentSpec", ByteString.CopyFrom(Build(".k8s.io.api.apps.v1.DeploymentSpec")
            .Varint("replicas", 0)
            .Varint("minReadySeconds", 0)
            .Varint("paused", 0)
            .ToBytes()));
        Assert.Equal("""{"replicas":0}""", spec.ToJsonString());

        var claim = decoder.Decode(".k8s.io.api.core.v1.PersistentVolumeClaimSpec", ByteString.CopyFrom(Build(".k8s.io.api.core.v1.PersistentVolumeClaimSpec")
            .String("storageClassName", "")
            .String("volumeName", "")
            .ToBytes()));
        Assert.Equal("""{"storageClassName":""}""", claim.ToJsonString());
    }

    [KubectlFact]
    public void PackedAndUnpackedRepeatedScalarsDecodeAlike()
    {
        var decoder = new ProtoJsonDecoder(Schema);
        const string Context = ".k8s.io.api.core.v1.PodSecurityContext";
        var unpacked = Build(Context).Varint("supplementalGroups", 1).Varint("supplementalGroups", 2).ToBytes();
        var packed = Build(Context).Write("supplementalGroups", WireFormat.WireType.LengthDelimited, o => o.WriteBytes(ByteString.CopyFrom(1, 2))).ToBytes();
        Assert.Equal("""{"supplementalGroups":[1,2]}""", decoder.Decode(Context, ByteString.CopyFrom(unpacked)).ToJsonString());
        Assert.Equal("""{"supplementalGroups":[1,2]}""", decoder.Decode(Context, ByteString.CopyFrom(packed)).ToJsonString());
    }

    [KubectlFact]
    public void DamagedBodiesAreRefusedWithTheServersMessages()
    {
        var json = """{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"}}"""u8.ToArray();
        Assert.Equal("the object provided is unrecognized (must be of type Secret): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({\"kind\":\"Secret\",\"apiVersion\": ...)",
            Refusal(json));
        Assert.Equal("the object provided is unrecognized (must be of type Secret): empty data (<empty>)", Refusal([]));
        Assert.Equal("the object provided is unrecognized (must be of type Secret): empty body (6b387300)", Refusal(ProtoBuilder.Magic));

        var whole = SecretBody("s");
        Assert.Equal("the object provided is unrecognized (must be of type Secret): unexpected EOF (" + Convert.ToHexStringLower(whole.AsSpan(0, 30)) + " ...)",
            Refusal(whole[..^3]));

        var truncatedRaw = Build(".k8s.io.api.core.v1.Secret").Message("metadata", m => m.String("name", "s")).ToBytes()[..^1];
        Assert.Equal("Secret in version \"v1\" cannot be handled as a Secret: unexpected EOF",
            Refusal(ProtoBuilder.Envelope(Schema, "v1", "Secret", truncatedRaw)));

        var wrongWireType = Build(".k8s.io.api.core.v1.Secret").Varint("type", 1).ToBytes();
        Assert.Equal("Secret in version \"v1\" cannot be handled as a Secret: proto: wrong wireType = 0 for field Type",
            Refusal(ProtoBuilder.Envelope(Schema, "v1", "Secret", wrongWireType)));
    }

    [KubectlFact]
    public void AKindOtherThanTheResourcesIsRefused()
    {
        var raw = Build(".k8s.io.api.core.v1.ConfigMap").Message("metadata", m => m.String("name", "c")).ToBytes();
        Assert.Equal("Widget in version \"v1\" cannot be handled as a Secret: no kind \"Widget\" is registered for version \"v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"",
            Refusal(ProtoBuilder.Envelope(Schema, "v1", "Widget", raw)));
        Assert.Equal("ConfigMap in version \"v1\" cannot be handled as a Secret: converting (v1.ConfigMap) to (core.Secret): unknown conversion",
            Refusal(ProtoBuilder.Envelope(Schema, "v1", "ConfigMap", raw)));
        var deployment = Build(".k8s.io.api.apps.v1beta1.Deployment").Message("metadata", m => m.String("name", "d")).ToBytes();
        Assert.Equal("the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)",
            Refusal(ProtoBuilder.Envelope(Schema, "apps/v1beta1", "Deployment", deployment), "apps/v1", "Deployment"));
    }

    [KubectlFact]
    public async Task OverHttpABodyGoesThroughTheSameValidationAndTheAnswerIsInTheAcceptedType()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        using var http = emulator.CreateClient();

        using var created = await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/secrets", SecretBody("s"), "application/vnd.kubernetes.protobuf, application/json");
        Assert.Equal((HttpStatusCode.Created, ProtobufBody.MediaType), (created.StatusCode, created.Content.Headers.ContentType?.MediaType));
        Assert.Equal("Yg==", emulator.Store.Get(CoreKinds.Secrets, "default", "s").StringAt("data", "a"));

        using var invalid = await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/secrets", SecretBody("Not_A_Name"), "application/json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Null(emulator.Store.Get(CoreKinds.Secrets, "default", "Not_A_Name"));

        var replaced = ProtoBuilder.Envelope(Schema, "v1", "Secret", Build(".k8s.io.api.core.v1.Secret")
            .Message("metadata", m => m.String("name", "s"))
            .Message("data", e => e.String("key", "a").Bytes("value", "c"u8.ToArray()))
            .ToBytes());
        using var updated = await SendAsync(http, HttpMethod.Put, "/api/v1/namespaces/default/secrets/s", replaced, "application/json");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Yw==", emulator.Store.Get(CoreKinds.Secrets, "default", "s").StringAt("data", "a"));

        using var protobufOnly = await SendAsync(http, HttpMethod.Get, "/api/v1/namespaces/default/secrets/s", null, "application/vnd.kubernetes.protobuf");
        Assert.Equal((HttpStatusCode.OK, ProtobufBody.MediaType), (protobufOnly.StatusCode, protobufOnly.Content.Headers.ContentType?.MediaType));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, byte[]? body, string accept)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(ProtobufBody.MediaType);
        }
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await http.SendAsync(request);
    }
}
