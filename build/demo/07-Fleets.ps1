param($Demo)

# The sandbox kubeconfig has several contexts; two of them stand for two clusters here.
Show-Step 'One query across two contexts: the table starts with a Context column' { Get-ClusterNode -Context sandbox, sandbox-token }
Show-Step 'Contexts chosen with Get-ClusterContext, piped: each node names its context and cluster' {
    Get-ClusterContext -Name sandbox, sandbox-token | Get-ClusterNode -Role control-plane | Select-Object Context, Cluster, Name, Status
}
Show-Step 'A context whose credentials are refused is one error naming it; the others still answer' {
    Get-ClusterNode -Context sandbox, sandbox-badtoken -Name worker-1 -ErrorAction Continue 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "ERROR [$($_.CategoryInfo.Category)] $($_.FullyQualifiedErrorId): $_" } else { $_ } }
}
Show-Step 'A change across contexts: -WhatIf names every cluster' { Suspend-ClusterNode -Context sandbox, sandbox-token -Name worker-1 -WhatIf }
