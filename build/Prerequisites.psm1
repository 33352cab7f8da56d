# What the build and the tests need on the machine, installed by the build itself: nothing
# may depend on a step someone did by hand.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$PesterVersion = '5.7.1'

function Test-DebianRoot {
    $IsLinux -and (Test-Path /etc/debian_version) -and ((& id -u) -eq '0') -and (Get-Command apt-get -ErrorAction Ignore)
}

function Install-AptPackage {
    param([Parameter(Mandatory)] [string[]] $Package)
    # dpkg-query prints nothing for a package it has never seen, and -notmatch over no output is an empty
    # (false) result: the text is taken whole, so an unknown package counts as missing.
    $missing = @($Package | Where-Object { "$(& dpkg-query -W -f '${Status}' $_ 2>$null)" -notmatch 'install ok installed' })
    if ($missing.Count -eq 0) { return }
    Write-Host "Installing apt packages: $($missing -join ', ')" -ForegroundColor Cyan
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq
    if ($LASTEXITCODE -ne 0) { throw 'apt-get update failed.' }
    & apt-get install -y -qq --no-install-recommends @missing
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed." }
}

function Install-BuildPrerequisite {
    param([Parameter(Mandatory)] $Context)
    if (-not (Test-DebianRoot)) {
        Write-Warning 'Not root on Debian/Ubuntu: skipping apt installs. kubectl fidelity tests and node-host tests need kubectl, python3-kubernetes, docker.io and debootstrap.'
        return
    }

    # The fidelity tests run the real kubectl. Debian images often ship a current one; otherwise
    # Debian's own package provides it.
    if (-not (Get-Command kubectl -ErrorAction Ignore)) { Install-AptPackage -Package kubernetes-client }
    # The second-client tests run the official Python client, Debian's package, with the system python3.
    Install-AptPackage -Package python3-kubernetes
    # GNU time measures the peak memory of kubectl in the benchmarks.
    Install-AptPackage -Package time

    $fleet = Join-Path $Context.Root 'tests/Fleet/Fleet.psm1'
    if (Test-Path $fleet) {
        Import-Module $fleet -Force
        $null = Install-FleetPrerequisite
    }
}

function Get-PwshPath {
    <# The pwsh running this build; under `dotnet pwsh` the process itself is dotnet, so ask $PSHOME. #>
    Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
}

function Get-PesterModulePath {
    <# Pester comes from NuGet like every other package, pinned, never from a hand-installed copy. #>
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        & dotnet restore (Join-Path $PSScriptRoot 'tools/Pester.csproj') --nologo -v quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "Restoring Pester $PesterVersion from NuGet failed." }
    }
    if (-not (Test-Path $manifest)) { throw "Pester $PesterVersion was restored but $manifest is missing." }
    $manifest
}

Export-ModuleMember -Function Get-PwshPath, Install-BuildPrerequisite, Install-AptPackage, Test-DebianRoot, Get-PesterModulePath
