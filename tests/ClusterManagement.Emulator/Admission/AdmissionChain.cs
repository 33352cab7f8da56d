namespace ClusterManagement.Emulator.Admission;

/// <summary>Runs the registered plugins in registration order; the first rejection wins.</summary>
public sealed class AdmissionChain(IReadOnlyList<IAdmissionPlugin> plugins)
{
    public async ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        foreach (var plugin in plugins)
        {
            await plugin.AdmitAsync(request, cancellationToken);
        }
    }
}
