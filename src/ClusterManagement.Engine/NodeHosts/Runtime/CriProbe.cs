using System.Text;
using System.Text.Json;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;

namespace ClusterManagement.Engine.NodeHosts.Runtime;

/// <summary>What a CRI runtime says about itself: its conditions and, from containerd, the configuration it loaded.</summary>
internal sealed record CriStatus(IReadOnlyList<CriCondition> Conditions, IReadOnlyDictionary<string, string> Info)
{
    public CriCondition? Condition(string type) => Conditions.FirstOrDefault(c => c.Type == type);

    /// <summary>containerd's CRI configuration as it runs, not as its file says; null from runtimes that do not report it.</summary>
    public JsonElement? LoadedConfig => Info.TryGetValue("config", out var json) ? JsonDocument.Parse(json).RootElement : null;
}

internal sealed record CriCondition(string Type, bool Status, string Reason, string Message);

/// <summary>
/// Asks the runtime on the node through the CRI itself (RuntimeService/Status over gRPC on its unix
/// socket), as the kubelet does: a file that exists proves nothing, an answer does. The call is
/// curl's HTTP/2 on the node (every distribution's curl has it), so the node needs no crictl.
/// </summary>
internal static class CriProbe
{
    /// <summary>A StatusRequest{verbose: true} in its gRPC frame: uncompressed, 2 bytes.</summary>
    private const string StatusFrame = @"\000\000\000\000\002\010\001";

    public static string Script(string socketPath) =>
        $"printf '{StatusFrame}' | curl -sS --max-time 5 --http2-prior-knowledge --unix-socket {NodeShell.Quote(socketPath)} -X POST " +
        "-H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- -D /dev/stderr http://localhost/runtime.v1.RuntimeService/Status | base64 -w0";

    public static async Task<CriStatus> StatusAsync(NodeShell shell, string node, string criSocket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socketPath = criSocket.StartsWith("unix://", StringComparison.Ordinal) ? criSocket["unix://".Length..] : criSocket;
        var result = await shell.SudoAsync(Script(socketPath), timeout, cancellationToken).ConfigureAwait(false);
        return Parse(result, node, criSocket);
    }

    internal static CriStatus Parse(CommandResult result, string node, string criSocket)
    {
        var headers = result.Error.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var status = headers.LastOrDefault(l => l.StartsWith("grpc-status:", StringComparison.OrdinalIgnoreCase))?["grpc-status:".Length..].Trim();
        if (status != "0")
        {
            var why = status is null
                ? NodeShell.Tail(string.Join('\n', headers.Where(l => l.StartsWith("curl:", StringComparison.Ordinal))), 2)
                : $"gRPC status {status}: {Uri.UnescapeDataString(headers.LastOrDefault(l => l.StartsWith("grpc-message:", StringComparison.OrdinalIgnoreCase))?["grpc-message:".Length..].Trim() ?? string.Empty)}";
            throw new ClusterException(ClusterErrors.ContainerRuntimeNotReady, $"No CRI runtime answers on {criSocket} on {node} ({(why.Length > 0 ? why : "no answer")}).", node);
        }

        try
        {
            return Decode(Convert.FromBase64String(result.Output.Trim()));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException or InvalidDataException)
        {
            throw new ClusterException(ClusterErrors.ContainerRuntimeNotReady, $"What answers on {criSocket} on {node} is not a CRI runtime: its Status response does not decode ({e.Message}).", node);
        }
    }

    private static CriStatus Decode(byte[] frame)
    {
        // The gRPC frame header: a compression flag and the 4-byte message length.
        var message = frame.AsSpan(5).ToArray();
        var conditions = new List<CriCondition>();
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in Fields(message))
        {
            if (field == 1)
            {
                foreach (var (conditionField, condition) in Fields(value))
                {
                    if (conditionField != 1)
                    {
                        continue;
                    }

                    var parts = Fields(condition).ToDictionary(f => f.Field, f => f.Value);
                    conditions.Add(new CriCondition(Text(parts, 1), parts.TryGetValue(2, out var flag) && flag.Length > 0 && flag[0] == 1, Text(parts, 3), Text(parts, 4)));
                }
            }
            else if (field == 2)
            {
                var entry = Fields(value).ToDictionary(f => f.Field, f => f.Value);
                info[Text(entry, 1)] = Text(entry, 2);
            }
        }

        return new CriStatus(conditions, info);
    }

    private static string Text(Dictionary<int, byte[]> fields, int field) => fields.TryGetValue(field, out var bytes) ? Encoding.UTF8.GetString(bytes) : string.Empty;

    /// <summary>The fields of a protobuf message: varints as their value's bytes (one byte is enough for the flags read here), length-delimited ones as their content.</summary>
    private static IEnumerable<(int Field, byte[] Value)> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message, ref position);
            switch (key & 7)
            {
                case 0:
                    yield return ((int)(key >> 3), [(byte)Varint(message, ref position)]);
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    yield return ((int)(key >> 3), message[position..(position + length)]);
                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected protobuf wire type {key & 7} in a CRI Status response.");
            }
        }
    }

    private static ulong Varint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
