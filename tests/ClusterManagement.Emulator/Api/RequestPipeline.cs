using System.Text;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Control;
using ClusterManagement.Emulator.Diagnostics;
using ClusterManagement.Emulator.Discovery;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Kubeadm;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// Every request's path through the server: control API aside, then faults, authentication,
/// discovery, resources; failures become Status bodies; each API request is logged.
/// </summary>
public sealed class RequestPipeline(
    ControlApi control,
    FaultInjector faults,
    Authenticator authenticator,
    DiscoveryApi discovery,
    ApiServerRestartApi apiServerRestart,
    ResourceApi resources,
    RequestLog log,
    TimeProvider time,
    CancellationToken stopping)
{
    private const int LoggedBodyLimit = 64 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(request);
        if (request.Path.StartsWithSegments(ControlApi.Prefix))
        {
            await control.HandleAsync(context, body);
            return;
        }
        string? user = null;
        try
        {
            if (request.Path.Value is "/healthz" or "/livez" or "/readyz")
            {
                await context.Response.WriteAsync("ok");
                return;
            }
            if (await FaultMiddleware.ApplyAsync(faults, context, stopping))
            {
                return;
            }
            var authenticated = authenticator.Authenticate(context);
            user = authenticated.Name;
            if (await apiServerRestart.TryHandleAsync(context, authenticated, body))
            {
                return;
            }
            var discoverable = authenticated.Access != AccessLevel.Anonymous || request.Path == "/version";
            if (!(discoverable && await discovery.TryHandleAsync(context)) && !await resources.TryHandleAsync(context, authenticated, body))
            {
                Authorizer.AuthorizePath(authenticated, request.Path.Value ?? "/");
                throw Status.UnknownResource();
            }
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await JsonResponse.WriteStatusAsync(context, e);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            await JsonResponse.WriteStatusAsync(context, Status.InternalError(e.Message));
        }
        finally
        {
            var logged = body.Length > 0 ? Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, LoggedBodyLimit)) : null;
            log.Add(time.GetUtcNow(), request.Method, request.Path + request.QueryString, request.ContentType, logged, context.Response.StatusCode, user);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        if (request.Method is "GET" or "HEAD")
        {
            return [];
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }
}
