<#
Get-CsiVolumeClaim -AllNamespaces on 10,000 bound claims against `kubectl get pvc -A -o json | ConvertFrom-Json`,
in the same pwsh session (wall time, median of 5).
#>
param([Parameter(Mandatory)] $Context)

$claimCount = 10000
$cluster = Start-TestCluster -Root $Context.Root -Workers 3 -ControlPlanes 1 -ExtraArgument '--no-pods', '--claims', $claimCount -Configuration $Context.Configuration -Timeout ([TimeSpan]::FromMinutes(3))
try {
    $wall = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'
Import-Module '$PSScriptRoot/BenchCommon.psm1'; `$cache = Join-Path ([IO.Path]::GetTempPath()) 'cm-bench-kubectl-$PID'
Import-Module '$($Context.ModulePath)'
`$count = @(Get-CsiVolumeClaim -AllNamespaces).Count
`$kubectlCount = @((kubectl get pvc -A -o json --cache-dir `$cache | ConvertFrom-Json).items).Count
`$module = Measure-Median { Get-CsiVolumeClaim -AllNamespaces }
`$kubectl = Measure-Median { kubectl get pvc -A -o json --cache-dir `$cache | ConvertFrom-Json }
`$first = Measure-Median { Get-CsiVolumeClaim -AllNamespaces | Select-Object -First 1 }
@{ module = `$module; kubectl = `$kubectl; first = `$first; count = `$count; kubectlCount = `$kubectlCount } | ConvertTo-Json -Compress
"@
    if ($wall.count -ne $claimCount -or $wall.kubectlCount -ne $claimCount) {
        throw "Get-CsiVolumeClaim returned $($wall.count) claims and kubectl $($wall.kubectlCount), expected $claimCount."
    }
    $scenario = "Get-CsiVolumeClaim -AllNamespaces, $claimCount claims"
    New-BenchResult -Scenario $scenario -Metric 'wall time (median of 5)' -Module $wall.module -Kubectl $wall.kubectl -Target 'ratio <= 1' -Met ($wall.module / $wall.kubectl -le 1)
    New-BenchResult -Scenario $scenario -Metric 'first object, warm session' -Module $wall.first
}
finally {
    Stop-TestCluster $cluster
}
