using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

/// <summary>Completes the systemd units a Kubernetes node runs; no host is contacted while typing.</summary>
public sealed class NodeServiceNameCompleter : IArgumentCompleter
{
    private static readonly string[] Names = ["kubelet", "docker", "containerd", "etcd", "ssh", "systemd-journald", "systemd-timesyncd", "cron"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return Names.Where(pattern.IsMatch).Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
