# Runs the Pester suites in a child pwsh (so the module under test never loads into the build's
# own session) and writes the counts for the summary.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $TestsPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $Configuration = 'Release',
    [string] $FullName
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
Import-Module (Join-Path $PSScriptRoot 'TestCounts.psm1')

# The suites find the built module, the repository and the emulator build through these.
$env:CM_MODULE_PATH = $ModulePath
$env:CM_REPO_ROOT = $Root
$env:CM_CONFIGURATION = $Configuration

$pesterConfiguration = New-PesterConfiguration
$pesterConfiguration.Run.Path = $TestsPath
$pesterConfiguration.Run.PassThru = $true
$pesterConfiguration.Output.Verbosity = 'Detailed'
$pesterConfiguration.TestResult.Enabled = $true
$pesterConfiguration.TestResult.OutputPath = Join-Path (Split-Path $ResultFile) 'pester.xml'
if ($FullName) { $pesterConfiguration.Filter.FullName = $FullName }

$result = Invoke-Pester -Configuration $pesterConfiguration
Get-PesterCounts -Result $result | ConvertTo-Json | Set-Content $ResultFile
