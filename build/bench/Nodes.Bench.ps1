<#
Get-ClusterNode on 5,000 nodes against `kubectl get nodes -o json | ConvertFrom-Json`, in the same
pwsh session (wall time) and in fresh ones (peak memory); time to the first object; Import-Module time.
#>
param([Parameter(Mandatory)] $Context)

$nodeCount = 5000
# Heartbeats every minute (grace ten): 5,000 nodes beating every 10 s fill the server's change history so
# fast that on a loaded machine a paged list outlives it and kubectl stops at 410 Expired.
$cluster = Start-TestCluster -Root $Context.Root -Workers $nodeCount -ControlPlanes 1 -ExtraArgument '--no-pods', '--heartbeat-seconds', 60, '--node-grace-seconds', 600 -Configuration $Context.Configuration -Timeout ([TimeSpan]::FromMinutes(3))
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

    # Goal 2 of issue 18, the floor: the same list through a bare client (NodeListFloor.cs) into the same objects.
    # Goal 3: what a console user waits for, the default table rendered at 160 columns, against kubectl -o wide
    # printing its table into a string (its whole run, read as a console reads it).
    $kubeconfig = Get-Content $cluster.KubeConfig -Raw
    $floorSetup = "`$server = '$($cluster.Url)'; " +
        "`$certificate = [Text.Encoding]::ASCII.GetString([Convert]::FromBase64String('$([regex]::Match($kubeconfig, 'client-certificate-data:\s*(\S+)').Groups[1].Value)')); " +
        "`$key = [Text.Encoding]::ASCII.GetString([Convert]::FromBase64String('$([regex]::Match($kubeconfig, 'client-key-data:\s*(\S+)').Groups[1].Value)'))"
    $shown = Invoke-FreshPwsh -Script @"
$common
Import-Module '$($Context.ModulePath)'
$floorSetup
`$current = Get-ClusterContext | Where-Object IsCurrent
`$contextName = `$current.Name; `$clusterName = `$current.Cluster
Add-Type -Path '$PSScriptRoot/NodeListFloor.cs' -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies ([ClusterManagement.Nodes.ClusterNode].Assembly.Location), System.Runtime, System.Collections, System.Linq, System.Memory, System.Net.Http, System.Net.Primitives, System.Text.Json, System.Security.Cryptography, System.Private.Xml, System.Collections.NonGeneric
`$floorNodes = [NodeListFloor]::List(`$server, `$certificate, `$key, 500, `$contextName, `$clusterName)
`$moduleNodes = @(Get-ClusterNode)
# Heartbeats change conditions and resource versions between the two reads; the rest must be the same.
`$same = `$floorNodes.Count -eq `$moduleNodes.Count -and (@(`$floorNodes.Name) -join ',') -eq (@(`$moduleNodes.Name) -join ',') -and
    (`$floorNodes[-1] | Select-Object * -ExcludeProperty Age, ResourceVersion, Conditions | ConvertTo-Json -Depth 4) -eq (`$moduleNodes[-1] | Select-Object * -ExcludeProperty Age, ResourceVersion, Conditions | ConvertTo-Json -Depth 4)
`$list = Measure-Interleaved -A { Get-ClusterNode } -B { [NodeListFloor]::List(`$server, `$certificate, `$key, 500, `$contextName, `$clusterName) }
`$tableModule = [Collections.Generic.List[double]]::new(); `$tableKubectl = [Collections.Generic.List[double]]::new()
`$null = Get-ClusterNode | Out-String -Width 160; `$null = Read-NativeOutput kubectl 'get', 'nodes', '-o', 'wide', '--cache-dir', `$cache
foreach (`$i in 1..5) {
    `$tableModule.Add((Measure-Command { `$null = Get-ClusterNode | Out-String -Width 160 }).TotalMilliseconds)
    `$tableKubectl.Add((Read-NativeOutput kubectl 'get', 'nodes', '-o', 'wide', '--cache-dir', `$cache))
}
`$formatOnly = Measure-Median { `$moduleNodes | Out-String -Width 160 }
@{ same = `$same; module = `$list.A; floor = `$list.B; table = (Get-MedianOf `$tableModule.ToArray()); kubectlTable = (Get-MedianOf `$tableKubectl.ToArray()); formatOnly = `$formatOnly } | ConvertTo-Json -Compress
"@
    if (-not $shown.same) { throw 'The floor harness did not produce the same nodes as Get-ClusterNode: its figure would compare different work.' }

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
    New-BenchResult -Scenario $scenario -Metric 'against the floor: bare paged GET + System.Text.Json into ClusterNode (median of 5, interleaved)' -Module $shown.module -Kubectl $shown.floor -Target 'ratio <= 1.3' -Met ($shown.module / $shown.floor -le 1.3)
    New-BenchResult -Scenario $scenario -Metric 'rendered default table (Out-String -Width 160) vs kubectl get nodes -o wide, whole run (median of 5, interleaved)' -Module $shown.table -Kubectl $shown.kubectlTable -Target 'ratio <= 1.0' -Met ($shown.table / $shown.kubectlTable -le 1.0)
    New-BenchResult -Scenario $scenario -Metric 'of which formatting alone (objects already listed)' -Module $shown.formatOnly
    New-BenchResult -Scenario 'Import-Module in a fresh pwsh' -Metric 'median of 5' -Module $import -Target '<= 400 ms' -Met ($import -le 400)
}
finally {
    Stop-TestCluster $cluster
}
