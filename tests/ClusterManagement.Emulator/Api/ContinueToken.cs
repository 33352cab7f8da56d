using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// The opaque list continuation: where the previous page stopped, the list's resourceVersion, and
/// when it was issued (tokens older than the configured lifetime, or whose resourceVersion was
/// compacted, are 410, as after etcd compaction).
/// </summary>
public sealed record ContinueToken(long ResourceVersion, string StartAfter, DateTimeOffset IssuedAt)
{
    /// <summary>
    /// The resourceVersion of the token a 410 hands out: the rest of the list at the latest state
    /// (storage.EncodeContinue(key, prefix, -1) in the apiserver's etcd3 store, so it is not mistaken for a bad token).
    /// </summary>
    public const long Latest = -1;

    public const string ExpiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["rv"] = ResourceVersion,
        ["start"] = StartAfter,
        ["issued"] = IssuedAt.ToUnixTimeMilliseconds(),
    }));

    public static ContinueToken? Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        try
        {
            var json = JsonNode.Parse(Base64Url.DecodeFromChars(text))!;
            return new ContinueToken(
                json["rv"]!.GetValue<long>(),
                json["start"]!.GetValue<string>(),
                DateTimeOffset.FromUnixTimeMilliseconds(json["issued"]!.GetValue<long>()));
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw Status.BadRequest($"continue key is not valid: {e.Message}");
        }
    }

    /// <summary>
    /// handleCompactedErrorForPaging: 410 Expired whose Status carries a token for the rest of the
    /// list at the latest resourceVersion (no remainingItemCount: the real Status has none either).
    /// </summary>
    public ApiException Expired(DateTimeOffset now) => new(410, "Expired", ExpiredMessage)
    {
        ListMeta = new JsonObject { ["continue"] = (this with { ResourceVersion = Latest, IssuedAt = now }).Encode() },
    };
}
