# Packs the built module as a PowerShell Gallery .nupkg (Compress-PSResource writes exactly what
# Publish-PSResource would upload), and proves it installs from a local folder repository.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function New-ModulePackage {
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutDir)
    $null = New-Item -ItemType Directory -Path $OutDir -Force
    Get-ChildItem $OutDir -Filter 'ClusterManagement.*.nupkg' | Remove-Item
    Compress-PSResource -Path $ModulePath -DestinationPath $OutDir
    Get-ChildItem $OutDir -Filter 'ClusterManagement.*.nupkg' | Select-Object -First 1
}

function Test-ModulePackage {
    <# Installs the package from a folder repository into a scratch folder and returns where it went. #>
    param([Parameter(Mandatory)] [string] $PackageDir, [Parameter(Mandatory)] [string] $InstallDir)
    $repository = "ClusterManagementLocal$PID"
    Register-PSResourceRepository -Name $repository -Uri $PackageDir -Trusted
    try {
        $null = New-Item -ItemType Directory -Path $InstallDir -Force
        Save-PSResource -Name ClusterManagement -Repository $repository -Path $InstallDir -TrustRepository -SkipDependencyCheck
        Get-ChildItem $InstallDir -Recurse -Filter 'ClusterManagement.psd1' | Select-Object -First 1
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
}

Export-ModuleMember -Function New-ModulePackage, Test-ModulePackage
