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
$fleet = Start-FleetCluster -Root $Context.Root -ModulePath $Context.ModulePath -Configuration $Context.Configuration -Worker (1..8 | ForEach-Object { "bench-$_" }) -FirstOctet 181 `
    -JoinParameter @{ Role = 'worker'; KubernetesVersion = '1.31'; ContainerdVersion = '1.6.20~ds1-1+deb12u2' }
try {
    $engine = $fleet.Engine
    $setup = @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$ConfirmPreference = 'None'
`$env:KUBECONFIG = '$($fleet.Cluster.KubeConfig)'
Import-Module '$($Context.ModulePath)'
Import-Module '$PSScriptRoot/BenchCommon.psm1'
`$access = @{ SshUser = 'cmadmin'; SshKeyPath = '$($fleet.Access.SshKeyPath)'; KnownHostsPath = '$($fleet.Access.KnownHostsPath)' }
"@
    # The order before issue 18 (download inside the unavailable window), on the bench's own hosts and
    # without a switch in the module: an apt-get ahead of Debian's on sudo's path drops what a
    # download-only run fetched, so the install in the window fetches it all again. It leaves a line in
    # a log, which the bench checks, so an old-order row cannot pass without the old order.
    $oldOrder = Join-Path $engine.WorkDir 'apt-get-old-order'
    Set-Content -LiteralPath $oldOrder -Value @'
#!/bin/sh
/usr/bin/apt-get "$@"; rc=$?
case " $* " in *" --download-only "*) /usr/bin/apt-get clean && echo "$(date +%s.%N) dropped the download" >> /var/log/apt-get-old-order ;; esac
exit $rc
'@
    & chmod 755 $oldOrder

    # Interleaved in one process, in the order new, old, old, new, so that load, warm-up and the direction of
    # the version change fall on both sides alike. Each rollout starts from an empty package cache, as a real
    # upgrade to new versions does.
    $measure = $setup + "`n" + @"
`$four = 'bench-1', 'bench-2', 'bench-3', 'bench-4'
`$versions = '1.6.20~ds1-1+deb12u3', '1.6.20~ds1-1+deb12u2'
`$script:next = 0
function Invoke-Host([string] `$Node, [string[]] `$Command) {
    `$out = & docker --host 'unix://$($engine.Socket)' @Command
    if (`$LASTEXITCODE) { throw "docker `$Command failed on `${Node}: `$out" }
    `$out
}
function Invoke-Rollout([int] `$MaxUnavailable, [switch] `$DownloadInWindow) {
    foreach (`$n in `$four) {
        `$null = Invoke-Host `$n 'exec', `$n, 'sh', '-c', 'apt-get clean && rm -f /usr/local/sbin/apt-get /var/log/apt-get-old-order'
        if (`$DownloadInWindow) { `$null = Invoke-Host `$n 'cp', '$oldOrder', "`${n}:/usr/local/sbin/apt-get" }
    }
    `$target = `$versions[`$script:next++ % 2]
    `$clock = [Diagnostics.Stopwatch]::StartNew()
    `$run = Split-UpgradeOutput -Expected `$four.Count -Output @(Update-NodeDocker -Node `$four -Version latest -ContainerdVersion `$target -MaxUnavailable `$MaxUnavailable -Force -Verbose @access 4>&1)
    `$clock.Stop()
    `$r = `$run.Results
    if (@(`$r | Where-Object Status -ne Upgraded)) { throw "upgrade failed: `$(`$r.Error)" }
    `$expected = [int] [bool] `$DownloadInWindow
    foreach (`$n in `$four) {
        `$dropped = [int] (Invoke-Host `$n 'exec', `$n, 'sh', '-c', 'cat /var/log/apt-get-old-order 2>/dev/null | wc -l')
        if (`$dropped -ne `$expected) { throw "`$n dropped `$dropped download(s) before its cordon; this rollout should drop `$expected" }
        `$null = Invoke-Host `$n 'exec', `$n, 'rm', '-f', '/usr/local/sbin/apt-get', '/var/log/apt-get-old-order'
    }
    [pscustomobject]@{ Total = `$clock.Elapsed.TotalMilliseconds; Unavailable = `$run.Unavailable }
}
`$new1 = Invoke-Rollout 1
`$old1 = Invoke-Rollout 1 -DownloadInWindow
`$old2 = Invoke-Rollout 2 -DownloadInWindow
`$new2 = Invoke-Rollout 2

# The fleet's hosts share this machine's cores with the module: how busy they all were during the parallel
# runs tells whether the wait was for the module's concurrency or for the CPU.
function Get-CpuTicks {
    `$fields = @((Get-Content /proc/stat -TotalCount 1) -split '\s+' | Select-Object -Skip 1 | ForEach-Object { [double] `$_ })
    [pscustomobject]@{ Busy = (`$fields | Measure-Object -Sum).Sum - `$fields[3] - `$fields[4]; Total = (`$fields | Measure-Object -Sum).Sum }
}
`$null = Get-NodeDocker -Node bench-1 @access
`$busy = [Collections.Generic.List[double]]::new(); `$cpuBound = [Collections.Generic.List[double]]::new()
`$all = [Collections.Generic.List[double]]::new(); `$slowest = [Collections.Generic.List[double]]::new(); `$sum = [Collections.Generic.List[double]]::new(); `$serial = [Collections.Generic.List[double]]::new()
foreach (`$round in 1..3) {
    `$before = Get-CpuTicks
    `$all.Add((Measure-Command { `$d = Get-NodeDocker @access; if (@(`$d | Where-Object State -eq Running).Count -ne 8) { throw 'not all engines answered' } }).TotalMilliseconds)
    `$after = Get-CpuTicks
    `$busy.Add(100 * (`$after.Busy - `$before.Busy) / [math]::Max(1, `$after.Total - `$before.Total))
    # What a serialised implementation would take, so the row shows it would fail one.
    `$serial.Add((Measure-Command { `$null = Get-NodeDocker -ThrottleLimit 1 @access }).TotalMilliseconds)
    `$before = Get-CpuTicks
    `$single = foreach (`$n in 1..8) { (Measure-Command { `$null = Get-NodeDocker -Node "bench-`$n" @access }).TotalMilliseconds }
    `$after = Get-CpuTicks
    # /proc/stat counts in USER_HZ, 100 a second on Linux.
    `$cpuBound.Add((`$after.Busy - `$before.Busy) * 10 / [Environment]::ProcessorCount)
    `$slowest.Add((`$single | Measure-Object -Maximum).Maximum); `$sum.Add((`$single | Measure-Object -Sum).Sum)
}
@{ one = `$new1.Total; two = `$new2.Total; unavailableNew = @(`$new1.Unavailable) + @(`$new2.Unavailable); unavailableOld = @(`$old1.Unavailable) + @(`$old2.Unavailable)
   all = @(`$all); slowest = @(`$slowest); sum = @(`$sum); serial = @(`$serial); busy = @(`$busy); cpuBound = @(`$cpuBound) } | ConvertTo-Json -Compress
"@
    $m = Invoke-FreshPwsh -Script $measure
    $load = (Get-Content /proc/loadavg).Split(' ')[0]
    $rolloutRatio = [math]::Round($m.two / $m.one, 2)
    New-BenchResult -Scenario 'Update-NodeDocker, 4 hosts' -Metric 'MaxUnavailable 2 vs 1 (module only)' -Module $m.two -Kubectl $m.one -Target 'ratio <= 0.6' -Met ($rolloutRatio -le 0.6)
    $unavailableNew = Get-MedianOf -Values $m.unavailableNew
    $unavailableOld = Get-MedianOf -Values $m.unavailableOld
    New-BenchResult -Scenario 'Update-NodeDocker, 4 hosts' -Metric "per-node time cordon to uncordon, unrounded (median of 8), download first vs inside the window (the old order; load $load)" `
        -Module $unavailableNew -Kubectl $unavailableOld -Target 'ratio <= 0.6' -Met ($unavailableOld -gt 0 -and $unavailableNew / $unavailableOld -le 0.6)
    $all = Get-MedianOf -Values $m.all
    $slowest = Get-MedianOf -Values $m.slowest
    New-BenchResult -Scenario 'Get-NodeDocker, 8 hosts' -Metric "all nodes vs the slowest single node (median of 3 interleaved rounds; one at a time (-ThrottleLimit 1) $(Get-MedianOf -Values $m.serial) ms, sum of singles $(Get-MedianOf -Values $m.sum) ms; the machine's $([Environment]::ProcessorCount) cores $(Get-MedianOf -Values $m.busy)% busy during all nodes; load $load)" `
        -Module $all -Kubectl $slowest -Target 'ratio <= 1.5' -Met ($all / $slowest -le 1.5)
    # The hosts run on this machine's cores too: the eight single calls' CPU time (every process: module, sshd, sudo,
    # the engines) spread over all cores is the shortest time the eight together could take here.
    New-BenchResult -Scenario 'Get-NodeDocker, 8 hosts' -Metric "all nodes vs the machine's CPU bound: the 8 single calls' CPU time, every process included, over $([Environment]::ProcessorCount) cores (median of 3)" `
        -Module $all -Kubectl (Get-MedianOf -Values $m.cpuBound)
}
finally {
    Stop-FleetCluster $fleet
}
