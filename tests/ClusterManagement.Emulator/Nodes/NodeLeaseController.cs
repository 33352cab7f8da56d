using System.Globalization;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Nodes;

/// <summary>
/// The node Leases every kubelet keeps in kube-node-lease (component-helpers lease controller):
/// named after the node, holderIdentity the node, leaseDurationSeconds 40, owned by the Node, and
/// renewTime refreshed every renew interval (a quarter of the duration, 10 s). `kubectl describe node`
/// reads it for its Lease section, the node lifecycle controller judges nodes by it. Nodes whose
/// heartbeat the tests stopped stop renewing too, and so do nodes whose kubelet is a real client
/// (it keeps its own Lease).
/// </summary>
public sealed class NodeLeaseController : IEmulatorController
{
    public const string LeaseNamespace = "kube-node-lease";

    public static readonly ResourceKind Leases = new()
    {
        Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease",
        HasGeneration = false,
        Namespaced = true,
        Table = new LeaseTable(),
    };

    public string Name => "node-lease";

    /// <summary>When the node's Lease was last renewed; null when it has none.</summary>
    public static DateTimeOffset? RenewTime(EmulatorContext context, string node) =>
        Timestamps.Parse(context.Store.Get(LeasesOf(context), LeaseNamespace, node)?.StringAt("spec", "renewTime"));

    private static ResourceKind LeasesOf(EmulatorContext context) => context.Registry.Find("coordination.k8s.io", "v1", "leases") ?? Leases;

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var leases = LeasesOf(context);
        while (true)
        {
            var now = context.Time.GetUtcNow();
            foreach (var node in context.Store.List(CoreKinds.Nodes).Items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!context.Heartbeats.IsStopped(node.Name) && !ExternalHeartbeatAdmission.IsExternal(node.ToJson()))
                {
                    Renew(context.Store, leases, node, now);
                }
            }
            await Task.Delay(context.Settings.HeartbeatInterval, context.Time, cancellationToken);
        }
    }

    private static void Renew(ObjectStore store, ResourceKind leases, StoredObject node, DateTimeOffset now)
    {
        // metav1.MicroTime: RFC 3339 with microseconds.
        var renewTime = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        try
        {
            store.Mutate(leases, LeaseNamespace, node.Name, lease =>
            {
                lease.ObjectAt("spec")["renewTime"] = renewTime;
                return true;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            try
            {
                store.Create(leases, new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = node.Name,
                        ["namespace"] = LeaseNamespace,
                        ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node.Name, ["uid"] = node.Uid }),
                    },
                    ["spec"] = new JsonObject { ["holderIdentity"] = node.Name, ["leaseDurationSeconds"] = 40, ["renewTime"] = renewTime },
                });
            }
            catch (ApiException conflict) when (conflict.Code == 409)
            {
                // Created meanwhile by another writer; renewed on the next round.
            }
        }
    }
}
