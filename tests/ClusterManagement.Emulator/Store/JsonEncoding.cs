using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClusterManagement.Emulator.Store;

/// <summary>
/// One encoding for everything the emulator writes: quotes escaped as \" like Go's encoder, not
/// \u0022, so bodies read (and grep) the way a real apiserver's do.
/// </summary>
public static class JsonEncoding
{
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions Serializer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
