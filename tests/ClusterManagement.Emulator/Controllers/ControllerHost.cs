namespace ClusterManagement.Emulator.Controllers;

/// <summary>Runs the registered controllers until the emulator stops; a crashing controller is restarted, not fatal.</summary>
internal sealed class ControllerHost(IReadOnlyList<IEmulatorController> controllers, EmulatorContext context) : IAsyncDisposable
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    public void Start()
    {
        foreach (var controller in controllers)
        {
            _running.Add(Task.Run(() => SuperviseAsync(controller)));
        }
    }

    private async Task SuperviseAsync(IEmulatorController controller)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await controller.RunAsync(context, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await Console.Error.WriteLineAsync($"controller {controller.Name} failed, restarting: {e}");
            }
            await Task.Delay(RestartDelay, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _stop.Dispose();
    }
}
