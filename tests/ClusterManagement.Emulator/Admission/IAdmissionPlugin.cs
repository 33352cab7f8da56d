namespace ClusterManagement.Emulator.Admission;

/// <summary>
/// Validates or mutates API writes before they reach the store. Reject by throwing
/// <see cref="Api.ApiException"/> (e.g. <c>Status.Invalid</c>, a 403, a 429). Plugins see only
/// requests that came through HTTP; controllers and tests writing the store bypass admission.
/// </summary>
public interface IAdmissionPlugin
{
    ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken);
}
