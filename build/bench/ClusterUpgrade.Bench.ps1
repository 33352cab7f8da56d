<#
Kubernetes upgrades on the real fleet (issue 21): Update-ClusterNode on 4 workers, -MaxUnavailable 1
(v1.31 to v1.32) and then 2 (v1.32 to v1.33), against an API server already at v1.33.4, so only the
workers' cycle is measured. Each row sets the median time one node is out of service (cordon to
uncordon) against the whole operation; the rows say how much of the run each node is unavailable
(target: at most 1/4 with one at a time, 1/2 with two). There is no kubectl equivalent: the kubectl
column holds the whole operation.
#>
param([Parameter(Mandatory)] $Context)

Import-Module (Join-Path $Context.Root 'tests/Fleet/Fleet.psm1') -Force
$fleet = Start-FleetCluster -Root $Context.Root -ModulePath $Context.ModulePath -Configuration $Context.Configuration -ExtraArgument '--kubernetes-version', 'v1.33.4' `
    -Worker (1..4 | ForEach-Object { "kbench-$_" }) -FirstOctet 181 -JoinParameter @{ Role = 'worker'; KubernetesVersion = '1.31' }
try {
    $setup = @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$ConfirmPreference = 'None'
`$env:KUBECONFIG = '$($fleet.Cluster.KubeConfig)'
Import-Module '$($Context.ModulePath)'
Import-Module '$PSScriptRoot/BenchCommon.psm1'
`$access = @{ SshUser = 'cmadmin'; SshKeyPath = '$($fleet.Access.SshKeyPath)'; KnownHostsPath = '$($fleet.Access.KnownHostsPath)' }
"@
    $measure = $setup + "`n" + @"
function Invoke-Upgrade([string] `$Version, [int] `$MaxUnavailable) {
    `$clock = [Diagnostics.Stopwatch]::StartNew()
    `$run = Split-UpgradeOutput -Expected 4 -Output @(Update-ClusterNode -KubernetesVersion `$Version -MaxUnavailable `$MaxUnavailable -Force -Verbose @access 4>&1)
    `$clock.Stop()
    `$r = `$run.Results
    if (@(`$r | Where-Object Status -ne Upgraded).Count -or `$r.Count -ne 4) { throw "upgrade failed: `$(`$r | Out-String)" }
    [pscustomobject]@{ Total = `$clock.Elapsed.TotalMilliseconds; Unavailable = `$run.Unavailable }
}
@{ one = Invoke-Upgrade 1.32 1; two = Invoke-Upgrade 1.33 2 } | ConvertTo-Json -Compress -Depth 4
"@
    $m = Invoke-FreshPwsh -Script $measure
    $load = (Get-Content /proc/loadavg).Split(' ')[0]
    foreach ($row in @(@{ Run = $m.one; Max = 1; Target = 0.25 }, @{ Run = $m.two; Max = 2; Target = 0.5 })) {
        $node = Get-MedianOf -Values $row.Run.Unavailable
        New-BenchResult -Scenario 'Update-ClusterNode, 4 workers' -Metric "MaxUnavailable $($row.Max): per-node time cordon to uncordon, unrounded (median of 4) vs the whole operation (load $load)" `
            -Module $node -Kubectl $row.Run.Total -Target "ratio <= $($row.Target + 0.05)" -Met ($node / $row.Run.Total -le $row.Target + 0.05)
    }
}
finally {
    Stop-FleetCluster $fleet
}
