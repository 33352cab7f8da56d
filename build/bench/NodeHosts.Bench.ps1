<#
Node hosts on the real fleet: Update-NodeDocker on 4 hosts with -MaxUnavailable 2 against 1
(containerd moved between its two Debian versions; target ratio <= 0.6); the time each node is out
of service (cordon to uncordon) with the packages downloaded before the cordon against the old
order, download inside the window (target ratio <= 0.6); and Get-NodeDocker on 8 hosts against the
slowest single host, without touching the process's thread pool (the probes run in parallel, so the
total should be close to the slowest, not the sum; target ratio <= 1.5). There is no kubectl
equivalent; ratios compare the module with itself.
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

    # Interleaved in one process, so load and warm-up fall on both sides alike. Each rollout starts from an
    # empty package cache, as a real upgrade to new versions does. The earlier order (download inside the
    # unavailable window) comes from the switch only the bench sets (EngineRollout.BenchDownloadInWindowVariable).
    $measure = $setup + "`n" + @"
`$four = 'bench-1', 'bench-2', 'bench-3', 'bench-4'
`$versions = '1.6.20~ds1-1+deb12u3', '1.6.20~ds1-1+deb12u2'
`$script:next = 0
function Invoke-Rollout([int] `$MaxUnavailable, [switch] `$DownloadInWindow) {
    foreach (`$n in `$four) { & docker --host 'unix://$($engine.Socket)' exec `$n apt-get clean; if (`$LASTEXITCODE) { throw "apt-get clean failed on `$n" } }
    `$env:CLUSTERMANAGEMENT_BENCH_DOWNLOAD_IN_WINDOW = if (`$DownloadInWindow) { '1' } else { `$null }
    `$target = `$versions[`$script:next++ % 2]
    `$clock = [Diagnostics.Stopwatch]::StartNew()
    `$r = @(Update-NodeDocker -Node `$four -Version latest -ContainerdVersion `$target -MaxUnavailable `$MaxUnavailable -Force @access)
    `$clock.Stop()
    if (@(`$r | Where-Object Status -ne Upgraded)) { throw "upgrade failed: `$(`$r.Error)" }
    [pscustomobject]@{ Total = `$clock.Elapsed.TotalMilliseconds; Unavailable = @(`$r | ForEach-Object { [Xml.XmlConvert]::ToTimeSpan(`$_.UnavailableFor).TotalMilliseconds }) }
}
`$new1 = Invoke-Rollout 1
`$old1 = Invoke-Rollout 1 -DownloadInWindow
`$new2 = Invoke-Rollout 2
`$old2 = Invoke-Rollout 2 -DownloadInWindow
`$env:CLUSTERMANAGEMENT_BENCH_DOWNLOAD_IN_WINDOW = `$null

`$null = Get-NodeDocker -Node bench-1 @access
`$all = [Collections.Generic.List[double]]::new(); `$slowest = [Collections.Generic.List[double]]::new(); `$sum = [Collections.Generic.List[double]]::new()
foreach (`$round in 1..3) {
    `$all.Add((Measure-Command { `$d = Get-NodeDocker @access; if (@(`$d | Where-Object State -eq Running).Count -ne 8) { throw 'not all engines answered' } }).TotalMilliseconds)
    `$single = foreach (`$n in 1..8) { (Measure-Command { `$null = Get-NodeDocker -Node "bench-`$n" @access }).TotalMilliseconds }
    `$slowest.Add((`$single | Measure-Object -Maximum).Maximum); `$sum.Add((`$single | Measure-Object -Sum).Sum)
}
@{ one = `$new1.Total; two = `$new2.Total; unavailableNew = @(`$new1.Unavailable) + @(`$new2.Unavailable); unavailableOld = @(`$old1.Unavailable) + @(`$old2.Unavailable)
   all = @(`$all); slowest = @(`$slowest); sum = @(`$sum) } | ConvertTo-Json -Compress
"@
    $m = Invoke-FreshPwsh -Script $measure
    $rolloutRatio = [math]::Round($m.two / $m.one, 2)
    New-BenchResult -Scenario 'Update-NodeDocker, 4 hosts' -Metric 'MaxUnavailable 2 vs 1 (module only)' -Module $m.two -Kubectl $m.one -Target 'ratio <= 0.6' -Met ($rolloutRatio -le 0.6)
    $unavailableNew = Get-MedianOf -Values $m.unavailableNew
    $unavailableOld = Get-MedianOf -Values $m.unavailableOld
    New-BenchResult -Scenario 'Update-NodeDocker, 4 hosts' -Metric "per-node time cordon to uncordon (median of 8), download first vs inside the window (the old order; load $((Get-Content /proc/loadavg).Split(' ')[0]))" `
        -Module $unavailableNew -Kubectl $unavailableOld -Target 'ratio <= 0.6' -Met ($unavailableOld -gt 0 -and $unavailableNew / $unavailableOld -le 0.6)
    $all = Get-MedianOf -Values $m.all
    $slowest = Get-MedianOf -Values $m.slowest
    New-BenchResult -Scenario 'Get-NodeDocker, 8 hosts' -Metric "all nodes vs the slowest single node (median of 3 interleaved rounds; sum of singles $(Get-MedianOf -Values $m.sum) ms)" `
        -Module $all -Kubectl $slowest -Target 'ratio <= 1.5' -Met ($all / $slowest -le 1.5)
}
finally {
    Stop-Fleet -Engine $engine -Confirm:$false
    Stop-TestCluster $cluster
}
