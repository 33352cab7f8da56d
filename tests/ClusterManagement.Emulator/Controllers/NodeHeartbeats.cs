using System.Collections.Concurrent;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>Nodes whose kubelet the tests have "stopped": the heartbeat controller skips them until resumed.</summary>
public sealed class NodeHeartbeats
{
    private readonly ConcurrentDictionary<string, bool> _stopped = new(StringComparer.Ordinal);

    public void Stop(string node) => _stopped[node] = true;

    public void Resume(string node) => _stopped.TryRemove(node, out _);

    public bool IsStopped(string node) => _stopped.ContainsKey(node);

    public IReadOnlyCollection<string> Stopped => [.. _stopped.Keys.Order(StringComparer.Ordinal)];
}
