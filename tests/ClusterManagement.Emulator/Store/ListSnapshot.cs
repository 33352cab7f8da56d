namespace ClusterManagement.Emulator.Store;

/// <summary>The objects of one kind in key order, and the resourceVersion they were read at.</summary>
public sealed record ListSnapshot(IReadOnlyList<StoredObject> Items, long ResourceVersion);
