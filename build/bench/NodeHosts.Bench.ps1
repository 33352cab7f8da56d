<#
Node hosts on the real fleet: Update-NodeDocker on 4 hosts with -MaxUnavailable 2 against 1
(containerd moved between its two Debian versions; target ratio <= 0.6), and Get-NodeDocker on 8
hosts against the slowest single host (the probes run in parallel, so the total should be close
to the slowest, not the sum). There is no kubectl equivalent; ratios compare the module with itself.
#>
param([Parameter(Mandatory)] $Context)

Import-Module (Join-Path $Context.Root 'tests/Fleet/Fleet.psm1') -Force
$cluster = Start-TestCluster -Root $Context.Root -Workers 0 -ControlPlanes 0 -Configuration $Context.Configuration
$engine = Start-FleetEngine
try {
    $hosts = foreach ($i in 1..8) {
        Start-FleetNode -Engine $engine -Name "bench-$i" -Address "127.0.0.$(180 + $i)" -SshPort (2380 + $i) -Variant Docker -CniConfig
    }
    $knownHosts = Join-Path $engine.WorkDir 'module_known_hosts'
    $setup = @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$ConfirmPreference = 'None'
`$env:KUBECONFIG = '$($cluster.KubeConfig)'
Import-Module '$($Context.ModulePath)'
`$access = @{ SshUser = 'cmadmin'; SshKeyPath = '$($engine.KeyPath)'; KnownHostsPath = '$knownHosts' }
"@
    $join = $setup + "`n" + @"
`$hosts = '$(($hosts | ForEach-Object { "$($_.Name),$($_.Address),$($_.SshPort)" }) -join ';')' -split ';'
`$hosts | ForEach-Object -ThrottleLimit 4 -Parallel {
    Import-Module '$($Context.ModulePath)'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'
    `$n, `$a, `$p = `$_ -split ','
    `$access = `$using:access
    `$null = New-ClusterNode -Name `$n -Address `$a -Port `$p @access -AcceptNewHostKey -Force -ContainerdVersion 1.6.20~ds1-1+deb12u2 -KubernetesVersion 1.31 -Role worker
}
"@
    $null = Invoke-FreshPwsh -Script ($join + "`n'{}'")

    $measure = $setup + "`n" + @"
`$four = 'bench-1', 'bench-2', 'bench-3', 'bench-4'
`$one = (Measure-Command { `$r = Update-NodeDocker -Node `$four -Version latest -ContainerdVersion 1.6.20~ds1-1+deb12u3 -MaxUnavailable 1 -Force @access; if (@(`$r | Where-Object Status -ne Upgraded)) { throw 'upgrade failed' } }).TotalMilliseconds
`$two = (Measure-Command { `$r = Update-NodeDocker -Node `$four -Version latest -ContainerdVersion 1.6.20~ds1-1+deb12u2 -MaxUnavailable 2 -Force @access; if (@(`$r | Where-Object Status -ne Upgraded)) { throw 'upgrade failed' } }).TotalMilliseconds
`$single = foreach (`$n in 1..8) { (Measure-Command { `$null = Get-NodeDocker -Node "bench-`$n" @access }).TotalMilliseconds }
`$all = (Measure-Command { `$d = Get-NodeDocker @access; if (@(`$d | Where-Object State -eq Running).Count -ne 8) { throw 'not all engines answered' } }).TotalMilliseconds
@{ one = `$one; two = `$two; slowest = (`$single | Measure-Object -Maximum).Maximum; sum = (`$single | Measure-Object -Sum).Sum; all = `$all } | ConvertTo-Json -Compress
"@
    $m = Invoke-FreshPwsh -Script $measure
    $rolloutRatio = [math]::Round($m.two / $m.one, 2)
    $probeRatio = [math]::Round($m.all / $m.slowest, 2)
    New-BenchResult -Scenario 'Update-NodeDocker, 4 hosts' -Metric 'MaxUnavailable 2 vs 1 (module only)' -Module $m.two -Kubectl $m.one -Target 'ratio <= 0.6' -Met ($rolloutRatio -le 0.6)
    New-BenchResult -Scenario 'Get-NodeDocker, 8 hosts' -Metric 'all nodes vs the slowest single node (module only)' -Module $m.all -Kubectl $m.slowest -Target "close to the slowest, far below the sum ($([math]::Round($m.sum)) ms)" -Met ($m.all -lt $m.sum / 2)
}
finally {
    Stop-Fleet -Engine $engine -Confirm:$false
    Stop-TestCluster $cluster
}
