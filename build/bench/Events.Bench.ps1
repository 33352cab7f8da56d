<#
Get-ClusterEvent -AllNamespaces on 20,000 events (seeded by the emulator's --events) against
`kubectl get events -A -o json | ConvertFrom-Json`: one run each, interleaved after a warm-up, wall time
and peak memory (issue 20's benchmark). The module reads events.k8s.io/v1, kubectl get events core/v1:
the same objects.
#>
param([Parameter(Mandatory)] $Context)

$eventCount = 20000
$cluster = Start-TestCluster -Root $Context.Root -Workers 3 -ControlPlanes 1 -ExtraArgument '--no-pods', '--events', $eventCount -Configuration $Context.Configuration -Timeout ([TimeSpan]::FromMinutes(3))
try {
    $common = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'; " +
        "Import-Module '$PSScriptRoot/BenchCommon.psm1'; `$cache = Join-Path ([IO.Path]::GetTempPath()) 'cm-bench-kubectl-$PID'"
    $wall = Invoke-FreshPwsh -Script @"
$common
Import-Module '$($Context.ModulePath)'
`$count = @(Get-ClusterEvent -AllNamespaces).Count
`$kubectlCount = @((kubectl get events -A -o json --cache-dir `$cache | ConvertFrom-Json).items).Count
`$times = Measure-Interleaved -Runs 1 -A { Get-ClusterEvent -AllNamespaces } -B { kubectl get events -A -o json --cache-dir `$cache | ConvertFrom-Json }
@{ module = `$times.A; kubectl = `$times.B; count = `$count; kubectlCount = `$kubectlCount; load = (Get-Content /proc/loadavg) } | ConvertTo-Json -Compress
"@
    # The emulated nodes record a few events of their own meanwhile: both sides read the same store.
    if ($wall.count -lt $eventCount -or [math]::Abs($wall.count - $wall.kubectlCount) -gt 50) {
        throw "Get-ClusterEvent returned $($wall.count) events and kubectl $($wall.kubectlCount), expected $eventCount or a few more."
    }

    $peak = Get-PeakMemorySnippet
    $moduleMemory = (Invoke-FreshPwsh -Script "$common; Import-Module '$($Context.ModulePath)'; `$null = Get-ClusterEvent -AllNamespaces; @{ kib = $peak } | ConvertTo-Json -Compress").kib
    # The pipeline's peak is pwsh's own plus kubectl's, which runs beside it.
    $measured = Invoke-FreshPwsh -Script @"
$common
`$timeFile = [IO.Path]::GetTempFileName()
`$null = /usr/bin/time -f '%M' -o `$timeFile kubectl get events -A -o json --cache-dir `$cache | ConvertFrom-Json
@{ kib = $peak; kubectl = [int] (Get-Content `$timeFile | Select-Object -Last 1) } | ConvertTo-Json -Compress
"@
    $kubectlMemory = $measured.kib + $measured.kubectl

    $scenario = "Get-ClusterEvent -AllNamespaces, $eventCount events"
    New-BenchResult -Scenario $scenario -Metric "wall time (one run, interleaved after a warm-up; load average $($wall.load -replace ' \S+ \S+$'))" -Module $wall.module -Kubectl $wall.kubectl -Target 'ratio <= 0.3' -Met ($wall.module / $wall.kubectl -le 0.3)
    New-BenchResult -Scenario $scenario -Metric 'peak memory (one run; kubectl side: pwsh + kubectl)' -Module $moduleMemory -Kubectl $kubectlMemory -Unit 'KiB' -Target 'ratio <= 0.3' -Met ($moduleMemory / $kubectlMemory -le 0.3)
}
finally {
    Stop-TestCluster $cluster
}
