param($Demo)

Show-Step 'The contexts of the sandbox kubeconfig (no cluster call)' { Get-ClusterContext }
Show-Step 'Every node, with the columns of kubectl get nodes -o wide' { Get-ClusterNode }
Show-Step 'Wildcards, filters and label selectors' { Get-ClusterNode -Name 'worker-*' -Status Ready -LabelSelector 'kubernetes.io/os=linux' }
Show-Step 'Everything about one node' { Get-ClusterNode -Name worker-1 | Format-List }
Show-Step 'A name that does not exist is a specific error; the others are still returned' {
    Get-ClusterNode -Name worker-1, worker-99 -ErrorAction Continue 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "ERROR [$($_.CategoryInfo.Category)] $($_.FullyQualifiedErrorId): $_" } else { $_ } }
}
Show-Step 'Objects pipe into PowerShell: pod CIDRs per node as JSON' { Get-ClusterNode | Select-Object Name, InternalIP, PodCIDRs | ConvertTo-Json -Compress }
Show-Step 'A session-only context switch (no file is written)' { Use-ClusterContext -Name sandbox-token -PassThru }
Use-ClusterContext -Name sandbox
