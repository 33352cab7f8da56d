<#
Get-ClusterNode on 5,000 nodes against `kubectl get nodes -o json | ConvertFrom-Json`, in the same
pwsh session (wall time) and in fresh ones (peak memory); time to the first object; Import-Module time.
#>
param([Parameter(Mandatory)] $Context)

$nodeCount = 5000
$cluster = Start-TestCluster -Root $Context.Root -Workers $nodeCount -ControlPlanes 1 -ExtraArgument '--no-pods' -Configuration $Context.Configuration -Timeout ([TimeSpan]::FromMinutes(3))
try {
    $common = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'; " +
        "Import-Module '$PSScriptRoot/BenchCommon.psm1'; `$cache = Join-Path ([IO.Path]::GetTempPath()) 'cm-bench-kubectl-$PID'"

    $wall = Invoke-FreshPwsh -Script @"
$common
Import-Module '$($Context.ModulePath)'
`$firstCold = (Measure-Command { Get-ClusterNode | Select-Object -First 1 }).TotalMilliseconds
`$count = @(Get-ClusterNode).Count
`$module = Measure-Median { Get-ClusterNode }
`$kubectl = Measure-Median { kubectl get nodes -o json --cache-dir `$cache | ConvertFrom-Json }
`$firstWarm = Measure-Median { Get-ClusterNode | Select-Object -First 1 }
@{ module = `$module; kubectl = `$kubectl; firstCold = `$firstCold; firstWarm = `$firstWarm; count = `$count } | ConvertTo-Json -Compress
"@
    if ($wall.count -ne $nodeCount + 1) { throw "Get-ClusterNode returned $($wall.count) nodes, expected $($nodeCount + 1)." }

    $peak = Get-PeakMemorySnippet
    $moduleMemory = Get-MedianOf @(foreach ($i in 1..3) {
            (Invoke-FreshPwsh -Script "$common; Import-Module '$($Context.ModulePath)'; `$null = Get-ClusterNode; @{ kib = $peak } | ConvertTo-Json -Compress").kib
        })
    $kubectlMemory = Get-MedianOf @(foreach ($i in 1..3) {
            # The pipeline's peak is pwsh's own plus kubectl's, which runs beside it.
            $measured = Invoke-FreshPwsh -Script @"
$common
`$timeFile = [IO.Path]::GetTempFileName()
`$null = /usr/bin/time -f '%M' -o `$timeFile kubectl get nodes -o json --cache-dir `$cache | ConvertFrom-Json
@{ kib = $peak; kubectl = [int] (Get-Content `$timeFile | Select-Object -Last 1) } | ConvertTo-Json -Compress
"@
            $measured.kib + $measured.kubectl
        })

    $imports = foreach ($i in 1..5) {
        (Invoke-FreshPwsh -Script "@{ ms = (Measure-Command { Import-Module '$($Context.ModulePath)' }).TotalMilliseconds } | ConvertTo-Json -Compress").ms
    }
    $import = Get-MedianOf @($imports)

    $scenario = "Get-ClusterNode, $nodeCount nodes"
    New-BenchResult -Scenario $scenario -Metric 'wall time (median of 5)' -Module $wall.module -Kubectl $wall.kubectl -Target 'ratio <= 0.5' -Met ($wall.module / $wall.kubectl -le 0.5)
    New-BenchResult -Scenario $scenario -Metric 'peak memory (median of 3)' -Module $moduleMemory -Kubectl $kubectlMemory -Unit 'KiB'
    New-BenchResult -Scenario $scenario -Metric 'first object, warm session' -Module $wall.firstWarm -Target '<= 150 ms' -Met ($wall.firstWarm -le 150)
    New-BenchResult -Scenario $scenario -Metric 'first object, first call in session' -Module ([math]::Round($wall.firstCold, 1))
    New-BenchResult -Scenario 'Import-Module in a fresh pwsh' -Metric 'median of 5' -Module $import -Target '<= 400 ms' -Met ($import -le 400)
}
finally {
    Stop-TestCluster $cluster
}
