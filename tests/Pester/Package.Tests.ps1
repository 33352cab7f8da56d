BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'build/Package.psm1') -Force
    $cluster = Start-SuiteCluster -Workers 1
}

AfterAll {
    Stop-TestCluster $cluster
}

Describe 'The Gallery package' {
    It 'installs with Install-PSResource from a folder repository and imports by name' {
        $packageDir = Join-Path $TestDrive 'repository'
        $package = New-ModulePackage -ModulePath (Get-ModuleUnderTest) -OutDir $packageDir
        $package.Name | Should -Match '^ClusterManagement\.\d+\.\d+\.\d+\.nupkg$'

        # A HOME of its own, so the repository registration and the install touch nothing of the machine's.
        $isolatedHome = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory $isolatedHome
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name Local -Uri '$packageDir' -Trusted
Install-PSResource -Name ClusterManagement -Repository Local -Scope CurrentUser -TrustRepository
Import-Module ClusterManagement
(Get-Module ClusterManagement).ModuleBase
(Get-ClusterNode).Name -join ','
"@
        $result = Invoke-FreshPwsh -Script $script -Environment @{ HOME = $isolatedHome; KUBECONFIG = $cluster.KubeConfig; XDG_DATA_HOME = ''; XDG_CONFIG_HOME = ''; XDG_CACHE_HOME = '' }
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $lines = $result.Output.Trim() -split "`r?`n"
        $lines[0] | Should -BeLike "$isolatedHome*"
        $lines[-1] | Should -Be 'cp-1,worker-1'
    }

    It 'carries the manifest, both assemblies, the dependencies, formats and help' {
        $packageDir = Join-Path $TestDrive 'contents'
        $package = New-ModulePackage -ModulePath (Get-ModuleUnderTest) -OutDir $packageDir
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package.FullName)
        try {
            $entries = $zip.Entries.FullName
        }
        finally {
            $zip.Dispose()
        }
        foreach ($expected in 'ClusterManagement.psd1', 'ClusterManagement.dll', 'ClusterManagement.Loader.dll', 'dependencies/ClusterManagement.Engine.dll',
            'dependencies/KubernetesClient.dll', 'en-US/ClusterManagement.dll-Help.xml', 'en-US/about_ClusterManagement.help.txt', 'Formats/Nodes.Format.ps1xml') {
            $entries | Should -Contain $expected
        }
    }
}
