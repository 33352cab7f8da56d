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

# The suites find the built module, the repository and the emulator build through these.
$env:CM_MODULE_PATH = $ModulePath
$env:CM_REPO_ROOT = $Root
$env:CM_CONFIGURATION = $Configuration

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestsPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputPath = Join-Path (Split-Path $ResultFile) 'pester.xml'
if ($FullName) { $configuration.Filter.FullName = $FullName }

$result = Invoke-Pester -Configuration $configuration
# Container failures (a BeforeAll that threw) leave tests unrun: count them as failures.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content $ResultFile
