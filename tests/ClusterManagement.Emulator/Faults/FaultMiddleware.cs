using ClusterManagement.Emulator.Api;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Faults;

/// <summary>Applies the matching fault rule, if any, before the request reaches authentication.</summary>
public static class FaultMiddleware
{
    /// <summary>True when the fault answered (or dropped) the request and the pipeline must stop.</summary>
    /// <param name="stopping">Ends a held (<see cref="FaultRule.Hang"/>) request when the emulator stops.</param>
    public static async Task<bool> ApplyAsync(FaultInjector faults, HttpContext context, CancellationToken stopping)
    {
        if (faults.Take(context.Request.Method, context.Request.Path.Value ?? "") is not { } rule)
        {
            return false;
        }
        if (rule.LatencyMilliseconds > 0)
        {
            await Task.Delay(rule.LatencyMilliseconds, context.RequestAborted);
        }
        if (rule.Hang)
        {
            using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await Task.Delay(Timeout.Infinite, held.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up or the emulator is stopping: either way, no answer.
            }
        }
        if (rule.Hang || rule.Abort)
        {
            context.Abort();
            return true;
        }
        if (rule.StatusCode is not { } code)
        {
            return false;
        }
        var message = rule.Message ?? $"injected fault: {Status.ReasonFor(code)}";
        await JsonResponse.WriteStatusAsync(context, new ApiException(code, Status.ReasonFor(code), message));
        return true;
    }
}
