<#
Invoke-AppRollback and Set-AppReplicaCount against `kubectl rollout undo` / `kubectl scale` (each a
single change, same pwsh session), and Get-ClusterApp -AllNamespaces on 2,000 Deployments against
`kubectl get deploy -A -o json | ConvertFrom-Json`.
#>
param([Parameter(Mandatory)] $Context)

$appCount = 2000
# Room for every app's pod (110 pods a node, as a kubelet's default): the scheduler leaves pods beyond that
# pending, as the real one does, and the rollouts measured below need theirs to start.
$cluster = Start-TestCluster -Root $Context.Root -Workers ([math]::Ceiling($appCount / 100)) -ControlPlanes 1 -ExtraArgument '--apps', $appCount -Configuration $Context.Configuration -Timeout ([TimeSpan]::FromMinutes(3))
try {
    $result = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$ConfirmPreference = 'None'
`$env:KUBECONFIG = '$($cluster.KubeConfig)'
Import-Module '$PSScriptRoot/BenchCommon.psm1'
Import-Module '$($Context.ModulePath)'
`$cache = Join-Path ([IO.Path]::GetTempPath()) 'cm-bench-kubectl-$PID'
# Two apps with two revisions each: the module rolls one back and forth, kubectl the other.
foreach (`$app in 'app-0001', 'app-0002') {
    Publish-AppVersion `$app registry.example/app-bench:2 -Namespace bench-01 -Wait -Timeout 60 | Out-Null
}
`$count = @(Get-ClusterApp -AllNamespaces).Count
`$kcount = @((kubectl get deploy -A -o json --cache-dir `$cache | ConvertFrom-Json).items).Count
`$rollback = Measure-Median { Invoke-AppRollback app-0001 -Namespace bench-01 -Force }
`$undo = Measure-Median { kubectl rollout undo deployment/app-0002 -n bench-01 --cache-dir `$cache }
`$scale = Measure-Median { Set-AppReplicaCount app-0001 -Namespace bench-01 -Replicas ((Get-Random -Minimum 1 -Maximum 4)) -Force }
`$kscale = Measure-Median { kubectl scale deployment/app-0002 -n bench-01 "--replicas=`$(Get-Random -Minimum 1 -Maximum 4)" --cache-dir `$cache }
`$list = Measure-Median { Get-ClusterApp -AllNamespaces }
`$klist = Measure-Median { kubectl get deploy -A -o json --cache-dir `$cache | ConvertFrom-Json }
@{ count = `$count; kcount = `$kcount; rollback = `$rollback; undo = `$undo; scale = `$scale; kscale = `$kscale; list = `$list; klist = `$klist } | ConvertTo-Json -Compress
"@
    # The seeded cluster may run Deployments of its own (drivers); the module must list what kubectl lists.
    if ($result.count -lt $appCount -or $result.count -ne $result.kcount) { throw "Get-ClusterApp -AllNamespaces returned $($result.count) apps, kubectl $($result.kcount), expected at least $appCount." }
    New-BenchResult -Scenario 'Invoke-AppRollback vs kubectl rollout undo' -Metric 'latency (median of 5)' -Module $result.rollback -Kubectl $result.undo -Target 'ratio <= 1' -Met ($result.rollback -le $result.undo)
    New-BenchResult -Scenario 'Set-AppReplicaCount vs kubectl scale' -Metric 'latency (median of 5)' -Module $result.scale -Kubectl $result.kscale -Target 'ratio <= 1' -Met ($result.scale -le $result.kscale)
    New-BenchResult -Scenario "Get-ClusterApp -AllNamespaces, $appCount apps" -Metric 'wall time (median of 5)' -Module $result.list -Kubectl $result.klist -Target 'ratio <= 0.5' -Met ($result.list / $result.klist -le 0.5)
}
finally {
    Stop-TestCluster $cluster
}
