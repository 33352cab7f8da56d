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
$cluster = Start-TestCluster -Root $Context.Root -Workers 0 -ControlPlanes 0 -ExtraArgument '--kubernetes-version', 'v1.33.4' -Configuration $Context.Configuration
$engine = Start-FleetEngine
try {
    $hosts = foreach ($i in 1..4) {
        Start-FleetNode -Engine $engine -Name "kbench-$i" -Address "127.0.0.$(180 + $i)" -SshPort (2380 + $i) -Variant Docker -CniConfig
    }
    $knownHosts = Join-Path $engine.WorkDir 'module_known_hosts'
    $setup = @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$ConfirmPreference = 'None'
`$env:KUBECONFIG = '$($cluster.KubeConfig)'
Import-Module '$($Context.ModulePath)'
`$access = @{ SshUser = 'cmadmin'; SshKeyPath = '$($engine.KeyPath)'; KnownHostsPath = '$knownHosts' }
"@
    $join = $setup + "`n" + @"
'$(($hosts | ForEach-Object { "$($_.Name),$($_.Address),$($_.SshPort)" }) -join ';')' -split ';' | ForEach-Object -ThrottleLimit 4 -Parallel {
    Import-Module '$($Context.ModulePath)'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'
    `$n, `$a, `$p = `$_ -split ','
    `$access = `$using:access
    `$null = New-ClusterNode -Name `$n -Address `$a -Port `$p @access -AcceptNewHostKey -Force -KubernetesVersion 1.31 -Role worker
}
"@
    $null = Invoke-FreshPwsh -Script ($join + "`n'{}'")

    $measure = $setup + "`n" + @"
function Invoke-Upgrade([string] `$Version, [int] `$MaxUnavailable) {
    `$clock = [Diagnostics.Stopwatch]::StartNew()
    `$r = @(Update-ClusterNode -KubernetesVersion `$Version -MaxUnavailable `$MaxUnavailable -Force @access)
    `$clock.Stop()
    if (@(`$r | Where-Object Status -ne Upgraded).Count -or `$r.Count -ne 4) { throw "upgrade failed: `$(`$r | Out-String)" }
    [pscustomobject]@{ Total = `$clock.Elapsed.TotalMilliseconds; Unavailable = @(`$r | ForEach-Object { [Xml.XmlConvert]::ToTimeSpan(`$_.UnavailableFor).TotalMilliseconds }) }
}
@{ one = Invoke-Upgrade 1.32 1; two = Invoke-Upgrade 1.33 2 } | ConvertTo-Json -Compress -Depth 4
"@
    $m = Invoke-FreshPwsh -Script $measure
    $load = (Get-Content /proc/loadavg).Split(' ')[0]
    foreach ($row in @(@{ Run = $m.one; Max = 1; Target = 0.25 }, @{ Run = $m.two; Max = 2; Target = 0.5 })) {
        $node = Get-MedianOf -Values $row.Run.Unavailable
        New-BenchResult -Scenario 'Update-ClusterNode, 4 workers' -Metric "MaxUnavailable $($row.Max): per-node time cordon to uncordon (median of 4) vs the whole operation (load $load)" `
            -Module $node -Kubectl $row.Run.Total -Target "ratio <= $($row.Target + 0.05)" -Met ($node / $row.Run.Total -le $row.Target + 0.05)
    }
}
finally {
    Stop-Fleet -Engine $engine -Confirm:$false
    Stop-TestCluster $cluster
}
