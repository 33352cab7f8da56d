using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// The server-side machinery a request handler (built-in or a registered subresource handler) may
/// use. <see cref="Stopping"/> fires when the emulator shuts down, ending long requests such as watches.
/// </summary>
public sealed record ApiServices(
    ObjectStore Store,
    ResourceRegistry Registry,
    AdmissionChain Admission,
    ObjectDeleter Deleter,
    EmulatorSettings Settings,
    TimeProvider Time,
    CancellationToken Stopping,
    OpenWatches Watches);
