param($Demo)

# A second cluster beside the sandbox: its own emulator, its names made its own (context 'staging'), merged
# into the session's kubeconfig as a user merges the files of two clusters.
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$staging = Start-TestCluster -Root $root -Workers 1 -ExtraArgument '--sample-app'
$stagingConfig = Join-Path $staging.StateDir 'staging.kubeconfig'
Set-Content -Path $stagingConfig -Value (Get-NamedKubeConfig -Cluster $staging -Prefix 'staging')
$sandboxConfig = $env:KUBECONFIG
$env:KUBECONFIG = $sandboxConfig + [IO.Path]::PathSeparator + $stagingConfig
try {
    Show-Step 'One query across two clusters: the table starts with a Context column' { Get-ClusterNode -Context sandbox, staging }
    Show-Step 'Contexts chosen with Get-ClusterContext, piped: each node names its context and cluster' {
        Get-ClusterContext -Name sandbox, staging | Get-ClusterNode -Role control-plane | Select-Object Context, Cluster, Name, Status
    }
    Show-Step 'The same app in both clusters, side by side' { Get-ClusterApp -Context sandbox, staging -Namespace default }
    Show-Step 'A context whose credentials are refused is one error naming it; the others still answer' {
        Get-ClusterNode -Context staging, sandbox-badtoken, sandbox -Name worker-1 -ErrorAction Continue 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "ERROR [$($_.CategoryInfo.Category)] $($_.FullyQualifiedErrorId): $_" } else { $_ } }
    }
    Show-Step 'A change across clusters: -WhatIf names every cluster' { Suspend-ClusterNode -Context staging, sandbox -Name worker-1 -WhatIf }
    Show-Step 'A staged change: staging first, then the sandbox; a failing cluster stops the rollout before the next one starts' {
        try {
            Suspend-ClusterNode -Context staging, sandbox-readonly, sandbox -Name worker-1 -ThrottleLimit 1 -StopOnFirstFailure -Force -ErrorAction SilentlyContinue
        }
        catch { "STOPPED [$($_.FullyQualifiedErrorId)]: $_" }
        Get-ClusterNode -Context staging, sandbox -Name worker-1 | Select-Object Context, Name, Unschedulable
        Resume-ClusterNode -Context staging -Name worker-1 -Force
    }
}
finally {
    $env:KUBECONFIG = $sandboxConfig
    Stop-TestCluster -Cluster $staging
}
