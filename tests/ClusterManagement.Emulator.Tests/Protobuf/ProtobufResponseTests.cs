using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Protobuf;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;
using Google.Protobuf;

namespace ClusterManagement.Emulator.Tests.Protobuf;

/// <summary>
/// Answers in protobuf for clients that prefer it, as the apiserver negotiates and encodes them
/// (handlers/negotiation NegotiateOutputMediaType; runtime/serializer/protobuf: <c>k8s\0</c> and
/// runtime.Unknown). Read back three ways: field by field with Google.Protobuf's CodedInputStream and
/// the numbers of kubectl's own descriptors, through the emulator's decoder, and by kubectl itself, a
/// Go client that asks for protobuf first and decodes with the generated Kubernetes code.
/// </summary>
public sealed class ProtobufResponseTests
{
    private const string Protobuf = "application/vnd.kubernetes.protobuf";

    private static readonly Lazy<KubeProtoSchema> LazySchema = new(() => KubeProtoSchema.FromGoBinary(Kubectl.Path));

    private static KubeProtoSchema Schema => LazySchema.Value;

    private static int Number(string message, string field) => new ProtoBuilder(Schema, message).Field(field).Number;

    private static async Task<(HttpStatusCode Status, string? ContentType, byte[] Body)> GetAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The length-delimited fields of one message by number, read with the protobuf library alone.</summary>
    private static Dictionary<int, List<ByteString>> Fields(ByteString message)
    {
        var fields = new Dictionary<int, List<ByteString>>();
        var input = message.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
            {
                input.SkipLastField();
                continue;
            }
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!fields.TryGetValue(number, out var values))
            {
                fields[number] = values = [];
            }
            values.Add(input.ReadBytes());
        }
        return fields;
    }

    /// <summary>The envelope: magic, then Unknown's typeMeta (apiVersion, kind) and raw.</summary>
    private static (string ApiVersion, string Kind, ByteString Raw) Unwrap(byte[] body)
    {
        Assert.Equal("k8s\0"u8.ToArray(), body[..4]);
        const string Unknown = ".k8s.io.apimachinery.pkg.runtime.Unknown";
        var envelope = Fields(ByteString.CopyFrom(body, 4, body.Length - 4));
        var typeMeta = Fields(envelope[Number(Unknown, "typeMeta")].Single());
        const string TypeMeta = ".k8s.io.apimachinery.pkg.runtime.TypeMeta";
        return (typeMeta[Number(TypeMeta, "apiVersion")].Single().ToStringUtf8(), typeMeta[Number(TypeMeta, "kind")].Single().ToStringUtf8(), envelope[Number(Unknown, "raw")].Single());
    }

    [KubectlFact]
    public async Task AClientThatPrefersProtobufGetsObjectsAndListsInProtobufAndJsonWhenItPrefersJson()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        using var http = emulator.CreateClient();
        emulator.Store.Create(CoreKinds.Secrets, JsonNode.Parse("""{"metadata":{"name":"s","namespace":"default","labels":{"app":"x"}},"data":{"a":"Yg=="},"type":"Opaque"}""")!.AsObject());
        var stored = emulator.Store.Get(CoreKinds.Secrets, "default", "s")!;

        foreach (var accept in new[] { Protobuf, $"{Protobuf}, application/json", $"application/json;q=0.5, {Protobuf}" })
        {
            var (status, contentType, body) = await GetAsync(http, "/api/v1/namespaces/default/secrets/s", accept);
            Assert.Equal((HttpStatusCode.OK, Protobuf), (status, contentType));
            var (apiVersion, kind, raw) = Unwrap(body);
            Assert.Equal(("v1", "Secret"), (apiVersion, kind));
            const string Secret = ".k8s.io.api.core.v1.Secret";
            var secret = Fields(raw);
            var meta = Fields(secret[Number(Secret, "metadata")].Single());
            const string ObjectMeta = ".k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
            Assert.Equal("s", meta[Number(ObjectMeta, "name")].Single().ToStringUtf8());
            Assert.Equal(stored.StringAt("metadata", "uid"), meta[Number(ObjectMeta, "uid")].Single().ToStringUtf8());
            var data = Fields(secret[Number(Secret, "data")].Single());
            Assert.Equal(("a", "b"), (data[1].Single().ToStringUtf8(), data[2].Single().ToStringUtf8()));
            Assert.Equal("Opaque", secret[Number(Secret, "type")].Single().ToStringUtf8());
            // Decoded again it is the object the server holds.
            var decoded = new ProtoJsonDecoder(Schema).Decode(Secret, raw);
            decoded.Remove("apiVersion");
            stored.Remove("apiVersion");
            stored.Remove("kind");
            Assert.True(JsonNode.DeepEquals(stored, decoded), $"{stored.ToJsonString()}\n{decoded.ToJsonString()}");
        }

        var list = await GetAsync(http, "/api/v1/namespaces/default/secrets?labelSelector=app%3Dx", Protobuf);
        Assert.Equal((HttpStatusCode.OK, Protobuf), (list.Status, list.ContentType));
        var (listVersion, listKind, listRaw) = Unwrap(list.Body);
        Assert.Equal(("v1", "SecretList"), (listVersion, listKind));
        var items = Fields(listRaw)[Number(".k8s.io.api.core.v1.SecretList", "items")];
        Assert.Equal("s", new ProtoJsonDecoder(Schema).Decode(".k8s.io.api.core.v1.Secret", Assert.Single(items)).StringAt("metadata", "name"));

        // Go structs embedded inline (a Volume's VolumeSource, a key selector's LocalObjectReference) are fields of their own in protobuf.
        emulator.Store.Create(CoreKinds.Pods, JsonNode.Parse("""
            {"metadata":{"name":"p","namespace":"default"},"spec":{"volumes":[{"name":"scratch","emptyDir":{}}],
             "containers":[{"name":"c","image":"pause:3.10","env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"s","key":"a"}}}]}]}}
            """)!.AsObject());
        var pod = Fields(Unwrap((await GetAsync(http, "/api/v1/namespaces/default/pods/p", Protobuf)).Body).Raw);
        var podSpec = Fields(pod[Number(".k8s.io.api.core.v1.Pod", "spec")].Single());
        var volume = Fields(podSpec[Number(".k8s.io.api.core.v1.PodSpec", "volumes")].Single());
        var source = Fields(volume[Number(".k8s.io.api.core.v1.Volume", "volumeSource")].Single());
        Assert.True(source.ContainsKey(Number(".k8s.io.api.core.v1.VolumeSource", "emptyDir")));
        var container = Fields(podSpec[Number(".k8s.io.api.core.v1.PodSpec", "containers")].Single());
        var env = Fields(container[Number(".k8s.io.api.core.v1.Container", "env")].Single());
        var selector = Fields(Fields(env[Number(".k8s.io.api.core.v1.EnvVar", "valueFrom")].Single())[Number(".k8s.io.api.core.v1.EnvVarSource", "secretKeyRef")].Single());
        var reference = Fields(selector[Number(".k8s.io.api.core.v1.SecretKeySelector", "localObjectReference")].Single());
        Assert.Equal("s", reference[Number(".k8s.io.api.core.v1.LocalObjectReference", "name")].Single().ToStringUtf8());

        var json = await GetAsync(http, "/api/v1/namespaces/default/secrets/s", $"application/json, {Protobuf}");
        Assert.Equal((HttpStatusCode.OK, "application/json"), (json.Status, json.ContentType));
        Assert.Equal("s", JsonNode.Parse(json.Body).StringAt("metadata", "name"));
        var table = await GetAsync(http, "/api/v1/namespaces/default/secrets", $"application/json;as=Table;v=v1;g=meta.k8s.io, {Protobuf}");
        Assert.Equal("Table", JsonNode.Parse(table.Body).StringAt("kind"));
    }

    [KubectlFact]
    public async Task KubectlDecodesTheProtobufAnswersToItsGeneratorsIntoTheObjectsTheServerStores()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        foreach (var (command, kind, name) in new[]
        {
            (new[] { "create", "secret", "generic", "pb-secret", "--from-literal=a=b" }, CoreKinds.Secrets, "pb-secret"),
            (new[] { "create", "configmap", "pb-config", "--from-literal=k=v" }, CoreKinds.ConfigMaps, "pb-config"),
            (new[] { "create", "service", "clusterip", "pb-service", "--tcp=80:http" }, CoreKinds.Services, "pb-service"),
        })
        {
            // -v=8 shows the negotiation: kubectl asks for protobuf first and reads what came back.
            var result = await Kubectl.RunAsync(emulator.KubeconfigPath, [.. command, "-o", "json", "--show-managed-fields", "-v=8"]);
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("Accept: application/vnd.kubernetes.protobuf,application/json", result.Error);
            Assert.Matches(@"Response Status: 201 Created[^\n]*\n(?:[^\n]*\n)*?[^\n]*Content-Type: application/vnd\.kubernetes\.protobuf", result.Error);
            var printed = JsonNode.Parse(result.Output)!.AsObject();
            var stored = emulator.Store.Get(kind, "default", name)!;
            Assert.True(JsonNode.DeepEquals(stored, printed), $"{stored.ToJsonString()}\n{printed.ToJsonString()}");
        }
    }

    [KubectlFact]
    public async Task AWatchInProtobufSendsLengthPrefixedWatchEventFrames()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        using var http = emulator.CreateClient();
        emulator.Store.Create(CoreKinds.ConfigMaps, JsonNode.Parse("""{"metadata":{"name":"first","namespace":"default"},"data":{"k":"v"}}""")!.AsObject());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=2");
        request.Headers.TryAddWithoutValidation("Accept", $"{Protobuf}, application/json");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("application/vnd.kubernetes.protobuf;stream=watch", response.Content.Headers.ContentType?.ToString().Replace(" ", ""));
        await Task.Delay(300);
        emulator.Store.Create(CoreKinds.ConfigMaps, JsonNode.Parse("""{"metadata":{"name":"second","namespace":"default"}}""")!.AsObject());
        var stream = await response.Content.ReadAsByteArrayAsync();

        const string WatchEvent = ".k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent";
        var events = new List<(string Type, string Name)>();
        for (var at = 0; at < stream.Length;)
        {
            var length = (stream[at] << 24) | (stream[at + 1] << 16) | (stream[at + 2] << 8) | stream[at + 3];
            var frame = Fields(ByteString.CopyFrom(stream, at + 4, length));
            at += 4 + length;
            var type = frame[Number(WatchEvent, "type")].Single().ToStringUtf8();
            var raw = Fields(frame[Number(WatchEvent, "object")].Single())[Number(".k8s.io.apimachinery.pkg.runtime.RawExtension", "raw")].Single();
            var (apiVersion, kind, message) = Unwrap(raw.ToByteArray());
            Assert.Equal(("v1", "ConfigMap"), (apiVersion, kind));
            events.Add((type, new ProtoJsonDecoder(Schema).Decode(".k8s.io.api.core.v1.ConfigMap", message).StringAt("metadata", "name")!));
        }
        Assert.Equal([("ADDED", "first"), ("ADDED", "second")], events);
    }
}
