<#
Drain of a node running 300 pods: Suspend-ClusterNode -Drain against kubectl drain, on the same
emulator in the same run. Each round gets two fresh nodes' worth of pods, one node per tool.
#>
param([Parameter(Mandatory)] $Context)

$podCount = 300
$rounds = 3
$cluster = Start-TestCluster -Root $Context.Root -Workers ($rounds * 2) -ControlPlanes 1 -ExtraArgument '--no-pods' -Configuration $Context.Configuration
try {
    $cache = Join-Path ([IO.Path]::GetTempPath()) "cm-bench-drain-$PID"
    # The pods' controller must exist (the garbage collector deletes pods whose owner does not); a
    # ConfigMap stands in for an operator's object, which no controller here replaces pods for.
    $ownerUid = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir $cache create configmap pod-owner -o 'jsonpath={.metadata.uid}'
    if ($LASTEXITCODE -ne 0) { throw 'creating the pods'' owner failed' }
    function New-Pods([string] $Node) {
        $items = foreach ($i in 1..$podCount) {
            @{ apiVersion = 'v1'; kind = 'Pod'
                metadata = @{ name = "$Node-app-$i"; namespace = 'default'; labels = @{ app = "$Node-app" }
                    ownerReferences = @(@{ apiVersion = 'v1'; kind = 'ConfigMap'; name = 'pod-owner'; uid = $ownerUid; controller = $true }) }
                spec = @{ nodeName = $Node; terminationGracePeriodSeconds = 0; containers = @(@{ name = 'app'; image = 'registry.k8s.io/pause:3.10' }) } }
        }
        $file = Join-Path ([IO.Path]::GetTempPath()) "cm-bench-pods-$Node.json"
        @{ apiVersion = 'v1'; kind = 'List'; items = @($items) } | ConvertTo-Json -Depth 10 | Set-Content $file
        $null = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir $cache create -f $file
        if ($LASTEXITCODE -ne 0) { throw "creating pods on $Node failed" }
        Remove-Item $file
    }

    $module = @(); $kubectl = @()
    foreach ($round in 1..$rounds) {
        $kubectlNode = "worker-$($round * 2 - 1)"
        $moduleNode = "worker-$($round * 2)"
        New-Pods $kubectlNode
        New-Pods $moduleNode
        $measured = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$ConfirmPreference = 'None'
`$env:KUBECONFIG = '$($cluster.KubeConfig)'
Import-Module '$($Context.ModulePath)'
`$null = Get-ClusterNode -Name $moduleNode
`$kubectl = (Measure-Command { `$null = kubectl drain $kubectlNode --ignore-daemonsets --cache-dir '$cache' 2>&1; if (`$LASTEXITCODE) { throw 'kubectl drain failed' } }).TotalMilliseconds
`$result = `$null
`$module = (Measure-Command { `$result = Suspend-ClusterNode -Name $moduleNode -Drain -IgnoreDaemonSets }).TotalMilliseconds
@{ module = `$module; kubectl = `$kubectl; evicted = `$result.Evicted.Count } | ConvertTo-Json -Compress
"@
        if ($measured.evicted -ne $podCount) { throw "Suspend-ClusterNode evicted $($measured.evicted) pods, expected $podCount." }
        $module += $measured.module
        $kubectl += $measured.kubectl
    }

    $moduleMedian = Get-MedianOf $module
    $kubectlMedian = Get-MedianOf $kubectl
    New-BenchResult -Scenario "Drain a node with $podCount pods" -Metric "wall time (median of $rounds)" -Module $moduleMedian -Kubectl $kubectlMedian -Target 'ratio <= 1' -Met ($moduleMedian -le $kubectlMedian)
}
finally {
    Stop-TestCluster $cluster
}
