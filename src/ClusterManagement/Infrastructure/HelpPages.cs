namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Where Get-Help -Online goes: each cmdlet's page in the repository's docs folder (the manifest's ProjectUri).</summary>
internal static class HelpPages
{
    public const string Docs = "https://github.com/clustermanagement/ClusterManagement/blob/main/docs/";
}
