using System.Text.Json;
using ClusterManagement.Engine.Kubernetes;
using k8s.Models;
using static ClusterManagement.Engine.Kubernetes.ApiJson;

namespace ClusterManagement.Engine.Apps;

/// <summary>
/// Reads pages of the Deployment list from the API's JSON into SDK model objects built by hand, for
/// <see cref="AppMapper"/> to map as it maps a typed read: KubernetesClient's first deserialization of a
/// V1Deployment in a process builds the serializer's type information for the whole pod template graph (172 types,
/// about 130 ms of a fresh Get-ClusterApp), and the list reads only a few fields. Values are read through
/// <see cref="ApiJson"/>, so odd input reads, or fails, as it does through the SDK model.
/// <para>
/// Filled, as the SDK model would hold them: metadata name, namespace, uid, resourceVersion, generation,
/// creationTimestamp, labels, annotations; spec replicas, paused, selector (matchLabels, matchExpressions with key,
/// operator, values), strategy type, template.spec.containers name and image; status replicas, updatedReplicas,
/// readyReplicas, availableReplicas, observedGeneration, conditions (type, status, reason, message, lastUpdateTime,
/// lastTransitionTime). Absent lists read as empty ones, an absent paused as false. Everything else is left unset:
/// <see cref="AppMapper"/> and what it calls (<see cref="AppHealth"/>, <see cref="RolloutProgress"/>,
/// <see cref="LabelSelectorText"/>, <see cref="DeploymentHistory"/>), and <see cref="NamespacePods"/> for -Detailed,
/// must not read another field without it being added here; the reader's equivalence tests against the SDK model
/// fail when they do.
/// </para>
/// </summary>
internal static class DeploymentListReader
{
    public sealed record Page(IEnumerable<V1Deployment> Items, string? Continue);

    /// <param name="ns">Null for every namespace.</param>
    public static async Task<Page> ReadPageAsync(ClusterConnection connection, string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var path = ns is null ? "/apis/apps/v1/deployments" : $"/apis/apps/v1/namespaces/{Uri.EscapeDataString(ns)}/deployments";
        return Parse(await RawApi.ListPageAsync(connection, path, labelSelector, continueToken, limit, cancellationToken).ConfigureAwait(false));
    }

    public static Page Parse(ReadOnlyMemory<byte> json)
    {
        var document = JsonDocument.Parse(json);
        return new Page(Deployments(document), Text(Child(document.RootElement, "metadata"), "continue"));
    }

    /// <summary>
    /// Each Deployment as it is taken, as the typed path mapped them: a listing stopped after its first objects
    /// (Select-Object -First) is cancelled before the next page is asked for, not after.
    /// </summary>
    private static IEnumerable<V1Deployment> Deployments(JsonDocument document)
    {
        using (document)
        {
            foreach (var item in Array(document.RootElement, "items"))
            {
                yield return ToDeployment(item);
            }
        }
    }

    private static V1Deployment ToDeployment(JsonElement deployment) => new()
    {
        Metadata = Child(deployment, "metadata") is { } metadata ? ToMetadata(metadata) : null,
        Spec = Child(deployment, "spec") is { } spec ? ToSpec(spec) : null,
        Status = Child(deployment, "status") is { } status ? ToStatus(status) : null,
    };

    private static V1ObjectMeta ToMetadata(JsonElement metadata) => new()
    {
        Name = Text(metadata, "name"),
        NamespaceProperty = Text(metadata, "namespace"),
        Uid = Text(metadata, "uid"),
        ResourceVersion = Text(metadata, "resourceVersion"),
        Generation = Int64(metadata, "generation"),
        CreationTimestamp = Time(metadata, "creationTimestamp"),
        Labels = Map(metadata, "labels", Text),
        Annotations = Map(metadata, "annotations", Text),
    };

    private static V1DeploymentSpec ToSpec(JsonElement spec)
    {
        var selector = Child(spec, "selector");
        var template = Child(spec, "template");
        var podSpec = Child(template, "spec");
        return new()
        {
            Replicas = Int32(spec, "replicas"),
            Paused = Flag(spec, "paused"),
            Selector = selector is null ? null : new V1LabelSelector
            {
                MatchLabels = Map(selector, "matchLabels", Text),
                MatchExpressions = [.. Array(selector, "matchExpressions").Select(e => new V1LabelSelectorRequirement
                {
                    Key = Text(e, "key"),
                    OperatorProperty = Text(e, "operator"),
                    Values = [.. Array(e, "values").Select(Text)],
                })],
            },
            Strategy = Child(spec, "strategy") is { } strategy ? new V1DeploymentStrategy { Type = Text(strategy, "type") } : null,
            Template = template is null ? null : new V1PodTemplateSpec
            {
                Spec = podSpec is null ? null : new V1PodSpec { Containers = [.. Array(podSpec, "containers").Select(c => new V1Container { Name = Text(c, "name"), Image = Text(c, "image") })] },
            },
        };
    }

    private static V1DeploymentStatus ToStatus(JsonElement status) => new()
    {
        Replicas = Int32(status, "replicas"),
        UpdatedReplicas = Int32(status, "updatedReplicas"),
        ReadyReplicas = Int32(status, "readyReplicas"),
        AvailableReplicas = Int32(status, "availableReplicas"),
        ObservedGeneration = Int64(status, "observedGeneration"),
        Conditions = [.. Array(status, "conditions").Select(c => new V1DeploymentCondition
        {
            Type = Text(c, "type"),
            Status = Text(c, "status"),
            Reason = Text(c, "reason"),
            Message = Text(c, "message"),
            LastUpdateTime = Time(c, "lastUpdateTime"),
            LastTransitionTime = Time(c, "lastTransitionTime"),
        })],
    };
}
