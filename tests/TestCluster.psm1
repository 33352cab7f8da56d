# Starts and stops the Kubernetes API emulator as a separate process, for the Pester suites,
# the sandbox, the demo and the benchmarks. Each caller owns the process it started and ends
# it by PID; nothing else is ever stopped.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$EmulatorProject = Join-Path $PSScriptRoot 'ClusterManagement.Emulator'

function Get-EmulatorAssembly {
    param([string] $Configuration = 'Release')
    $dll = Get-ChildItem (Join-Path $EmulatorProject "bin/$Configuration") -Recurse -Filter 'ClusterManagement.Emulator.dll' -ErrorAction Ignore |
        Select-Object -First 1
    if (-not $dll) { throw "The emulator is not built ($Configuration): run Build-Emulator first." }
    $dll.FullName
}

function Build-Emulator {
    param([string] $Root, [string] $Configuration = 'Release')
    & dotnet build $EmulatorProject -c $Configuration --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Building the emulator failed (exit code $LASTEXITCODE)." }
}

function Start-TestCluster {
    <#
    .SYNOPSIS
        Starts an emulator and waits until it answers. Returns Url, KubeConfig, ControlToken, Process, StateDir.
    #>
    param(
        [string] $Root,
        [string] $StateDir = (Join-Path ([IO.Path]::GetTempPath()) "cm-cluster-$([guid]::NewGuid().ToString('n').Substring(0, 8))"),
        [int] $Workers = 3,
        [int] $ControlPlanes = 1,
        [string[]] $ExtraArgument = @(),
        [string] $Configuration = 'Release',
        [TimeSpan] $Timeout = [TimeSpan]::FromSeconds(60)
    )
    $null = New-Item -ItemType Directory -Path $StateDir -Force
    $stateFile = Join-Path $StateDir 'emulator.json'
    Remove-Item $stateFile -ErrorAction Ignore

    $logPath = Join-Path $StateDir 'emulator.log'
    $arguments = @((Get-EmulatorAssembly -Configuration $Configuration), '--state-dir', $StateDir, '--workers', $Workers, '--control-planes', $ControlPlanes) + $ExtraArgument
    # Output goes to files, never to a pipe nobody reads: a chatty emulator must not block.
    $process = Start-Process -FilePath 'dotnet' -ArgumentList ($arguments | ForEach-Object { "`"$_`"" }) -PassThru `
        -RedirectStandardOutput $logPath -RedirectStandardError (Join-Path $StateDir 'emulator.err.log')

    $deadline = [DateTime]::UtcNow + $Timeout
    while (-not (Test-Path $stateFile)) {
        if ($process.HasExited) {
            $log = if (Test-Path $logPath) { Get-Content $logPath -Raw } else { '' }
            throw "The emulator exited with code $($process.ExitCode) before it was ready. $log"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            $process.Kill($true)
            throw "The emulator was not ready within $Timeout."
        }
        Start-Sleep -Milliseconds 100
    }
    $state = Get-Content $stateFile -Raw | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName   = 'ClusterManagement.Tests.TestCluster'
        Url          = $state.url
        KubeConfig   = Join-Path $StateDir 'kubeconfig'
        ControlToken = $state.controlToken
        Process      = $process
        StateDir     = $StateDir
    }
}

function Stop-TestCluster {
    param([Parameter(Mandatory, ValueFromPipeline)] $Cluster, [switch] $KeepState)
    process {
        $process = $Cluster.Process
        if ($process -and -not $process.HasExited) {
            # SIGTERM first, so the emulator shuts down cleanly; kill only if it does not.
            & kill -TERM $process.Id 2>$null
            if (-not $process.WaitForExit(10000)) { $process.Kill($true) }
        }
        if (-not $KeepState -and (Test-Path $Cluster.StateDir)) { Remove-Item $Cluster.StateDir -Recurse -Force -ErrorAction Ignore }
    }
}

function Wait-TestCluster {
    param([Parameter(Mandatory)] $Cluster)
    $Cluster.Process.WaitForExit()
}

function Invoke-EmulatorControl {
    <#
    .SYNOPSIS
        Calls the emulator's control API (/_emulator/...): faults, heartbeats, request log.
    #>
    param(
        [Parameter(Mandatory)] $Cluster,
        [ValidateSet('GET', 'POST', 'PUT', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    $parameters = @{
        Uri                  = "$($Cluster.Url)/_emulator/$($Path.TrimStart('/'))"
        Method               = $Method
        Headers              = @{ Authorization = "Bearer $($Cluster.ControlToken)" }
        SkipCertificateCheck = $true
    }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $parameters.Body = $Body | ConvertTo-Json -Depth 10 -Compress
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

function Get-NamedKubeConfig {
    <#
    .SYNOPSIS
        The emulator's kubeconfig with its names made the cluster's own, for merging several clusters into one
        $env:KUBECONFIG: context sandbox becomes <Prefix>, sandbox-token <Prefix>-token and so on, cluster sandbox
        becomes <Prefix>, and user admin <Prefix>-admin. Every emulator names them alike, and a merge keeps only the first.
    #>
    param([Parameter(Mandatory)] $Cluster, [Parameter(Mandatory)] [string] $Prefix)
    (Get-Content $Cluster.KubeConfig -Raw) `
        -replace '(?m)\b(name|cluster|user|current-context): sandbox', "`$1: $Prefix" `
        -replace '(?m)\b(name|user): (admin|team-a|readonly|badtoken)$', "`$1: $Prefix-`$2"
}

function Get-UnreachableKubeConfig {
    <# A kubeconfig of one context, <Name>, whose server is https://127.0.0.1:<Port> (a port that refuses, or one that never answers). #>
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [int] $Port)
    @"
apiVersion: v1
kind: Config
clusters:
- name: $Name
  cluster:
    server: https://127.0.0.1:$Port
    insecure-skip-tls-verify: true
contexts:
- name: $Name
  context:
    cluster: $Name
    user: $Name
users:
- name: $Name
  user:
    token: nobody-checks-this
"@
}

Export-ModuleMember -Function Build-Emulator, Get-EmulatorAssembly, Start-TestCluster, Stop-TestCluster, Wait-TestCluster, Invoke-EmulatorControl, Get-NamedKubeConfig, Get-UnreachableKubeConfig
