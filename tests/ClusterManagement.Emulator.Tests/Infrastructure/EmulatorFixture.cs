using ClusterManagement.Emulator;

namespace ClusterManagement.Emulator.Tests.Infrastructure;

/// <summary>One emulator shared by a test class; tests that write use their own object names.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public KubeEmulator Emulator { get; private set; } = null!;

    public ApiClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 3 });
        Admin = new ApiClient(Emulator.CreateClient());
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Emulator.DisposeAsync();
    }
}
