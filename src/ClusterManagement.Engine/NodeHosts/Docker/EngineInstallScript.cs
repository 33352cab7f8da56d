using System.Net;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Docker;

/// <summary>
/// The script behind -EngineInstallUrl, docker-machine's --engine-install-url: get.docker.com and
/// its kin set up the engine's package source (and install from it). The module fetches it on the
/// admin's machine, so a node without internet access still gets it and a bad URL fails before any
/// host changes; the packages are then pinned and held as without a script.
/// </summary>
internal sealed class EngineInstallScript
{
    private EngineInstallScript(Uri source, string text)
    {
        Source = source;
        Text = text;
    }

    public Uri Source { get; }

    public string Text { get; }

    /// <summary>
    /// The script runs as root on the node, so it must not travel in clear text over a network
    /// someone else can write to: https, or http to a loopback address only.
    /// </summary>
    public static void RequireTrustedTransport(Uri url)
    {
        var secure = url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps
                     || (url.Scheme == Uri.UriSchemeHttp && (url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)))));
        if (!secure)
        {
            throw new ClusterException(ClusterErrors.EngineInstallUrlInsecure, $"-EngineInstallUrl {url} is not https: a script fetched in clear text would run as root on the node. Use https (http only to a loopback address).",
                url.ToString());
        }
    }

    public static async Task<EngineInstallScript> FetchAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        RequireTrustedTransport(url);
        using var http = new HttpClient { Timeout = timeout };
        string text;
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ClusterException(ClusterErrors.EngineInstallScriptUnavailable, $"The engine install script {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", url.ToString());
            }

            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException(ClusterErrors.EngineInstallScriptUnavailable, $"The engine install script {url} could not be fetched: {e.Message}", url.ToString(), e);
        }

        if (!text.StartsWith("#!", StringComparison.Ordinal))
        {
            throw new ClusterException(ClusterErrors.EngineInstallScriptInvalid, $"{url} does not serve a shell script (it does not start with #!); refusing to run it as root.", url.ToString());
        }

        return new EngineInstallScript(url, text);
    }

    /// <summary>
    /// Runs the script as root with VERSION set, as get.docker.com reads it, unless the engine package
    /// is installed already: the script's job is a first install, and on a re-run its own unpinned
    /// install would fight the packages the module holds.
    /// </summary>
    public async Task RunAsync(NodeShell shell, NodePackages packages, EngineTarget target, TimeSpan timeout, IOperationLog log, CancellationToken cancellationToken)
    {
        var installed = await packages.InstalledAsync([target.EnginePackage], timeout, cancellationToken).ConfigureAwait(false);
        if (installed.ContainsKey(target.EnginePackage))
        {
            log.Verbose($"{shell.Target}: {target.EnginePackage} is installed; the install script from {Source} is not run again.");
            return;
        }

        var version = target.EngineVersion == PackageVersions.Latest ? string.Empty : target.EngineVersion;
        log.Verbose($"{shell.Target}: running the install script from {Source} with VERSION={version}.");
        await shell.SudoCheckedAsync($"VERSION={NodeShell.Quote(version)} sh -s", timeout, $"The engine install script from {Source}", cancellationToken, Text).ConfigureAwait(false);
    }
}
