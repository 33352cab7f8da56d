<#
Issue 18, goal 4: every list cmdlet writes its first object early. For each one, the time to its first
object in a warm session against the time to the first byte kubectl writes for the same list (kubectl
prints a table only once it has the whole list, so for big lists that is close to its whole run).
Measured in turns (module, kubectl, module, ...), median of 5, on one emulator with 10,000 bound claims
(and their volumes), 1,000 one-replica apps besides the sample app, and seeded pods.
#>
param([Parameter(Mandatory)] $Context)

$claimCount = 10000
$appCount = 1000
$cluster = Start-TestCluster -Root $Context.Root -Workers 3 -ControlPlanes 1 -ExtraArgument '--claims', $claimCount, '--sample-app', '--apps', $appCount -Configuration $Context.Configuration -Timeout ([TimeSpan]::FromMinutes(3))
try {
    # Each row: the cmdlet's list, kubectl's arguments for the same list, and the objects the list has.
    $lists = @(
        @{ Name = 'Get-CsiVolumeClaim -AllNamespaces'; Module = 'Get-CsiVolumeClaim -AllNamespaces'; Kubectl = "'get', 'pvc', '-A'"; Size = "$claimCount claims" }
        @{ Name = 'Get-CsiVolume'; Module = 'Get-CsiVolume'; Kubectl = "'get', 'pv'"; Size = "$claimCount volumes" }
        @{ Name = 'Get-ClusterNode'; Module = 'Get-ClusterNode'; Kubectl = "'get', 'nodes'"; Size = '4 nodes' }
        @{ Name = 'Get-NodePod'; Module = 'Get-NodePod -Node worker-1'; Kubectl = "'get', 'pods', '-A', '--field-selector', 'spec.nodeName=worker-1'"; Size = 'the pods of one node' }
        @{ Name = 'Get-ClusterApp -AllNamespaces'; Module = 'Get-ClusterApp -AllNamespaces'; Kubectl = "'get', 'deployments', '-A'"; Size = "$($appCount + 1) apps" }
        @{ Name = 'Get-AppRevision'; Module = 'Get-AppRevision -Name web'; Kubectl = "'rollout', 'history', 'deployment/web'"; Size = 'one app' }
        @{ Name = 'Get-StorageClass'; Module = 'Get-StorageClass'; Kubectl = "'get', 'storageclasses'"; Size = 'the seeded classes' }
        @{ Name = 'Get-CsiDriver'; Module = 'Get-CsiDriver'; Kubectl = "'get', 'csidrivers'"; Size = 'the seeded drivers' }
    )
    $measurements = foreach ($list in $lists) {
        @"
`$module = [Collections.Generic.List[double]]::new(); `$kubectl = [Collections.Generic.List[double]]::new()
`$null = $($list.Module) | Select-Object -First 1; `$null = Read-NativeOutput kubectl $($list.Kubectl), '--cache-dir', `$cache -FirstByte
foreach (`$i in 1..5) {
    `$module.Add((Measure-Command { `$null = $($list.Module) | Select-Object -First 1 }).TotalMilliseconds)
    `$kubectl.Add((Read-NativeOutput kubectl $($list.Kubectl), '--cache-dir', `$cache -FirstByte))
}
`$results['$($list.Name)'] = @{ module = Get-MedianOf `$module.ToArray(); kubectl = Get-MedianOf `$kubectl.ToArray() }
"@
    }
    $first = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'
Import-Module '$PSScriptRoot/BenchCommon.psm1'; `$cache = Join-Path ([IO.Path]::GetTempPath()) 'cm-bench-kubectl-$PID'
Import-Module '$($Context.ModulePath)'
`$results = @{}
$($measurements -join "`n")
`$results | ConvertTo-Json -Compress -Depth 3
"@
    foreach ($list in $lists) {
        $figures = $first.($list.Name)
        New-BenchResult -Scenario "$($list.Name), $($list.Size)" -Metric 'first object (warm) vs kubectl first byte, median of 5 interleaved' `
            -Module $figures.module -Kubectl $figures.kubectl -Target '<= 150 ms' -Met ($figures.module -le 150)
    }
}
finally {
    Stop-TestCluster $cluster
}
