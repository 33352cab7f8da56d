using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>The server-side machinery a request handler (built-in or a registered subresource handler) may use.</summary>
public sealed record ApiServices(
    ObjectStore Store,
    ResourceRegistry Registry,
    AdmissionChain Admission,
    ObjectDeleter Deleter,
    EmulatorSettings Settings,
    TimeProvider Time);
