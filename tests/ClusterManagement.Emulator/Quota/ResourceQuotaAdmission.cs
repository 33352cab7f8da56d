using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Quota;

/// <summary>
/// The ResourceQuota admission plugin (k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go
/// CheckRequest): a create, or a claim update that asks for more storage, is charged against every quota of
/// its namespace that limits what it consumes, judged by the quota's status (so a quota the controller has
/// not counted yet refuses with "status unknown"), and the new usage is written to the quotas' status
/// before the object is stored. Controllers that create pods call <see cref="Charge"/> too, since on a real
/// cluster their pods pass the same admission.
/// </summary>
public sealed class ResourceQuotaAdmission(ResourceKind quotas) : IAdmissionPlugin
{
    /// <summary>Charges and the quota controller's recounts take turns, so neither overwrites the other's usage.</summary>
    internal static readonly Lock Gate = new();

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Object is not { } obj || request.Subresource is not null || request.Namespace is null)
        {
            return ValueTask.CompletedTask;
        }
        if (request.Kind == quotas)
        {
            // The quota's own quantities decode (and read back) as resource.Quantity does.
            Quantities.ReadList(quotas, obj.At("spec", "hard") as JsonObject);
        }
        if (request.Operation == AdmissionOperation.Create)
        {
            Charge(request.Store, quotas, request.Kind, obj, null);
        }
        else if (request.Operation == AdmissionOperation.Update && request.Kind == StorageKinds.PersistentVolumeClaims)
        {
            Charge(request.Store, quotas, request.Kind, obj, request.OldObject);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Charges <paramref name="obj"/> (less what <paramref name="old"/> held) to the quotas of its namespace, or refuses it with the apiserver's 403.</summary>
    public static void Charge(ObjectStore store, ResourceKind quotas, ResourceKind kind, JsonObject obj, JsonObject? old)
    {
        var ns = obj.Namespace();
        if (ns is null || store.List(quotas, ns).Items.Count == 0)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        lock (Gate)
        {
            var interesting = new List<(JsonObject Quota, Dictionary<string, QuotaAmount> Hard, Dictionary<string, QuotaAmount> Used)>();
            foreach (var quota in store.List(quotas, ns).Items.Select(q => q.ToJson()))
            {
                var hard = Amounts(quota.At("status", "hard"));
                var restricted = hard.Keys.Where(r => QuotaUsage.Measures(kind, r)).Order(StringComparer.Ordinal).ToList();
                if (restricted.Count == 0 || !QuotaUsage.InScope(quota, kind, obj))
                {
                    continue;
                }
                if (kind == CoreKinds.Pods && MissingContainerValues(obj, restricted) is { } missing)
                {
                    throw Refusal(kind, obj, $"failed quota: {quota.Name()}: must specify {missing}");
                }
                var used = Amounts(quota.At("status", "used"));
                if (restricted.Any(r => !used.ContainsKey(r)))
                {
                    throw Refusal(kind, obj, $"status unknown for quota: {quota.Name()}, resources: {string.Join(",", restricted)}");
                }
                interesting.Add((quota, hard, used));
            }
            var delta = QuotaUsage.Of(kind, obj, now);
            if (old is not null)
            {
                foreach (var (name, held) in QuotaUsage.Of(kind, old, now))
                {
                    if (delta.TryGetValue(name, out var wanted))
                    {
                        delta[name] = wanted with { Value = Math.Max(0, wanted.Value - held.Value) };
                    }
                }
            }
            var charged = delta.Where(d => d.Value.Value != 0).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
            if (charged.Count == 0)
            {
                return;
            }
            var writes = new List<(JsonObject Quota, Dictionary<string, QuotaAmount> Used)>();
            foreach (var (quota, hard, used) in interesting)
            {
                var requested = charged.Where(c => hard.ContainsKey(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
                var newUsed = new Dictionary<string, QuotaAmount>(used, StringComparer.Ordinal);
                foreach (var (name, amount) in requested)
                {
                    newUsed[name] = newUsed.TryGetValue(name, out var sum) ? sum.Plus(amount) : amount;
                }
                var exceeded = requested.Keys.Where(r => newUsed[r].Value > hard[r].Value).ToList();
                if (exceeded.Count > 0)
                {
                    throw Refusal(kind, obj, $"exceeded quota: {quota.Name()}, requested: {Print(requested, exceeded)}, used: {Print(used, exceeded)}, limited: {Print(hard, exceeded)}");
                }
                writes.Add((quota, newUsed));
            }
            foreach (var (quota, used) in writes)
            {
                WriteStatus(store, quotas, quota, null, used);
            }
        }
    }

    /// <summary>Writes the quota's usage (and, from the controller, its hard limits) unless they already read so.</summary>
    internal static void WriteStatus(ObjectStore store, ResourceKind quotas, JsonObject quota, Dictionary<string, QuotaAmount>? hard, Dictionary<string, QuotaAmount> used)
    {
        try
        {
            store.Mutate(quotas, quota.Namespace(), quota.Name(), current =>
            {
                if (current.StringAt("metadata", "uid") != quota.StringAt("metadata", "uid"))
                {
                    return false;
                }
                var status = current.ObjectAt("status");
                var before = status.DeepClone();
                if (hard is not null)
                {
                    status["hard"] = List(hard);
                }
                status["used"] = List(used);
                return !JsonNode.DeepEquals(before, status);
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // The quota went meanwhile: nothing left to charge.
        }
    }

    private static JsonObject List(Dictionary<string, QuotaAmount> amounts)
    {
        var list = new JsonObject();
        foreach (var (name, amount) in amounts.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            list[name] = amount.ToString();
        }
        return list;
    }

    internal static Dictionary<string, QuotaAmount> Amounts(JsonNode? list) =>
        (list as JsonObject ?? []).ToDictionary(
            r => r.Key,
            r => QuotaAmount.Parse(r.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : r.Value?.ToJsonString()),
            StringComparer.Ordinal);

    /// <summary>
    /// pods.go Constraints: when a quota limits cpu or memory, every container must state that value
    /// itself ("must specify limits.cpu for: web; limits.memory for: web,sidecar").
    /// </summary>
    private static string? MissingContainerValues(JsonObject pod, IEnumerable<string> restricted)
    {
        var required = restricted.Intersect(QuotaUsage.PodValidationSet).ToHashSet(StringComparer.Ordinal);
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var container in pod.ObjectsAt("spec", "containers").Concat(pod.ObjectsAt("spec", "initContainers")))
        {
            var stated = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, _) in QuotaUsage.ContainerResources(container, "requests"))
            {
                stated.Add(name);
                stated.Add("requests." + name);
            }
            foreach (var (name, _) in QuotaUsage.ContainerResources(container, "limits"))
            {
                stated.Add("limits." + name);
            }
            foreach (var resource in required.Where(r => !stated.Contains(r)))
            {
                if (!missing.TryGetValue(resource, out var containers))
                {
                    missing[resource] = containers = new SortedSet<string>(StringComparer.Ordinal);
                }
                containers.Add(container.StringAt("name") ?? "");
            }
        }
        return missing.Count == 0 ? null : string.Join("; ", missing.Select(m => $"{m.Key} for: {string.Join(",", m.Value)}"));
    }

    /// <summary>prettyPrint: the named resources sorted, name=quantity, comma-separated.</summary>
    private static string Print(Dictionary<string, QuotaAmount> amounts, List<string> names) =>
        string.Join(",", names.Order(StringComparer.Ordinal).Select(n => $"{n}={(amounts.TryGetValue(n, out var a) ? a : default)}"));

    /// <summary>
    /// admission.NewForbidden: names the object by its generateName while the server has not generated
    /// its name yet; the emulator draws the name before admission, so a drawn name is shown as its prefix.
    /// </summary>
    private static ApiException Refusal(ResourceKind kind, JsonObject obj, string message)
    {
        var name = obj.Name();
        if (obj.StringAt("metadata", "generateName") is { Length: > 0 } prefix
            && (name.Length == 0 || (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length == prefix.Length + 5)))
        {
            name = prefix;
        }
        return Status.Forbidden(kind, name, $"{kind.QualifiedResource} \"{name}\" is forbidden: {message}");
    }
}
