using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Control;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Diagnostics;
using ClusterManagement.Emulator.Discovery;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterManagement.Emulator;

/// <summary>
/// A Kubernetes API server stand-in on https://127.0.0.1:&lt;port&gt;: start it, point a client at
/// <see cref="KubeconfigPath"/>, seed and inspect through <see cref="Store"/>, break it through <see cref="Faults"/>.
/// </summary>
public sealed class KubeEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ControllerHost _controllers;
    private readonly CertificateAuthority _ca;
    private readonly X509Certificate2 _adminCertificate;
    private readonly bool _ownsStateDirectory;
    private readonly CancellationTokenSource _stopping;
    private readonly StrongBox<long> _connections;

    private KubeEmulator(WebApplication app, ControllerHost controllers, CertificateAuthority ca, X509Certificate2 adminCertificate,
        EmulatorContext context, FaultInjector faults, RequestLog requests, EmulatorCredentials credentials, string stateDirectory, bool ownsStateDirectory, CancellationTokenSource stopping,
        StrongBox<long> connections, OpenWatches watches)
    {
        Watches = watches;
        _connections = connections;
        _stopping = stopping;
        _app = app;
        _controllers = controllers;
        _ca = ca;
        _adminCertificate = adminCertificate;
        Context = context;
        Faults = faults;
        Requests = requests;
        Credentials = credentials;
        StateDirectory = stateDirectory;
        _ownsStateDirectory = ownsStateDirectory;
    }

    public string Url { get; private set; } = "";
    public string KubeconfigPath => Path.Combine(StateDirectory, "kubeconfig");

    /// <summary>The cluster CA's private key (state directory, mode 0600), for tests that upload kubeadm-certs.</summary>
    public string CaKeyPath => Path.Combine(StateDirectory, "ca.key");
    public string StateDirectory { get; }
    public ObjectStore Store => Context.Store;
    public ResourceRegistry Registry => Context.Registry;
    public FaultInjector Faults { get; }
    public RequestLog Requests { get; }
    public EmulatorSettings Settings => Context.Settings;
    public NodeHeartbeats Heartbeats => Context.Heartbeats;
    public EmulatorCredentials Credentials { get; }
    public X509Certificate2 CaCertificate => _ca.Certificate;
    public EmulatorContext Context { get; }

    /// <summary>TCP connections accepted so far, TLS handshakes that failed included.</summary>
    public long Connections => Interlocked.Read(ref _connections.Value);

    /// <summary>Watch responses being served now.</summary>
    public OpenWatches Watches { get; }

    public static async Task<KubeEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var builder = new EmulatorBuilder();
        foreach (var module in options.Modules)
        {
            module.Register(builder);
        }
        var settings = EmulatorSettings.From(options);
        var time = new EmulatorClock(settings);
        var store = new ObjectStore(options.WatchHistorySize, time);
        var ca = CertificateAuthority.Create();
        var context = new EmulatorContext(store, builder.Registry, settings, new NodeHeartbeats(), options, time, ca);
        foreach (var seeder in builder.Seeders)
        {
            seeder.Seed(context);
        }

        var ownsStateDirectory = options.StateDirectory is null;
        var stateDirectory = options.StateDirectory ?? Directory.CreateTempSubdirectory("kube-emulator-").FullName;
        Directory.CreateDirectory(stateDirectory);

        using var otherAuthority = CertificateAuthority.Create();
        var serverCertificate = options.ServingCertificate switch
        {
            ServingCertificate.OtherAuthority => otherAuthority.IssueServerCertificate(),
            ServingCertificate.OtherAddress => ca.IssueServerCertificate(IPAddress.Parse("127.0.0.2"), null, expired: false),
            ServingCertificate.Expired => ca.IssueServerCertificate(IPAddress.Loopback, "localhost", expired: true),
            _ => ca.IssueServerCertificate(),
        };
        var connections = new StrongBox<long>();
        var adminCertificate = ca.IssueClientCertificate("admin", "system:masters");
        var credentials = EmulatorCredentials.Generate();
        var faults = new FaultInjector(time);
        var requests = new RequestLog(options.RequestLogSize);
        var admission = new AdmissionChain(builder.Admission);
        var stopping = new CancellationTokenSource();
        var watches = new OpenWatches();
        var services = new ApiServices(store, builder.Registry, admission, new ObjectDeleter(store, admission, time), context.Settings, time, stopping.Token, watches);

        var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        web.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Use(next => connection =>
                {
                    // Counted before TLS: a client that gives up at the handshake still shows up here.
                    Interlocked.Increment(ref connections.Value);
                    return next(connection);
                });
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    // Verified by the authenticator, so a wrong certificate is a 401 rather than a TLS failure.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            });
        });
        var app = web.Build();

        KubeEmulator? emulator = null;
        var pipeline = new RequestPipeline(
            new ControlApi(credentials.ControlToken, faults, store, context.Heartbeats, requests, context.Settings, () => emulator!.Describe()),
            faults,
            new Authenticator(ca, credentials, store, time),
            new DiscoveryApi(builder.Registry, context.Settings),
            new Kubeadm.ApiServerRestartApi(context.Settings),
            new ResourceApi(services),
            requests,
            time,
            stopping.Token);
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(cancellationToken);

        emulator = new KubeEmulator(app, new ControllerHost([.. builder.Controllers, new Deletion.GarbageCollector(services.Deleter)], context), ca, adminCertificate, context, faults, requests, credentials, stateDirectory, ownsStateDirectory, stopping, connections, watches);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Url = $"https://127.0.0.1:{new Uri(address).Port}";
        Kubeadm.KubeadmModule.Publish(context, emulator.Url);
        await File.WriteAllTextAsync(emulator.KubeconfigPath, KubeconfigWriter.Render(emulator.Url, ca, adminCertificate, credentials), cancellationToken);
        await File.WriteAllTextAsync(emulator.CaKeyPath, ca.ExportKeyPem(), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(emulator.CaKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        emulator._controllers.Start();
        return emulator;
    }

    /// <summary>
    /// An HttpClient for the API as a kubeconfig context would authenticate: "sandbox" (client
    /// certificate), "sandbox-token", "sandbox-readonly" or "sandbox-badtoken". Trusts only the cluster CA.
    /// </summary>
    public HttpClient CreateClient(string context = "sandbox")
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && _ca.Issued(certificate),
        };
        if (context == "sandbox")
        {
            handler.ClientCertificates.Add(_adminCertificate);
        }
        var client = new HttpClient(handler) { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        var token = context switch
        {
            "sandbox" => null,
            "sandbox-token" => Credentials.TeamAToken,
            "sandbox-readonly" => Credentials.ReadonlyToken,
            "sandbox-badtoken" => Credentials.BadToken,
            _ => throw new ArgumentException($"no kubeconfig context '{context}'", nameof(context)),
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    internal JsonObject Describe() => new()
    {
        ["url"] = Url,
        ["kubeconfig"] = KubeconfigPath,
        ["resourceVersion"] = Store.ResourceVersion.ToString(),
        ["connections"] = Connections,
        ["expiredWatches"] = Store.ExpiredWatches,
        ["watches"] = Watches.Count,
    };

    public async ValueTask DisposeAsync()
    {
        await _controllers.DisposeAsync();
        // Open watches would otherwise hold the server's graceful stop until they time out.
        await _stopping.CancelAsync();
        await _app.StopAsync();
        _stopping.Dispose();
        await _app.DisposeAsync();
        _adminCertificate.Dispose();
        _ca.Dispose();
        if (_ownsStateDirectory)
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }
}
