<#
Tab completion of node names in a warm session (TabExpansion2 'Get-ClusterNode -Name w') against
kubectl's own completion of the same names (`kubectl __complete get nodes w`, what its shell
completion runs on every Tab), on a cluster of 500 nodes; and the first Tab of a fresh session,
which also loads the module and its client.
#>
param([Parameter(Mandatory)] $Context)

$cluster = Start-TestCluster -Root $Context.Root -Workers 500 -ControlPlanes 1 -Configuration $Context.Configuration -Timeout ([TimeSpan]::FromMinutes(3))
try {
    $result = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
`$env:KUBECONFIG = '$($cluster.KubeConfig)'
Import-Module '$PSScriptRoot/BenchCommon.psm1'
Import-Module '$($Context.ModulePath)'
`$cache = Join-Path ([IO.Path]::GetTempPath()) 'cm-bench-kubectl-$PID'
`$line = 'Get-ClusterNode -Name worker-1'
# The first Tab of a session also loads the client (about a second); the count is taken warm.
`$null = TabExpansion2 -inputScript `$line -cursorColumn `$line.Length
`$offered = @((TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches).Count
`$koffered = @(kubectl __complete get nodes --cache-dir `$cache worker-1 | Where-Object { `$_ -like 'worker-1*' }).Count
`$module = Measure-Median { `$null = TabExpansion2 -inputScript `$line -cursorColumn `$line.Length }
`$kubectl = Measure-Median { `$null = kubectl __complete get nodes --cache-dir `$cache worker-1 }
@{ offered = `$offered; koffered = `$koffered; module = `$module; kubectl = `$kubectl } | ConvertTo-Json -Compress
"@
    if ($result.offered -lt 100 -or $result.offered -ne $result.koffered) { throw "Completion offered $($result.offered) names, kubectl $($result.koffered); expected the same 100+." }
    New-BenchResult -Scenario 'Tab completion of node names, 500 nodes' -Metric 'latency per Tab (median of 5)' -Module $result.module -Kubectl $result.kubectl -Target 'ratio <= 1' -Met ($result.module -le $result.kubectl)

    # TabExpansion2 as a fresh session's first command; the module loads on demand, as at a prompt.
    $modulePathEntry = (Split-Path $Context.ModulePath) + [IO.Path]::PathSeparator + $env:PSModulePath
    $firstTabs = foreach ($i in 1..3) {
        Invoke-FreshPwsh -Script @"
`$env:KUBECONFIG = '$($cluster.KubeConfig)'
`$env:PSModulePath = '$modulePathEntry'
`$line = 'Get-ClusterNode -Name worker-1'
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$offered = @((TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches).Count
@{ offered = `$offered; ms = `$watch.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
"@
    }
    $emptyFirstTabs = @($firstTabs | Where-Object offered -ne $result.koffered).Count
    New-BenchResult -Scenario 'First Tab of a fresh session, node names, 500 nodes' -Metric "latency incl. module auto-load (median of 3; $emptyFirstTabs of 3 offered other than kubectl's $($result.koffered))" -Module (Get-MedianOf @($firstTabs.ms)) -Kubectl $result.kubectl -Target "every first Tab offers kubectl's names" -Met ($emptyFirstTabs -eq 0)
}
finally {
    Stop-TestCluster $cluster
}
