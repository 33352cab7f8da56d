# Runs the Pester suites in a child pwsh (so the module under test never loads into the build's
# own session) and writes the counts for the summary.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $TestsPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $Configuration = 'Release',
    [string] $FullName,
    # The full run splits the files into two lanes that run at once (build/TestRunner.psm1): the
    # fleet's node hosts spend most of their time waiting on apt and systemd, which leaves room for
    # the emulator-only files beside them.
    [ValidateSet('All', 'Fleet', 'Cluster')] [string] $Lane = 'All'
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
Import-Module (Join-Path $PSScriptRoot 'TestCounts.psm1')

# The suites find the built module, the repository and the emulator build through these.
$env:CM_MODULE_PATH = $ModulePath
$env:CM_REPO_ROOT = $Root
$env:CM_CONFIGURATION = $Configuration

$pesterConfiguration = New-PesterConfiguration
$pesterConfiguration.Run.Path = if ($Lane -eq 'All' -or (Test-Path $TestsPath -PathType Leaf)) { $TestsPath } else {
    # A file belongs to the fleet lane when it starts node hosts; those use fixed loopback addresses,
    # so they stay together in one process, one after the other.
    $files = Get-ChildItem $TestsPath -Filter '*.Tests.ps1' -Recurse
    $fleetFiles = @($files | Where-Object { Select-String -Path $_.FullName -Pattern '^\s*Import-Module\b.*Fleet/Fleet\.psm1' -Quiet })
    @(($Lane -eq 'Fleet' ? $fleetFiles : ($files | Where-Object FullName -NotIn $fleetFiles.FullName)).FullName)
}
$pesterConfiguration.Run.PassThru = $true
$pesterConfiguration.Output.Verbosity = 'Detailed'
if ($FullName) { $pesterConfiguration.Filter.FullName = $FullName }

$result = Invoke-Pester -Configuration $pesterConfiguration
Get-PesterCounts -Result $result | ConvertTo-Json | Set-Content $ResultFile
# The report is written after the counts, and its failure is only a warning: a failure message that
# holds a control character (an ESC from apt's coloured output) makes the XML writer throw, and that
# must not cost the run its counts and failing test names.
try { Export-NUnitReport -Result $result -Path ([IO.Path]::ChangeExtension($ResultFile, '.xml')) }
catch { Write-Warning "The NUnit report was not written: $($_.Exception.Message)" }
