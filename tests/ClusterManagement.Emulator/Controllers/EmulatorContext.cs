using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>What controllers and seeders work with.</summary>
public sealed record EmulatorContext(
    ObjectStore Store,
    ResourceRegistry Registry,
    EmulatorSettings Settings,
    NodeHeartbeats Heartbeats,
    EmulatorOptions Options,
    TimeProvider Time,
    CertificateAuthority Authority);
