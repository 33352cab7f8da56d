<#
Get-ClusterNode across 10 clusters of 500 nodes each, against the shell loop a user writes today
(`foreach ($c in $contexts) { kubectl --context $c get nodes -o json | ConvertFrom-Json }`), the two
interleaved in one session (A, B, A, B ...); the first object against a one-cluster read's first object;
and the same fan-out with one more cluster that never answers, whose request timeout must not hold
back the other clusters' nodes.
#>
param([Parameter(Mandatory)] $Context)

$clusterCount = 10
$nodeCount = 500
$runs = 3
$clusters = [System.Collections.Generic.List[object]]::new()
# A server that never answers: the kernel completes the handshake into the backlog, nothing reads it.
$silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
$silent.Start()
$files = Join-Path ([IO.Path]::GetTempPath()) "cm-bench-fleets-$PID"
$null = New-Item -ItemType Directory -Path $files -Force
try {
    $paths = foreach ($i in 1..$clusterCount) {
        $cluster = Start-TestCluster -Root $Context.Root -Workers ($nodeCount - 1) -ControlPlanes 1 -ExtraArgument '--no-pods' -Configuration $Context.Configuration -Timeout ([TimeSpan]::FromMinutes(3))
        $clusters.Add($cluster)
        $path = Join-Path $files "c$i.kubeconfig"
        Set-Content -Path $path -Value (Get-NamedKubeConfig -Cluster $cluster -Prefix "c$i")
        $path
    }
    $silentPath = Join-Path $files 'silent.kubeconfig'
    Set-Content -Path $silentPath -Value (Get-UnreachableKubeConfig -Name 'silent' -Port $silent.LocalEndpoint.Port)
    $kubeconfig = (@($paths) + $silentPath) -join [IO.Path]::PathSeparator
    $contexts = (1..$clusterCount | ForEach-Object { "'c$_'" }) -join ', '

    $measured = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$env:KUBECONFIG = '$kubeconfig'
Import-Module '$PSScriptRoot/BenchCommon.psm1'; Import-Module '$($Context.ModulePath)'
`$cache = Join-Path ([IO.Path]::GetTempPath()) 'cm-bench-kubectl-$PID'
`$contexts = @($contexts)
`$count = @(Get-ClusterNode -Context `$contexts).Count
`$null = foreach (`$c in `$contexts) { kubectl --context `$c get nodes -o json --cache-dir `$cache | ConvertFrom-Json }
`$module = [System.Collections.Generic.List[double]]::new(); `$kubectl = [System.Collections.Generic.List[double]]::new()
`$firstFanOut = [System.Collections.Generic.List[double]]::new(); `$firstSingle = [System.Collections.Generic.List[double]]::new(); `$firstAfterAnswer = [System.Collections.Generic.List[double]]::new()
`$lastLive = [System.Collections.Generic.List[double]]::new(); `$lastLiveWithSilent = [System.Collections.Generic.List[double]]::new()
# The first cluster's answer is timed where its response headers come in (FirstAnswerClock, on the thread that
# read them), the first node where it reaches the pipeline: the row is what a user waits between the two.
Add-Type -Path '$PSScriptRoot/FirstAnswerClock.cs'
`$answerClock = [FirstAnswerClock]::new('/api/v1/nodes')
function Measure-FirstNode([string[]] `$Names) {
    `$answerClock.Reset(); `$start = [Diagnostics.Stopwatch]::GetTimestamp(); `$first = 0
    Get-ClusterNode -Context `$Names | ForEach-Object { if (-not `$first) { `$first = [Diagnostics.Stopwatch]::GetTimestamp() } }
    `$answer = `$answerClock.FirstAnswer
    if (-not `$answer) { throw 'The first answer was not timed: no successful GET /api/v1/nodes came through the HTTP handler''s diagnostics.' }
    `$ms = 1000 / [Diagnostics.Stopwatch]::Frequency
    [pscustomobject]@{ First = (`$first - `$start) * `$ms; AfterAnswer = (`$first - `$answer) * `$ms }
}
function Measure-LastNode([string[]] `$Names) {
    `$clock = [Diagnostics.Stopwatch]::StartNew(); `$last = 0
    Get-ClusterNode -Context `$Names -RequestTimeout 5 -ErrorAction SilentlyContinue | ForEach-Object { `$last = `$clock.Elapsed.TotalMilliseconds }
    `$last
}
foreach (`$i in 1..$runs) {
    `$module.Add((Measure-Command { `$null = Get-ClusterNode -Context `$contexts }).TotalMilliseconds)
    `$kubectl.Add((Measure-Command { `$null = foreach (`$c in `$contexts) { kubectl --context `$c get nodes -o json --cache-dir `$cache | ConvertFrom-Json } }).TotalMilliseconds)
    `$fanOut = Measure-FirstNode `$contexts
    `$firstFanOut.Add(`$fanOut.First); `$firstAfterAnswer.Add(`$fanOut.AfterAnswer)
    `$firstSingle.Add((Measure-FirstNode c1).First)
    `$lastLive.Add((Measure-LastNode `$contexts))
    `$lastLiveWithSilent.Add((Measure-LastNode (@(`$contexts) + 'silent')))
}
@{ count = `$count; module = (Get-MedianOf `$module); kubectl = (Get-MedianOf `$kubectl); firstFanOut = (Get-MedianOf `$firstFanOut); firstSingle = (Get-MedianOf `$firstSingle); firstAfterAnswer = (Get-MedianOf `$firstAfterAnswer)
   lastLive = (Get-MedianOf `$lastLive); lastLiveWithSilent = (Get-MedianOf `$lastLiveWithSilent) } | ConvertTo-Json -Compress
"@
    if ($measured.count -ne $clusterCount * $nodeCount) { throw "Get-ClusterNode returned $($measured.count) nodes, expected $($clusterCount * $nodeCount)." }

    $scenario = "Get-ClusterNode, $clusterCount clusters of $nodeCount nodes"
    New-BenchResult -Scenario $scenario -Metric "wall time vs a kubectl --context loop (median of $runs, interleaved)" -Module $measured.module -Kubectl $measured.kubectl -Target 'ratio <= 0.25' -Met ($measured.module / $measured.kubectl -le 0.25)
    $afterAnswer = [math]::Round($measured.firstAfterAnswer, 1)
    New-BenchResult -Scenario $scenario -Metric "first object, after the first cluster's answer in the same fan-out (median of $runs)" -Module $afterAnswer -Target '<= 200 ms' -Met ($afterAnswer -le 200)
    # The fan-out's ten clusters share the machine's cores, so each answer comes later than one cluster's alone: shown, not a goal.
    $lag = [math]::Round($measured.firstFanOut - $measured.firstSingle, 1)
    New-BenchResult -Scenario $scenario -Metric "first object, after a one-cluster read's first object (median of $runs; information)" -Module $lag
    New-BenchResult -Scenario $scenario -Metric "last node of the live clusters with one more cluster that never answers (-RequestTimeout 5); without it: $($measured.lastLive) ms" -Module $measured.lastLiveWithSilent -Target '<= 1.5 x without it' -Met ($measured.lastLiveWithSilent / $measured.lastLive -le 1.5)
}
finally {
    $silent.Stop()
    $clusters | Stop-TestCluster
    Remove-Item $files -Recurse -Force -ErrorAction Ignore
}
