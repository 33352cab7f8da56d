# Ctrl+C on node hosts (issue 15, item 8): runs a node-host cmdlet in a runspace of this pwsh, whose console host
# shows the warnings written after the stop, and stops it (PowerShell.Stop() is what Ctrl+C does) once the test
# creates $Signal. Prints STOPPED <ms> <state> and the cmdlet's verbose and warning lines, creates "$Signal.stopped",
# then lives on until the test creates "$Signal.counted", so the test can count the node's SSH sessions meanwhile.
# Started through Start-NodeModuleRun (TestSetup.psm1) by the fleet suites.
param([string]$Module, [string]$Command, [string]$Key, [string]$KnownHosts, [string]$Signal)
$ErrorActionPreference = 'Stop'
$runspace = [runspacefactory]::CreateRunspace($Host)
$runspace.Open()
$ps = [powershell]::Create()
$ps.Runspace = $runspace
$work = {
    param($Module, $Command, $Key, $KnownHosts)
    Import-Module $Module
    $VerbosePreference = 'Continue'
    $access = @{ SshUser = 'cmadmin'; SshKeyPath = $Key; KnownHostsPath = $KnownHosts }
    & ([scriptblock]::Create("$Command @access"))
}
$null = $ps.AddScript($work.ToString()).AddArgument($Module).AddArgument($Command).AddArgument($Key).AddArgument($KnownHosts)
$invocation = $ps.BeginInvoke()
$deadline = [DateTime]::UtcNow.AddSeconds(170)
while (-not (Test-Path $Signal)) {
    if ($invocation.IsCompleted) { "It ended before it was stopped: $($ps.Streams.Error) $($ps.Streams.Warning)"; exit 3 }
    if ([DateTime]::UtcNow -gt $deadline) { 'The test never said to stop.'; exit 4 }
    Start-Sleep -Milliseconds 100
}
$watch = [Diagnostics.Stopwatch]::StartNew()
$stop = $ps.BeginStop($null, $null)
if (-not $stop.AsyncWaitHandle.WaitOne(15000)) { 'Stop() did not end the cmdlet within 15 s'; exit 5 }
"STOPPED $($watch.ElapsedMilliseconds) $($ps.InvocationStateInfo.State)"
$ps.Streams.Verbose | ForEach-Object { "VERBOSE: $($_.Message)" }
$ps.Streams.Warning | ForEach-Object { "WARNING: $($_.Message)" }
$null = New-Item "$Signal.stopped"
$deadline = [DateTime]::UtcNow.AddSeconds(60)
while (-not (Test-Path "$Signal.counted") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
