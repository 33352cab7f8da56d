using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Scheduling;

/// <summary>
/// The scheduler cache's NodeInfo: a node with what its pods already request. Terminating pods still
/// count until they are gone; Succeeded and Failed ones do not (the scheduler's informer skips them).
/// </summary>
public sealed class NodeUsage(JsonObject node)
{
    private readonly Dictionary<string, int> _byOwner = [];

    public JsonObject Node { get; } = node;
    public PodRequests Requested { get; private set; }
    public int Pods { get; private set; }

    public void Add(JsonObject pod)
    {
        Requested += PodRequests.Of(pod);
        Pods++;
        if (Owner(pod) is { } owner)
        {
            _byOwner[owner] = _byOwner.GetValueOrDefault(owner) + 1;
        }
    }

    /// <summary>Pods of the same controller already here: the default PodTopologySpread constraints spread them over nodes.</summary>
    public int Siblings(JsonObject pod) => Owner(pod) is { } owner ? _byOwner.GetValueOrDefault(owner) : 0;

    /// <summary>NodeResourcesFit's fitsRequest: the pod count first, then cpu and memory when the pod asks for any.</summary>
    public List<string> Insufficient(PodRequests request)
    {
        var reasons = new List<string>();
        if (Pods + 1 > (Allocatable("pods") ?? 110))
        {
            reasons.Add("Too many pods");
        }
        if (request.Cpu > 0 && request.Cpu > (Allocatable("cpu") ?? 0) - Requested.Cpu)
        {
            reasons.Add("Insufficient cpu");
        }
        if (request.Memory > 0 && request.Memory > (Allocatable("memory") ?? 0) - Requested.Memory)
        {
            reasons.Add("Insufficient memory");
        }
        return reasons;
    }

    /// <summary>LeastAllocated's view: the larger of the cpu and memory shares already requested.</summary>
    public decimal Allocated => Math.Max(Share(Requested.Cpu, "cpu"), Share(Requested.Memory, "memory"));

    private decimal Share(decimal requested, string resource) => Allocatable(resource) is { } total and > 0 ? requested / total : 1;

    private decimal? Allocatable(string resource) => Quantities.Parse(Node.StringAt("status", "allocatable", resource));

    private static string? Owner(JsonObject pod) =>
        pod.ObjectsAt("metadata", "ownerReferences").FirstOrDefault(o => o.BoolAt("controller"))?.StringAt("uid");
}
