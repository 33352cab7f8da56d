<#
.SYNOPSIS
    Walks through every capability of the module against the sandbox cluster, printing the
    module's own formatted output. Each area is a script in build/demo/, run in name order.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Cluster
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'

$env:KUBECONFIG = Join-Path $Cluster 'kubeconfig'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot '../tests/TestCluster.psm1')

function Show-Step {
    <# Prints a command the way a person would type it, then its formatted output. #>
    param([Parameter(Mandatory)] [string] $Title, [Parameter(Mandatory)] [scriptblock] $Command)
    Write-Host ''
    Write-Host "# $Title" -ForegroundColor Yellow
    Write-Host "PS> $($Command.ToString().Trim())" -ForegroundColor Cyan
    # At least 120 columns even when the output is redirected, where the console would report 80.
    & $Command | Out-String -Width $Width -Stream | Write-Host
}

$Width = try { [Math]::Max([Console]::WindowWidth, 120) } catch { 120 }

$state = Get-Content (Join-Path $Cluster 'emulator.json') -Raw | ConvertFrom-Json
$demo = [pscustomobject]@{
    Cluster    = [pscustomobject]@{ Url = $state.url; ControlToken = $state.controlToken; StateDir = $Cluster; KubeConfig = $env:KUBECONFIG }
    ModulePath = $ModulePath
}

foreach ($part in Get-ChildItem (Join-Path $PSScriptRoot 'demo') -Filter '*.ps1' | Sort-Object Name) {
    Write-Host ''
    Write-Host ('=' * 100) -ForegroundColor DarkGray
    Write-Host "== $($part.BaseName -replace '^\d+-', '')" -ForegroundColor Green
    Write-Host ('=' * 100) -ForegroundColor DarkGray
    . $part.FullName -Demo $demo
}
Write-Host ''
Write-Host 'Demo complete.' -ForegroundColor Green
