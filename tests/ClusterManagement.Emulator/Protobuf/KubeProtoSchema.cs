using System.IO.Compression;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ClusterManagement.Emulator.Protobuf;

/// <summary>
/// The k8s.io protobuf messages (k8s.io/api and apimachinery generated.proto), read from a Kubernetes
/// Go client: every generated.pb.go registers its generated.proto as a gzipped FileDescriptorProto,
/// so the kubectl on this machine carries the exact schemas its generators encode with. Nothing is
/// typed by hand and the schema always matches the client under test.
/// </summary>
public sealed class KubeProtoSchema
{
    /// <summary>The gzip header Go's compress/gzip writes at best compression (no name, no time, OS unknown).</summary>
    private static readonly byte[] GoGzipHeader = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0x02, 0xff];

    private const string KubernetesFilePrefix = "k8s.io/";

    /// <summary>
    /// gogoproto.nullable (extension 65001 of FieldOptions in gogo.proto), which go-to-protobuf writes into
    /// the registered descriptors: false marks a Go value field, absent (true) a pointer.
    /// </summary>
    private static readonly Extension<FieldOptions, bool> GogoNullable =
        new(65001, FieldCodec.ForBool(WireFormat.MakeTag(65001, WireFormat.WireType.Varint), true));

    private static readonly MessageParser<FileDescriptorProto> DescriptorParser =
        FileDescriptorProto.Parser.WithExtensionRegistry([GogoNullable]);

    private static readonly Lazy<KubeProtoSchema?> FromInstalledKubectl = new(() =>
    {
        try
        {
            return FindOnPath("kubectl") is { } kubectl ? FromGoBinary(kubectl) : null;
        }
        catch (InvalidDataException)
        {
            // A kubectl that is a wrapper script carries no schemas: protobuf is then not accepted at all.
            return null;
        }
    });

    private readonly Dictionary<string, DescriptorProto> messages = new(StringComparer.Ordinal);

    private KubeProtoSchema(IEnumerable<FileDescriptorProto> files)
    {
        foreach (var file in files)
        {
            Files.Add(file.Name);
            foreach (var message in file.MessageType)
            {
                Index("." + file.Package, message);
            }
        }
    }

    /// <summary>The schema of the kubectl on PATH, read once; null when there is none or it is no Go client (protobuf bodies are then refused with 415).</summary>
    public static KubeProtoSchema? Installed => FromInstalledKubectl.Value;

    /// <summary>The generated.proto files found, by their import path (<c>k8s.io/api/core/v1/generated.proto</c>).</summary>
    public List<string> Files { get; } = [];

    /// <summary>A message by its full name with the leading dot, as descriptors name field types (<c>.k8s.io.api.core.v1.Secret</c>).</summary>
    public DescriptorProto? Message(string fullName) => messages.GetValueOrDefault(fullName);

    /// <summary>
    /// Whether the Go field behind <paramref name="field"/> is a pointer: its zero value was set on
    /// purpose (<c>replicas: 0</c>, <c>storageClassName: ""</c>), while a value field's zero means unset.
    /// </summary>
    public static bool IsGoPointer(FieldDescriptorProto field) => field.Options?.GetExtension(GogoNullable) ?? true;

    public static KubeProtoSchema FromGoBinary(string path)
    {
        var binary = File.ReadAllBytes(path);
        var files = new Dictionary<string, FileDescriptorProto>();
        for (var at = binary.AsSpan().IndexOf(GoGzipHeader); at >= 0;)
        {
            if (TryReadDescriptor(binary, at + GoGzipHeader.Length) is { } file && file.Name.StartsWith(KubernetesFilePrefix, StringComparison.Ordinal))
            {
                files.TryAdd(file.Name, file);
            }
            var next = binary.AsSpan(at + 1).IndexOf(GoGzipHeader);
            at = next < 0 ? -1 : at + 1 + next;
        }
        if (files.Count == 0)
        {
            throw new InvalidDataException($"{path} registers no k8s.io protobuf descriptors; it is not a Kubernetes Go client");
        }
        return new KubeProtoSchema(files.Values);
    }

    private static FileDescriptorProto? TryReadDescriptor(byte[] binary, int deflateStart)
    {
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(binary, deflateStart, binary.Length - deflateStart), CompressionMode.Decompress);
            var file = DescriptorParser.ParseFrom(deflate);
            return file.HasName ? file : null;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException)
        {
            // Most gzip headers in a Go binary belong to other embedded data.
            return null;
        }
    }

    private void Index(string scope, DescriptorProto message)
    {
        var fullName = scope + "." + message.Name;
        messages[fullName] = message;
        foreach (var nested in message.NestedType)
        {
            Index(fullName, nested);
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
