# Shared set-up for the Pester suites: the built module, an emulator per suite, and helpers to
# run code in a fresh runspace or a fresh pwsh (so session state cannot leak between tests).
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$RepoRoot = $env:CM_REPO_ROOT ?? (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$ModulePath = $env:CM_MODULE_PATH ?? (Join-Path $RepoRoot 'out/ClusterManagement')
$Configuration = $env:CM_CONFIGURATION ?? 'Release'

Import-Module (Join-Path $RepoRoot 'tests/TestCluster.psm1') -Force

function Get-ModuleUnderTest { $ModulePath }
function Get-RepoRoot { $RepoRoot }

function Start-SuiteCluster {
    param([int] $Workers = 3, [int] $ControlPlanes = 1, [string[]] $ExtraArgument = @())
    Start-TestCluster -Root $RepoRoot -Workers $Workers -ControlPlanes $ControlPlanes -ExtraArgument $ExtraArgument -Configuration $Configuration
}

function Get-PwshPath { Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh') }

function Invoke-FreshPwsh {
    <# Runs a script in a new pwsh process, as a pipeline step would; returns exit code and output. #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 120)
    $start = [System.Diagnostics.ProcessStartInfo]::new((Get-PwshPath))
    foreach ($argument in '-NoLogo', '-NoProfile', '-NonInteractive', '-Command', $Script) { $start.ArgumentList.Add($argument) }
    foreach ($key in $Environment.Keys) { $start.Environment[$key] = [string] $Environment[$key] }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill($true)
        throw "pwsh did not finish within $TimeoutSeconds s: $Script"
    }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
}

function Invoke-KubectlJson {
    <# The real kubectl, for comparisons; its own discovery cache per call keeps runs independent. #>
    param([Parameter(Mandatory)] [string] $KubeConfig, [Parameter(Mandatory)] [string[]] $Arguments)
    $cache = Join-Path ([IO.Path]::GetTempPath()) "cm-kubectl-cache-$PID"
    $text = & kubectl --kubeconfig $KubeConfig --cache-dir $cache @Arguments
    if ($LASTEXITCODE -ne 0) { throw "kubectl $Arguments failed with exit code $LASTEXITCODE." }
    $text
}

function Invoke-FleetDocsExample {
    <#
    Runs the examples of a docs page that needs node hosts in a fresh pwsh, as a user would: SSH
    credentials from the environment, host keys from ~/.ssh/known_hosts (a copy of $KnownHostsPath
    in a home folder under $WorkDir). Returns Count (examples found) and the run's ExitCode, Output, Error.
    #>
    param(
        [Parameter(Mandatory)] [string] $Page, [Parameter(Mandatory)] [string] $KubeConfig, [Parameter(Mandatory)] [string] $KeyPath,
        [Parameter(Mandatory)] [string] $KnownHostsPath, [Parameter(Mandatory)] [string] $WorkDir
    )
    $text = Get-Content $Page -Raw
    $examples = $text -split '(?m)^## ' | Select-Object -Skip 1 | Where-Object { $_ -like 'EXAMPLES*' }
    $codes = @([regex]::Matches([string]$examples, '(?ms)^```powershell\s*\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value.Trim() })
    $userHome = Join-Path $WorkDir "home-$([IO.Path]::GetFileNameWithoutExtension($Page))"
    New-Item -ItemType Directory -Force "$userHome/.ssh" | Out-Null
    Copy-Item $KnownHostsPath "$userHome/.ssh/known_hosts"
    $script = "`$ErrorActionPreference = 'Stop'; `$ConfirmPreference = 'None'; Import-Module '$ModulePath'; " + (($codes | ForEach-Object { "& { $_ } | Out-String | Write-Output" }) -join '; ')
    $run = Invoke-FreshPwsh -Script $script -TimeoutSeconds 300 -Environment @{
        KUBECONFIG = $KubeConfig; HOME = $userHome; CLUSTERMANAGEMENT_SSH_USER = 'cmadmin'; CLUSTERMANAGEMENT_SSH_KEY_PATH = $KeyPath
    }
    [pscustomobject]@{ Count = $codes.Count; ExitCode = $run.ExitCode; Output = $run.Output; Error = $run.Error }
}

function Invoke-FleetHostCommand {
    <# Runs a shell command on a fleet host with the real OpenSSH client and the fleet's own key and known_hosts; returns its output (stdout and stderr) as one string. #>
    param([Parameter(Mandatory)] $FleetHost, [Parameter(Mandatory)] [string] $Command)
    $PSNativeCommandUseErrorActionPreference = $false
    $out = & ssh -F /dev/null -o BatchMode=yes -o "UserKnownHostsFile=$($FleetHost.KnownHostsPath)" -o ConnectTimeout=5 `
        -i $FleetHost.KeyPath -p $FleetHost.SshPort "$($FleetHost.User)@$($FleetHost.Address)" $Command 2>&1
    ($out | ForEach-Object { "$_" }) -join "`n"
}

Export-ModuleMember -Function Get-ModuleUnderTest, Get-RepoRoot, Start-SuiteCluster, Invoke-FreshPwsh, Invoke-KubectlJson, Get-PwshPath,
    Start-TestCluster, Stop-TestCluster, Invoke-EmulatorControl, Invoke-FleetDocsExample, Invoke-FleetHostCommand
