<#
.SYNOPSIS
    Runs every scenario in build/bench/*.Bench.ps1 and writes out/bench/<scenario>.json plus a
    readable table (out/bench/summary.md). Ratios are module / kubectl on the same emulator in
    the same run: below 1 means the module is faster or smaller.
#>
param(
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutDir,
    [string] $Configuration = 'Release',
    [string] $Scenario = '*'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'
$ConfirmPreference = 'None'

Import-Module (Join-Path $PSScriptRoot 'bench/BenchCommon.psm1') -Force
Import-Module (Join-Path $Root 'tests/TestCluster.psm1') -Force
$null = New-Item -ItemType Directory -Path $OutDir -Force
if (-not (Test-Path /usr/bin/time)) { throw '/usr/bin/time (package "time") is needed to measure peak memory; build.ps1 installs it when root on Debian.' }

$context = [pscustomobject]@{ Root = $Root; ModulePath = $ModulePath; Configuration = $Configuration; OutDir = $OutDir }
$all = foreach ($file in Get-ChildItem (Join-Path $PSScriptRoot 'bench') -Filter "$Scenario.Bench.ps1" | Sort-Object Name) {
    Write-Host "Benchmark: $($file.BaseName)" -ForegroundColor Cyan
    $results = @(& $file.FullName -Context $context)
    $results | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $OutDir "$($file.BaseName -replace '\.Bench$', '').json")
    $results
}

$table = $all | Format-Table Scenario, Metric, Module, Kubectl, Unit, Ratio, Target, Met -AutoSize | Out-String -Width 200
$table | Out-Host
$markdown = @('| Scenario | Metric | Module | kubectl | Unit | Ratio | Target | Met |', '|---|---|---|---|---|---|---|---|') +
    ($all | ForEach-Object { "| $($_.Scenario) | $($_.Metric) | $($_.Module) | $($_.Kubectl) | $($_.Unit) | $($_.Ratio) | $($_.Target) | $($_.Met) |" })
$markdown | Set-Content (Join-Path $OutDir 'summary.md')
Write-Host "Results in $OutDir" -ForegroundColor Green
