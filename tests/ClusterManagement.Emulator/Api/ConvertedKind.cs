using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// A kind served from the objects of another, converted as they are read, as the apiserver shows one stored
/// object in every API that serves it (events.k8s.io/v1 Events are the core/v1 ones). Selectors are declared by
/// the served kind and read the stored form, as the real server's field label conversion maps them.
/// </summary>
public sealed record ConvertedKind(ResourceKind Stored, Func<StoredObject, byte[]> Convert);
