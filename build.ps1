#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents, demonstrates and benchmarks the ClusterManagement module.
.DESCRIPTION
    Every task installs what it needs (apt packages when root on Debian/Ubuntu, NuGet packages,
    the pinned pwsh tool), so a fresh machine needs only:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo
.PARAMETER Task
    Build    the importable module in out/ClusterManagement (assemblies, manifest, formats, help)
    Test     Build, then every xunit and Pester suite; the last line is "N passed, N failed" (", N skipped"
             may follow), and a crashed or aborted suite counts as failed
    Docs     regenerate the MAML and about help from docs/ into the built module
    Demo     start the sandbox cluster and walk through every capability with the module's output
    Shell    an interactive pwsh with the module imported and the sandbox's kubeconfig set
    Sandbox  run the sandbox cluster in the foreground until Ctrl+C
    Bench    benchmarks against kubectl on the same emulator; results in out/bench
    Package  a PowerShell Gallery ready .nupkg in out/package
.PARAMETER Nodes
    Worker nodes the sandbox seeds (Sandbox, Shell, Demo).
.PARAMETER NodeHosts
    Real node hosts (containers with systemd, sshd and apt) the sandbox starts, not yet in the cluster.
.PARAMETER TestName
    Run only the Pester tests whose full name matches this wildcard, and skip xunit.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Demo', 'Shell', 'Sandbox', 'Bench', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [ValidateRange(0, 10000)]
    [int] $Nodes = 3,

    [ValidateRange(0, 16)]
    [int] $NodeHosts = 0,

    [string] $TestName
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module (Join-Path $PSScriptRoot 'build/BuildTasks.psm1') -Force

$context = New-BuildContext -Root $PSScriptRoot -Configuration $Configuration

switch ($Task) {
    'Build' { Invoke-ModuleBuild -Context $context }
    'Docs' { Invoke-DocsBuild -Context $context }
    'Test' { Invoke-TestRun -Context $context -TestName $TestName }
    'Demo' { Invoke-Demo -Context $context -Nodes $Nodes }
    'Shell' { Invoke-SandboxShell -Context $context -Nodes $Nodes -NodeHosts $NodeHosts }
    'Sandbox' { Invoke-Sandbox -Context $context -Nodes $Nodes -NodeHosts $NodeHosts }
    'Bench' { Invoke-Benchmark -Context $context }
    'Package' { Invoke-Package -Context $context }
}
