# Ctrl+C in the middle of each long cmdlet (issue 15, fault 8). Each run is a fresh pwsh whose own
# console host runs the cmdlet in a second runspace: the test stops it (PowerShell.Stop() is what
# Ctrl+C does) once it is genuinely mid-way, and checks that it ended within 5 s, that what it changed
# is reported (its verbose lines, or the warning the host shows after the stop), and that its watches
# are closed while the process still lives. A hang fails the test: the process has a time limit.
BeforeDiscovery {
    # Every cmdlet with -Timeout waits for something, so each needs a row here or in the fleet Context.
    $script:stoppable = @(
        @{ Cmdlet = 'Suspend-ClusterNode'; Midway = 'cordoned\.'; Reports = 'Stopped draining node \S+: it stays cordoned' }
        @{ Cmdlet = 'Publish-AppVersion'; Midway = 'watch'; Reports = 'Stopped waiting: app default/stop-app is still rolling out' }
        @{ Cmdlet = 'Wait-AppRollout'; Midway = 'watch'; Reports = 'Stopped waiting: app default/stop-app is still rolling out' }
        @{ Cmdlet = 'Restart-App'; Midway = 'watch'; Reports = 'Stopped waiting: app default/stop-app is still rolling out' }
        @{ Cmdlet = 'Set-AppReplicaCount'; Midway = 'watch'; Reports = 'Stopped waiting: app default/stop-app is still rolling out' }
        @{ Cmdlet = 'Invoke-AppRollback'; Midway = 'watch'; Reports = 'Stopped waiting: app default/stop-app is still rolling out' }
        @{ Cmdlet = 'Publish-ClusterManifest'; Midway = 'watch'; Reports = 'deployments/stop-manifest|stop-manifest' }
        @{ Cmdlet = 'New-CsiVolumeClaim'; Midway = 'watch'; Reports = 'persistentvolumeclaims.*stop-claim|stop-claim' }
        @{ Cmdlet = 'Resize-CsiVolumeClaim'; Midway = 'hang'; Reports = 'persistentvolumeclaims/stop-resized|stop-resized' }
        @{ Cmdlet = 'Install-CsiDriver'; Midway = 'watch'; Reports = 'other\.csi\.example\.com|csi-datera' }
        @{ Cmdlet = 'Get-ClusterEvent'; Midway = 'watch'; Reports = 'events\.k8s\.io/v1/events\?.*watch=true' }
    )
    # Node-host cmdlets need real hosts: their rows go into the fleet suites, NodeHosts.Tests.ps1 or ClusterUpgrade.Tests.ps1 ('Ctrl+C in the middle of ...').
    $script:onFleet = 'Update-NodeDocker', 'New-ClusterNode', 'Backup-ClusterNode', 'Update-ClusterNode'
    # Node-host cmdlets still without a Ctrl+C test: named, so that a new long cmdlet cannot slip in unnoticed.
    $script:notYetCovered = 'Remove-ClusterNode', 'Add-NodeRoute', 'Get-NodeRoute', 'Remove-NodeRoute', 'Get-NodeNetwork', 'New-NodeNetwork',
        'Remove-NodeNetwork', 'Get-NodeDocker', 'Get-NodeService', 'Start-NodeService', 'Stop-NodeService', 'Restart-NodeService'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'tests/DateraManifests.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3 -ExtraArgument '--sample-app'
    $env:KUBECONFIG = $cluster.KubeConfig
    $module = (Get-ModuleUnderTest) -replace "'", "''"
    $settings = Invoke-EmulatorControl -Cluster $cluster -Path settings
    $datera = New-DateraManifestSet -Path (Join-Path $TestDrive 'datera')

    function New-DeploymentManifest([string] $Name) {
        $file = Join-Path $TestDrive "$Name.yaml"
        Set-Content $file @"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $Name
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels: { app: $Name }
  template:
    metadata:
      labels: { app: $Name }
    spec:
      containers:
      - name: main
        image: nginx:1.27
"@
        $file
    }

    # Filled by each row, checked by the last test: how many of its watches stayed open after the stop.
    $script:watchesLeft = [ordered]@{}
    $appManifest = New-DeploymentManifest 'stop-app'
    Publish-ClusterManifest -Path $appManifest -Wait -Timeout 60 -Force | Out-Null
    New-CsiVolumeClaim -Name stop-resized -Size 1Gi -Wait -Timeout 60 -Force | Out-Null

    function Set-PodsNeverReady { Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path settings -Body @{ podReadySeconds = 3600; provisioningSeconds = 3600 } | Out-Null }

    $scenarios = @{
        'Suspend-ClusterNode'     = {
            $node = (Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'pods', '-l', 'app=web', '-o', 'json' | ConvertFrom-Json).items[0].spec.nodeName
            # Every eviction is refused as a PodDisruptionBudget would: the drain retries until stopped.
            Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body @{ method = 'POST'; path = '/api/v1/namespaces/*/pods/*/eviction'; statusCode = 429; message = 'Cannot evict pod as it would violate the pod''s disruption budget.'; times = 100000 } | Out-Null
            "Suspend-ClusterNode $node -Drain -IgnoreDaemonSets -DeleteEmptyDirData -Force -Timeout 300"
        }
        'Publish-AppVersion'      = { Set-PodsNeverReady; 'Publish-AppVersion stop-app -Image nginx:1.28 -Wait -Timeout 300 -Force' }
        'Wait-AppRollout'         = { Set-PodsNeverReady; Publish-AppVersion stop-app -Image nginx:1.29 -Force | Out-Null; 'Wait-AppRollout stop-app -Timeout 300' }
        'Restart-App'             = { Set-PodsNeverReady; 'Restart-App stop-app -Wait -Timeout 300 -Force' }
        'Set-AppReplicaCount'     = { Set-PodsNeverReady; 'Set-AppReplicaCount stop-app -Replicas 3 -Wait -Timeout 300 -Force' }
        'Invoke-AppRollback'      = { Set-PodsNeverReady; 'Invoke-AppRollback stop-app -Wait -Timeout 300 -Force' }
        'Publish-ClusterManifest' = { Set-PodsNeverReady; "Publish-ClusterManifest -Path '$(New-DeploymentManifest 'stop-manifest')' -Wait -Timeout 300 -Force" }
        'New-CsiVolumeClaim'      = { Set-PodsNeverReady; 'New-CsiVolumeClaim -Name stop-claim -Size 1Gi -Wait -Timeout 300 -Force' }
        'Resize-CsiVolumeClaim'   = {
            # The wait's list of the claim never gets an answer: a wedged server.
            Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body @{ method = 'GET'; path = '/api/v1/namespaces/default/persistentvolumeclaims'; hang = $true; times = 100000 } | Out-Null
            'Resize-CsiVolumeClaim stop-resized -Size 2Gi -Wait -Timeout 300 -Force'
        }
        'Install-CsiDriver'       = { "Install-CsiDriver -Path '$datera' -Name other.csi.example.com -Timeout 300 -Force" }
        'Get-ClusterEvent'        = { 'Get-ClusterEvent -AllNamespaces -Watch -Timeout 300' }
    }

    function Invoke-StoppedMidway {
        <# Runs $Command in a runspace of a fresh pwsh, stops it once mid-way, and returns what happened. #>
        param([string] $Command, [string] $Midway)
        $script = @'
$ErrorActionPreference = 'Stop'
$runspace = [runspacefactory]::CreateRunspace($Host)
$runspace.Open()
$ps = [powershell]::Create()
$ps.Runspace = $runspace
$null = $ps.AddScript("Import-Module 'MODULE'; `$VerbosePreference = 'Continue'; " + $env:STOP_COMMAND)
$status = { Invoke-RestMethod -SkipCertificateCheck -Headers @{ Authorization = "Bearer $env:CONTROL_TOKEN" } -Uri "$env:CLUSTER_URL/_emulator/status" }
$baseline = (& $status).watches
$invocation = $ps.BeginInvoke()
$deadline = [DateTime]::UtcNow.AddSeconds(60)
$reached = $false
while (-not $reached) {
    if ($invocation.IsCompleted) { throw "It ended before it was stopped: $($ps.Streams.Error) $($ps.Streams.Verbose)" }
    if ([DateTime]::UtcNow -gt $deadline) { throw 'It never got mid-way.' }
    Start-Sleep -Milliseconds 200
    $reached = switch ('MIDWAY') {
        'watch' { (& $status).watches -gt $baseline }
        # The request that hangs sends nothing back: mid-way once the emulator has taken it (the fault fired).
        'hang' { @((Invoke-RestMethod -SkipCertificateCheck -Headers @{ Authorization = "Bearer $env:CONTROL_TOKEN" } -Uri "$env:CLUSTER_URL/_emulator/faults") | ForEach-Object { $_ } | Where-Object remaining -lt 100000).Count -gt 0 }
        default { @($ps.Streams.Verbose | Where-Object Message -match 'MIDWAY').Count -gt 0 }
    }
}
Start-Sleep -Milliseconds 1500
$watch = [Diagnostics.Stopwatch]::StartNew()
$stop = $ps.BeginStop($null, $null)
if (-not $stop.AsyncWaitHandle.WaitOne(15000)) { throw 'Stop() did not end the cmdlet within 15 s' }
$stoppedIn = $watch.ElapsedMilliseconds
$open = (& $status).watches
# The server notices a closed connection within moments; the cmdlet has returned by now.
for ($i = 0; $i -lt 10 -and $open -gt $baseline; $i++) { Start-Sleep -Milliseconds 100; $open = (& $status).watches }
$ps.Streams.Verbose | ForEach-Object { "VERBOSE: $($_.Message)" }
$ps.Streams.Warning | ForEach-Object { "WARNING: $($_.Message)" }
"STOPPED $stoppedIn $($ps.InvocationStateInfo.State) watches-left $($open - $baseline)"
'@.Replace('MODULE', ($module -replace "'", "''")).Replace('MIDWAY', $Midway)
        $environment = @{ KUBECONFIG = $cluster.KubeConfig; CLUSTER_URL = $cluster.Url; CONTROL_TOKEN = $cluster.ControlToken; STOP_COMMAND = $Command }
        Invoke-FreshPwsh -Script $script -Environment $environment -TimeoutSeconds 90
    }
}

AfterAll {
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    Stop-TestCluster $cluster
}

Describe 'Ctrl+C in the middle of a long cmdlet' {
    It 'every cmdlet with -Timeout has a Ctrl+C row (here or on the fleet) or is named as not yet covered' {
        $named = @($stoppable.Cmdlet) + $onFleet + $notYetCovered
        $long = Get-LongCmdletName
        $long | Where-Object { $_ -notin $named } | Should -BeNullOrEmpty -Because 'a new long cmdlet needs a Ctrl+C test'
        $named | Where-Object { $_ -notin $long } | Should -BeNullOrEmpty -Because 'a row names a cmdlet that no longer has -Timeout'
        $fleetTests = ('NodeHosts.Tests.ps1', 'ClusterUpgrade.Tests.ps1' | ForEach-Object { Get-Content (Join-Path $PSScriptRoot $_) -Raw }) -join "`n"
        foreach ($cmdlet in $onFleet) {
            $fleetTests | Should -Match "It 'Ctrl\+C in the middle of $cmdlet" -Because "$cmdlet is stopped on the fleet"
        }
    }

    It '<Cmdlet>: ends within 5 s and reports what it changed' -ForEach $stoppable {
        try {
            $command = & $scenarios[$Cmdlet]
            $run = Invoke-StoppedMidway -Command $command -Midway $Midway

            $run.ExitCode | Should -Be 0 -Because "stdout: $($run.Output) stderr: $($run.Error)"
            $run.Output -match 'STOPPED (\d+) (\w+) watches-left (-?\d+)' | Should -BeTrue -Because $run.Output
            [int] $Matches[1] | Should -BeLessThan 5000
            $Matches[2] | Should -Be 'Stopped'
            $script:watchesLeft[$Cmdlet] = [int] $Matches[3]
            $run.Output | Should -Match $Reports
            foreach ($rule in @(Invoke-EmulatorControl -Cluster $cluster -Path faults) | ForEach-Object { $_ }) {
                $rule.remaining | Should -BeLessThan 100000 -Because "the fault $($rule.path) must have fired"
            }
        }
        finally {
            Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path faults | Out-Null
            Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path settings -Body @{ podReadySeconds = $settings.podReadySeconds; provisioningSeconds = $settings.provisioningSeconds } | Out-Null
            Get-ClusterNode | Where-Object Unschedulable | Resume-ClusterNode -Force -ErrorAction Continue | Out-Null
        }
    }

    It 'every stopped cmdlet has closed its watches on the server within a second' {
        $watchesLeft.Count | Should -Be $stoppable.Count -Because 'each row reports its watches'
        @($watchesLeft.GetEnumerator() | Where-Object Value -gt 0 | ForEach-Object Key) | Should -BeNullOrEmpty
    }
}
