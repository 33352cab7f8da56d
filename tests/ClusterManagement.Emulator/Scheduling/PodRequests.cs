using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Scheduling;

/// <summary>
/// What a pod asks of a node (resource.PodRequests): the sum of its containers' requests, or the
/// largest init container's when that is more, plus spec.overhead. A limit without a request counts
/// as the request, as API defaulting makes it.
/// </summary>
public readonly record struct PodRequests(decimal Cpu, decimal Memory)
{
    public static PodRequests Of(JsonObject pod)
    {
        var containers = Sum(pod.ObjectsAt("spec", "containers"));
        var init = pod.ObjectsAt("spec", "initContainers").Select(c => Sum([c])).ToList();
        var overhead = pod.At("spec", "overhead") as JsonObject;
        return new(
            Math.Max(containers.Cpu, init.Count == 0 ? 0 : init.Max(r => r.Cpu)) + (Quantities.Parse(overhead?.StringAt("cpu")) ?? 0),
            Math.Max(containers.Memory, init.Count == 0 ? 0 : init.Max(r => r.Memory)) + (Quantities.Parse(overhead?.StringAt("memory")) ?? 0));
    }

    private static PodRequests Sum(IEnumerable<JsonObject> containers)
    {
        decimal cpu = 0, memory = 0;
        foreach (var c in containers)
        {
            cpu += Request(c, "cpu");
            memory += Request(c, "memory");
        }
        return new(cpu, memory);
    }

    private static decimal Request(JsonObject container, string resource) =>
        Quantities.Parse(container.StringAt("resources", "requests", resource) ?? container.StringAt("resources", "limits", resource)) ?? 0;

    public static PodRequests operator +(PodRequests a, PodRequests b) => new(a.Cpu + b.Cpu, a.Memory + b.Memory);
}
