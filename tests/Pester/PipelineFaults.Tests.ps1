# A write that fails on the pipeline thread, and Ctrl+C, while the cmdlet's work waits for a
# confirmation from that thread. Each run is a fresh pwsh with a time limit: a hang fails the test
# (and the process is killed) instead of hanging the run.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3
    $env:KUBECONFIG = $cluster.KubeConfig
    $module = (Get-ModuleUnderTest) -replace "'", "''"
}

AfterAll {
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    Stop-TestCluster $cluster
}

Describe 'A confirmation the work asks for while the pipeline fails or stops' {
    AfterEach {
        Resume-ClusterNode worker-1, worker-2 -Confirm:$false
    }

    It 'under $ErrorActionPreference = Stop, the error of the node before ends the run; the next node is not changed' {
        # The downstream command holds the pipeline thread, so worker-2's confirmation is queued behind
        # no-such-node's error when -ErrorAction Stop makes that error's write throw.
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module 'MODULE'
Suspend-ClusterNode worker-1, no-such-node, worker-2 -PassThru | ForEach-Object { Start-Sleep -Milliseconds 1500; "downstream got $($_.Name)" }
'@.Replace('MODULE', $module)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-FreshPwsh -Script $script -Environment @{ KUBECONFIG = $cluster.KubeConfig } -TimeoutSeconds 60

        $run.ExitCode | Should -Not -Be 0 -Because "stdout: $($run.Output) stderr: $($run.Error)"
        $run.Error | Should -Match 'no-such-node'
        $run.Output | Should -Match 'downstream got worker-1'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
        (Get-ClusterNode worker-1).Unschedulable | Should -BeTrue
        (Get-ClusterNode worker-2).Unschedulable | Should -BeFalse -Because 'its confirmation was cancelled, not answered'
    }

    It 'Ctrl+C (Stop) while the next node''s confirmation is pending ends the cmdlet within seconds' {
        # The PowerShell API's Stop() is what Ctrl+C does. The downstream command signals once it holds the
        # pipeline thread; worker-2's confirmation is then queued behind it when Stop() comes.
        $script = @'
$ErrorActionPreference = 'Stop'
$signal = [Threading.ManualResetEventSlim]::new()
$ps = [powershell]::Create()
$ps.Runspace.SessionStateProxy.SetVariable('signal', $signal)
$null = $ps.AddScript('Import-Module ''MODULE''; Suspend-ClusterNode worker-1, worker-2 -PassThru | ForEach-Object { $signal.Set(); Start-Sleep -Seconds 120 }')
$invocation = $ps.BeginInvoke()
if (-not $signal.Wait(30000)) { throw "worker-1 was never written: $($ps.Streams.Error)" }
Start-Sleep -Seconds 1
$watch = [Diagnostics.Stopwatch]::StartNew()
$stop = $ps.BeginStop($null, $null)
if (-not $stop.AsyncWaitHandle.WaitOne(15000)) { throw 'Stop() did not end the cmdlet within 15 s' }
"stopped in $($watch.ElapsedMilliseconds) ms, state $($ps.InvocationStateInfo.State)"
'@.Replace('MODULE', ($module -replace "'", "''"))
        $run = Invoke-FreshPwsh -Script $script -Environment @{ KUBECONFIG = $cluster.KubeConfig } -TimeoutSeconds 60

        $run.ExitCode | Should -Be 0 -Because "stdout: $($run.Output) stderr: $($run.Error)"
        $run.Output -match 'stopped in (\d+) ms, state Stopped' | Should -BeTrue -Because $run.Output
        [int] $Matches[1] | Should -BeLessThan 5000
        (Get-ClusterNode worker-1).Unschedulable | Should -BeTrue
        (Get-ClusterNode worker-2).Unschedulable | Should -BeFalse -Because 'its confirmation was cancelled, not answered'
    }
}
