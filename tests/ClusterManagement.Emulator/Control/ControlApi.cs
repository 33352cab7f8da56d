using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Diagnostics;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Store;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Control;

/// <summary>
/// /_emulator/*: lets out-of-process tests (Pester, the sandbox) do what in-process tests do through
/// <see cref="KubeEmulator"/>. Only the control token is accepted, never a cluster credential.
/// Routes are listed in README.md.
/// </summary>
public sealed class ControlApi(string controlToken, FaultInjector faults, ObjectStore store, NodeHeartbeats heartbeats, RequestLog log, EmulatorSettings settings, Func<JsonObject> describe)
{
    public const string Prefix = "/_emulator";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions ImageJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public async Task HandleAsync(HttpContext context, byte[] body)
    {
        try
        {
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {controlToken}")
            {
                throw Status.Unauthorized();
            }
            var segments = context.Request.Path.Value![Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
            var (code, result) = (context.Request.Method, segments) switch
            {
                ("GET", ["status"]) => (200, describe()),
                ("GET", ["faults"]) => (200, Faults()),
                ("POST", ["faults"]) => (201, new JsonObject { ["id"] = faults.Add(Read<FaultRule>(body)) }),
                ("DELETE", ["faults"]) => Done(faults.Clear),
                ("GET", ["faults", var id]) => (200, Fault(id)),
                ("POST", ["outage"]) => (201, Outage(Read<OutageRequest>(body))),
                ("POST", ["watch", "compact"]) => (200, new JsonObject { ["resourceVersion"] = store.ResourceVersion.ToString(), ["watchesEnded"] = store.Compact() }),
                ("DELETE", ["faults", var id]) => faults.Remove(id) ? (200, Ok()) : throw new ApiException(404, "NotFound", $"fault \"{id}\" not found"),
                ("POST", ["nodes", var node, "heartbeat", "stop"]) => Done(() => heartbeats.Stop(node)),
                ("POST", ["nodes", var node, "heartbeat", "resume"]) => Done(() => heartbeats.Resume(node)),
                ("GET", ["requests"]) => (200, Requests(context.Request.Query["since"])),
                ("DELETE", ["requests"]) => Done(log.Clear),
                ("GET", ["settings"]) => (200, Settings()),
                ("PATCH" or "PUT", ["settings"]) => (200, ChangeSettings(body)),
                ("GET", ["images"]) => (200, Images()),
                ("PUT", ["images"]) => (200, DeclareImage(body)),
                ("DELETE", ["images"]) => Done(settings.Images.Clear),
                _ => throw Status.UnknownResource(),
            };
            await JsonResponse.WriteAsync(context, code, result);
        }
        catch (ApiException e)
        {
            await JsonResponse.WriteStatusAsync(context, e);
        }
        catch (JsonException e)
        {
            await JsonResponse.WriteStatusAsync(context, Status.BadRequest(e.Message));
        }
    }

    private static (int, JsonNode) Done(Action action)
    {
        action();
        return (200, Ok());
    }

    private static JsonObject Ok() => new() { ["ok"] = true };

    private static T Read<T>(byte[] body) => JsonSerializer.Deserialize<T>(body, Json) ?? throw Status.BadRequest("empty body");

    private JsonArray Faults() => new(faults.Rules.Select(r =>
    {
        var rule = JsonSerializer.SerializeToNode(r.Rule, Json)!.AsObject();
        rule["id"] = r.Id;
        rule["remaining"] = r.Remaining;
        return (JsonNode)rule;
    }).ToArray());

    private JsonObject Fault(string id)
    {
        var (rule, remaining, hits, active) = faults.Find(id) ?? throw new ApiException(404, "NotFound", $"fault \"{id}\" not found");
        var json = JsonSerializer.SerializeToNode(rule, Json)!.AsObject();
        json["id"] = id;
        json["remaining"] = remaining;
        json["hits"] = hits;
        json["active"] = active;
        return json;
    }

    /// <summary>
    /// The API server goes away for a while, as in a restart: open watches lose their connection and
    /// every request (control calls and health checks aside) is dropped until the time is up.
    /// </summary>
    private JsonObject Outage(OutageRequest request)
    {
        if (request.Seconds is not > 0)
        {
            throw Status.BadRequest("seconds must be a positive number");
        }
        var id = faults.Add(new FaultRule { Path = "*", Abort = true, DurationMilliseconds = (int)(request.Seconds.Value * 1000) });
        return new JsonObject { ["id"] = id, ["watchesDropped"] = store.DisconnectWatches() };
    }

    private sealed record OutageRequest(double? Seconds);

    private JsonNode Requests(string? since) =>
        JsonSerializer.SerializeToNode(log.Since(long.TryParse(since, out var s) ? s : 0), Json)!;

    private JsonObject Settings() => new()
    {
        ["heartbeatSeconds"] = settings.HeartbeatInterval.TotalSeconds,
        ["nodeGraceSeconds"] = settings.NodeGracePeriod.TotalSeconds,
        ["nodeStatusReportSeconds"] = settings.NodeStatusReportFrequency.TotalSeconds,
        ["podReadySeconds"] = settings.PodReadyDelay.TotalSeconds,
        ["nodeMonitorSeconds"] = settings.NodeMonitorPeriod.TotalSeconds,
        ["bookmarkSeconds"] = settings.BookmarkInterval.TotalSeconds,
        ["continueTokenLifetimeSeconds"] = settings.ContinueTokenLifetime.TotalSeconds,
        ["provisioningSeconds"] = settings.ProvisioningDelay.TotalSeconds,
        ["clockOffsetSeconds"] = settings.ClockOffset.TotalSeconds,
        ["kubeletTimeScale"] = settings.KubeletTimeScale,
        ["stoppedHeartbeats"] = new JsonArray(heartbeats.Stopped.Select(n => (JsonNode)n).ToArray()),
    };

    private JsonObject ChangeSettings(byte[] body)
    {
        var change = JsonNode.Parse(body) as JsonObject ?? throw Status.BadRequest("settings must be a JSON object");
        TimeSpan? Seconds(string name) => change.TryGetPropertyValue(name, out var v) && v is not null ? TimeSpan.FromSeconds(v.GetValue<double>()) : null;
        settings.HeartbeatInterval = Seconds("heartbeatSeconds") ?? settings.HeartbeatInterval;
        settings.NodeGracePeriod = Seconds("nodeGraceSeconds") ?? settings.NodeGracePeriod;
        settings.NodeStatusReportFrequency = Seconds("nodeStatusReportSeconds") ?? settings.NodeStatusReportFrequency;
        settings.PodReadyDelay = Seconds("podReadySeconds") ?? settings.PodReadyDelay;
        settings.NodeMonitorPeriod = Seconds("nodeMonitorSeconds") ?? settings.NodeMonitorPeriod;
        settings.BookmarkInterval = Seconds("bookmarkSeconds") ?? settings.BookmarkInterval;
        settings.ContinueTokenLifetime = Seconds("continueTokenLifetimeSeconds") ?? settings.ContinueTokenLifetime;
        settings.ProvisioningDelay = Seconds("provisioningSeconds") ?? settings.ProvisioningDelay;
        settings.ClockOffset = Seconds("clockOffsetSeconds") ?? settings.ClockOffset;
        if (change.TryGetPropertyValue("kubeletTimeScale", out var scale) && scale is not null)
        {
            settings.KubeletTimeScale = scale.GetValue<double>() is > 0 and var value ? value : throw Status.BadRequest("kubeletTimeScale must be a positive number");
        }
        return Settings();
    }

    private JsonNode Images() => JsonSerializer.SerializeToNode(settings.Images.Declared, ImageJson)!;

    /// <summary>Declares how one image pulls and runs; `{"image": "...", "forget": true}` returns it to the default.</summary>
    private JsonNode DeclareImage(byte[] body)
    {
        var change = JsonNode.Parse(body) as JsonObject ?? throw Status.BadRequest("an image declaration must be a JSON object");
        if (change["image"] is not JsonValue image || image.GetValue<string>() is not { Length: > 0 } reference)
        {
            throw Status.BadRequest("image: Required value: the image reference as pod specs name it");
        }
        if (change["forget"]?.GetValue<bool>() == true)
        {
            settings.Images.Forget(reference);
            return Images();
        }
        change.Remove("forget");
        var behaviour = change.Deserialize<Kubelet.ImageBehaviour>(ImageJson) ?? throw Status.BadRequest("empty body");
        if (behaviour.RunSeconds < 0)
        {
            throw Status.BadRequest("runSeconds must not be negative");
        }
        settings.Images.Declare(behaviour);
        return Images();
    }

}
