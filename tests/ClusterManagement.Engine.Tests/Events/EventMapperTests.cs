using ClusterManagement.Engine.Events;
using ClusterManagement.Events;
using k8s.Models;

namespace ClusterManagement.Tests.Events;

/// <summary>
/// kubectl events' reading of both event APIs, with events.k8s.io/v1 objects shaped as the API server's
/// conversion writes them.
/// </summary>
public sealed class EventMapperTests
{
    private static readonly DateTime First = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Last = First.AddMinutes(7);

    [Fact]
    public void AnEventsV1SeriesCountsInItsSeriesFromItsEventTime()
    {
        var e = EventMapper.FromEventsV1(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "web-1.18", NamespaceProperty = "default" },
            EventTime = First,
            Series = new Eventsv1EventSeries { Count = 5, LastObservedTime = Last },
            Regarding = new V1ObjectReference { Kind = "Pod", Name = "web-1", NamespaceProperty = "default", Uid = "u1" },
            Reason = "FailedScheduling",
            Note = "0/3 nodes are available: 3 Insufficient cpu. ",
            Type = "Warning",
            ReportingController = "default-scheduler",
            Action = "Scheduling",
        });

        Assert.Equal(5, e.Count);
        Assert.Equal(First, e.FirstSeen);
        Assert.Equal(Last, e.LastSeen);
        Assert.Equal(ClusterEventType.Warning, e.Type);
        Assert.Equal("pod/web-1", e.Object);
        Assert.Equal("0/3 nodes are available: 3 Insufficient cpu.", e.Message);
        Assert.Equal("default-scheduler", e.Source);
        Assert.Equal("Scheduling", e.Action);
        Assert.Equal("u1", e.InvolvedObject.Uid);
    }

    [Fact]
    public void AnEventsV1EventFromTheOldApiKeepsItsDeprecatedCountTimesAndSource()
    {
        var e = EventMapper.FromEventsV1(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "web-1.19", NamespaceProperty = "default" },
            DeprecatedCount = 3,
            DeprecatedFirstTimestamp = First,
            DeprecatedLastTimestamp = Last,
            DeprecatedSource = new V1EventSource { Component = "kubelet", Host = "worker-1" },
            Regarding = new V1ObjectReference { Kind = "Pod", Name = "web-1", NamespaceProperty = "default", FieldPath = "spec.containers{web}" },
            Reason = "BackOff",
            Type = "Warning",
        });

        Assert.Equal(3, e.Count);
        Assert.Equal(First, e.FirstSeen);
        Assert.Equal(Last, e.LastSeen);
        Assert.Equal("kubelet, worker-1", e.Source);
        Assert.Equal("spec.containers{web}", e.InvolvedObject.FieldPath);
        Assert.Null(e.Message);
    }

    [Fact]
    public void ACoreEventCountsAndIsSeenFromItsTimestamps()
    {
        var e = EventMapper.FromCore(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "worker-1.17", NamespaceProperty = "default" },
            Count = 4,
            FirstTimestamp = First,
            LastTimestamp = Last,
            InvolvedObject = new V1ObjectReference { Kind = "Node", Name = "worker-1" },
            Reason = "NodeNotReady",
            Message = "Node worker-1 status is now: NodeNotReady",
            Source = new V1EventSource { Component = "node-controller" },
            Type = "Normal",
        });

        Assert.Equal(4, e.Count);
        Assert.Equal(First, e.FirstSeen);
        Assert.Equal(Last, e.LastSeen);
        Assert.Equal("node/worker-1", e.Object);
        Assert.Null(e.InvolvedObject.Namespace);
        Assert.Equal("node-controller", e.Source);
        Assert.Equal(ClusterEventType.Normal, e.Type);
    }

    [Fact]
    public void ACoreEventWithoutCountOrTimestampsIsOneSeenAtItsEventTime()
    {
        var e = EventMapper.FromCore(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web-1.20", NamespaceProperty = "default", CreationTimestamp = Last },
            EventTime = First,
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web-1", NamespaceProperty = "default" },
            Reason = "Scheduled",
            ReportingComponent = "default-scheduler",
        });

        Assert.Equal(1, e.Count);
        Assert.Equal(First, e.FirstSeen);
        Assert.Equal(First, e.LastSeen);
        Assert.Equal("default-scheduler", e.Source);
    }

    [Theory]
    [InlineData("Pod", "web-1", "default", true)]
    [InlineData("Pod", "web-1", "team-a", false)]
    [InlineData("Pod", "web-2", "default", false)]
    [InlineData("ReplicaSet", "web-1", "default", false)]
    public void ASubjectIsAboutItsKindNameAndNamespace(string kind, string name, string ns, bool about) =>
        Assert.Equal(about, new EventSubject("Pod", "web-1", "default").IsAbout(new ClusterEventObject { Kind = kind, Name = name, Namespace = ns }));

    [Fact]
    public void AClusterScopedSubjectIsAboutItsObjectWhereverTheEventIsStored() =>
        Assert.True(new EventSubject("Node", "worker-1", null).IsAbout(new ClusterEventObject { Kind = "Node", Name = "worker-1" }));

    [Fact]
    public void ASubjectWithAUidIsNotAboutAnEarlierObjectOfItsName()
    {
        var subject = new EventSubject("Pod", "web-1", "default", "u2");

        Assert.True(subject.IsAbout(new ClusterEventObject { Kind = "Pod", Name = "web-1", Namespace = "default", Uid = "u2" }));
        Assert.False(subject.IsAbout(new ClusterEventObject { Kind = "Pod", Name = "web-1", Namespace = "default", Uid = "u1" }));
    }

    [Fact]
    public void ASubjectsFieldSelectorUsesTheLabelsOfTheApiRead()
    {
        Assert.Equal("regarding.kind=Pod,regarding.name=web-1,regarding.namespace=default,regarding.uid=u2",
            new EventSubject("Pod", "web-1", "default", "u2").FieldSelector(eventsV1: true));
        Assert.Equal("involvedObject.kind=Node,involvedObject.name=worker-1", new EventSubject("Node", "worker-1", null).FieldSelector(eventsV1: false));
    }
}
