using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Admission;

/// <summary>As in the real server, a PATCH is admitted as an Update of the patched result.</summary>
public enum AdmissionOperation
{
    Create,
    Update,
    Delete,
}

/// <summary>
/// What an admission plugin sees. <see cref="Object"/> is the object about to be stored (mutate it in
/// place); it is null for Delete. <see cref="OldObject"/> is the stored state, null for Create.
/// </summary>
public sealed record AdmissionRequest(
    AdmissionOperation Operation,
    ResourceKind Kind,
    string? Subresource,
    string? Namespace,
    string Name,
    JsonObject? Object,
    JsonObject? OldObject,
    EmulatorUser User,
    ObjectStore Store);
