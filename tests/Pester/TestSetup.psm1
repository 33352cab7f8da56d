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

function Start-NodeModuleRun {
    <#
    Starts a node-host command of the module in a pwsh of its own through $Runner (a script taking -Module, -Command,
    -Key, -KnownHosts and $ExtraArgument), so a fleet test can break things on the node or stop it while it works.
    Returns the process and the tasks reading its standard output and error.
    #>
    param(
        [Parameter(Mandatory)] [string] $Runner, [Parameter(Mandatory)] [string] $Command, [Parameter(Mandatory)] [string] $KubeConfig,
        [Parameter(Mandatory)] [string] $KeyPath, [Parameter(Mandatory)] [string] $KnownHostsPath, [string[]] $ExtraArgument = @()
    )
    $start = [System.Diagnostics.ProcessStartInfo]::new((Get-PwshPath))
    foreach ($argument in @('-NoLogo', '-NoProfile', '-NonInteractive', '-File', $Runner, '-Module', $ModulePath, '-Command', $Command, '-Key', $KeyPath, '-KnownHosts', $KnownHostsPath) + $ExtraArgument) {
        $start.ArgumentList.Add($argument)
    }
    $start.Environment['KUBECONFIG'] = $KubeConfig
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Error = $process.StandardError.ReadToEndAsync() }
}

function Invoke-StoppedNodeRun {
    <#
    Ctrl+C on a node host: runs $Command through StoppedNodeRun.ps1, stops it once $Midway returns, and counts the
    module user's SSH sessions on $Node ($SessionCount, given the node's name) before, mid-way and after, while the
    stopped pwsh still lives, so a connection the stopped cmdlet kept open would still be counted.
    #>
    param(
        [Parameter(Mandatory)] [string] $Node, [Parameter(Mandatory)] [string] $Command, [Parameter(Mandatory)] [scriptblock] $Midway,
        [Parameter(Mandatory)] [scriptblock] $SessionCount, [Parameter(Mandatory)] [string] $KubeConfig, [Parameter(Mandatory)] [string] $KeyPath,
        [Parameter(Mandatory)] [string] $KnownHostsPath, [Parameter(Mandatory)] [string] $WorkDir
    )
    $signal = Join-Path $WorkDir "stop-$([guid]::NewGuid().ToString('N'))"
    $idle = & $SessionCount $Node
    $run = Start-NodeModuleRun -Runner (Join-Path $PSScriptRoot 'StoppedNodeRun.ps1') -Command $Command -KubeConfig $KubeConfig -KeyPath $KeyPath `
        -KnownHostsPath $KnownHostsPath -ExtraArgument '-Signal', $signal
    try {
        & $Midway
        $during = & $SessionCount $Node
        $null = New-Item $signal
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not (Test-Path "$signal.stopped") -and -not $run.Process.HasExited) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'The stopped run did not report within 30 s.' }
            Start-Sleep -Milliseconds 100
        }
        # sshd ends a session as soon as its connection closes: a few seconds are plenty.
        $released = [DateTime]::UtcNow.AddSeconds(5)
        $after = & $SessionCount $Node
        while ($after -gt $idle -and [DateTime]::UtcNow -lt $released) {
            Start-Sleep -Milliseconds 250
            $after = & $SessionCount $Node
        }
        $null = New-Item "$signal.counted"
        if (-not $run.Process.WaitForExit(60000)) { throw 'The stopped run did not exit.' }
    }
    finally {
        if (-not $run.Process.HasExited) { $run.Process.Kill($true) }
    }
    [pscustomobject]@{ Output = $run.Output.Result; Error = $run.Error.Result; ExitCode = $run.Process.ExitCode; Idle = $idle; During = $during; After = $after }
}

function Assert-StoppedInTime {
    <# What every Ctrl+C on a node host must show: stopped within 5 s, connected mid-way, its SSH connection closed. #>
    param([Parameter(Mandatory)] $Stopped)
    $Stopped.ExitCode | Should -Be 0 -Because "stdout: $($Stopped.Output) stderr: $($Stopped.Error)"
    $Stopped.Output -match 'STOPPED (\d+) (\w+)' | Should -BeTrue -Because $Stopped.Output
    [int]$Matches[1] | Should -BeLessThan 5000
    $Matches[2] | Should -Be 'Stopped'
    $Stopped.During | Should -BeGreaterThan $Stopped.Idle -Because 'the module was connected to the node mid-way'
    $Stopped.After | Should -Be $Stopped.Idle -Because 'the stopped cmdlet closed its SSH connection'
}

function Get-LongCmdletName {
    <# The module's long cmdlets: every one with -Timeout waits for something (the fault suites' tables derive from this). #>
    (Get-Command -Module ClusterManagement -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('Timeout') }).Name
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

function New-KubeadmCertsSecret {
    <#
    What 'kubeadm init phase upload-certs --upload-certs' leaves on a cluster, as a Secret manifest file:
    kube-system/kubeadm-certs, every certificate and key control planes share AES-256-GCM sealed with
    the certificate key (nonce first, tag last: kubeadm's crypto.EncryptBytes). ca.crt and ca.key are the
    cluster's CA (the emulator's ca.key beside the kubeconfig), so a joined control plane signs a working
    admin.conf; the other CAs and keys are fresh. -Unreadable seals text that is neither a key nor a certificate
    under that entry (kubeadm's "unknown data found in Secret entry").
    #>
    param([Parameter(Mandatory)] [string] $CertificateKey, [Parameter(Mandatory)] [string] $KubeConfig, [Parameter(Mandatory)] [string] $Path, [string] $Unreadable)
    $caData = & kubectl --kubeconfig $KubeConfig config view --raw --minify -o 'jsonpath={.clusters[0].cluster.certificate-authority-data}'
    $newCa = {
        param([string]$Name)
        $key = [Security.Cryptography.ECDsa]::Create()
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Name", $key, [Security.Cryptography.HashAlgorithmName]::SHA256)
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddMinutes(-5), [DateTimeOffset]::UtcNow.AddYears(1))
        @($certificate.ExportCertificatePem(), $key.ExportPkcs8PrivateKeyPem())
    }
    $serviceAccount = [Security.Cryptography.RSA]::Create(2048)
    $frontProxy = & $newCa 'front-proxy-ca'
    $etcd = & $newCa 'etcd-ca'
    $plain = [ordered]@{
        'ca.crt' = [Text.Encoding]::ASCII.GetString([Convert]::FromBase64String($caData)); 'ca.key' = Get-Content -Raw (Join-Path (Split-Path $KubeConfig) 'ca.key')
        'sa.key' = $serviceAccount.ExportRSAPrivateKeyPem(); 'sa.pub' = $serviceAccount.ExportSubjectPublicKeyInfoPem()
        'front-proxy-ca.crt' = $frontProxy[0]; 'front-proxy-ca.key' = $frontProxy[1]; 'etcd-ca.crt' = $etcd[0]; 'etcd-ca.key' = $etcd[1]
    }
    if ($Unreadable) { $plain[$Unreadable] = "neither a key nor a certificate`n" }
    $sealed = @{}
    $aes = [Security.Cryptography.AesGcm]::new([Convert]::FromHexString($CertificateKey), 16)
    try {
        foreach ($name in $plain.Keys) {
            $bytes = [Text.Encoding]::ASCII.GetBytes($plain[$name])
            $nonce = [Security.Cryptography.RandomNumberGenerator]::GetBytes(12)
            $cipher = [byte[]]::new($bytes.Length); $tag = [byte[]]::new(16)
            $aes.Encrypt($nonce, $bytes, $cipher, $tag)
            $sealed[$name] = [Convert]::ToBase64String($nonce + $cipher + $tag)
        }
    }
    finally { $aes.Dispose() }
    @{ apiVersion = 'v1'; kind = 'Secret'; type = 'Opaque'; metadata = @{ name = 'kubeadm-certs'; namespace = 'kube-system' }; data = $sealed } | ConvertTo-Json -Depth 3 | Set-Content $Path
}

function Get-PipelineStep {
    <# The script: and env: of the docs/azure-pipelines.md step with this displayName, as Azure reads them (block scalar, indentation stripped). #>
    param([Parameter(Mandatory)] [string] $DisplayName)
    $guide = Join-Path (Get-RepoRoot) 'docs/azure-pipelines.md'
    $yaml = [regex]::Match((Get-Content $guide -Raw), '(?s)```yaml\r?\n(trigger:.*?)```').Groups[1].Value
    $lines = $yaml -split '\r?\n'
    $at = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match "^\s+displayName: $([regex]::Escape($DisplayName))$" })
    if ($at -lt 0) { throw "docs/azure-pipelines.md has no step '$DisplayName'." }
    $stepIndent = ([regex]::Match($lines[$at], '^\s*')).Length - 2
    $step = [System.Collections.Generic.List[string]]::new()
    for ($i = $at - 1; $i -ge 0 -and $lines[$i] -notmatch "^\s{$stepIndent}- "; $i--) { }
    # The step goes on while lines are blank or indented deeper than its "- ".
    $step.Add($lines[$i])
    for ($j = $i + 1; $j -lt $lines.Count -and $lines[$j] -notmatch "^\s{0,$stepIndent}\S"; $j++) { $step.Add($lines[$j]) }

    $environment = @{}
    $script = [System.Collections.Generic.List[string]]::new()
    for ($k = 0; $k -lt $step.Count; $k++) {
        if ($step[$k] -match '^(\s+)env:\s*$') {
            $keyIndent = $Matches[1].Length
            for ($k++; $k -lt $step.Count -and $step[$k] -match "^\s{$($keyIndent + 2)}(\w+): (.*)$"; $k++) { $environment[$Matches[1]] = $Matches[2] }
            $k--
        }
        elseif ($step[$k] -match '^(\s+)script: \|\s*$') {
            $bodyIndent = ([regex]::Match($step[$k + 1], '^\s*')).Length
            for ($k++; $k -lt $step.Count -and ($step[$k] -match "^\s{$bodyIndent}" -or $step[$k] -match '^\s*$'); $k++) {
                $script.Add($step[$k].Substring([Math]::Min($bodyIndent, $step[$k].Length)))
            }
        }
    }
    if ($script.Count -eq 0) { throw "Step '$DisplayName' has no inline script." }
    [pscustomobject]@{ Script = ($script -join "`n").TrimEnd(); Environment = $environment }
}

function Invoke-PowerShellTask {
    <#
        What PowerShell@2 (pwsh: true, targetType: inline, default inputs) does: writes the script to a
        temporary .ps1 (BOM, $ErrorActionPreference first, the $LASTEXITCODE epilogue last) and runs
        pwsh -NoLogo -NoProfile -NonInteractive -Command ". '<file>'" with no console input, in a job
        where TF_BUILD is set. Kubernetes@1 login's KUBECONFIG and the installed module are in the environment.
    #>
    param([Parameter(Mandatory)] $Step, [Parameter(Mandatory)] [hashtable] $Variables, [Parameter(Mandatory)] [string] $KubeConfig,
        [Parameter(Mandatory)] [string] $WorkDir, [int] $TimeoutSeconds = 180)
    $missing = @($Step.Environment.Keys | Where-Object { -not $Variables.ContainsKey($_) })
    if ($missing) { throw "The test gives no value for the step's env: $($missing -join ', ')." }
    $contents = @(
        "`$ErrorActionPreference = 'Stop'"
        $Step.Script
        'if (!(Test-Path -LiteralPath variable:\LASTEXITCODE)) {'
        "    Write-Host '##vso[task.debug]`$LASTEXITCODE is not set.'"
        '} else {'
        "    Write-Host ('##vso[task.debug]`$LASTEXITCODE: {0}' -f `$LASTEXITCODE)"
        '    exit $LASTEXITCODE'
        '}'
    )
    $file = Join-Path $WorkDir "$([guid]::NewGuid()).ps1"
    [IO.File]::WriteAllText($file, [char]0xFEFF + ($contents -join [Environment]::NewLine), [Text.UTF8Encoding]::new($false))
    $environment = @{
        TF_BUILD     = 'True'
        KUBECONFIG   = $KubeConfig
        PSModulePath = (Split-Path (Get-ModuleUnderTest)) + [IO.Path]::PathSeparator + $env:PSModulePath
    } + $Variables
    Invoke-FreshPwsh -Script ". '$($file -replace "'", "''")'" -Environment $environment -TimeoutSeconds $TimeoutSeconds
}

function Get-FleetSkipReason {
    <#
        Why the fleet cannot run here, or $null. What is missing is installed first when root on
        Debian; under CI a missing prerequisite fails the run instead of skipping the suite.
    #>
    param([Parameter(Mandatory)] [string] $Suite)
    Import-Module (Join-Path $RepoRoot 'tests/Fleet/Fleet.psm1') -Force
    $check = Test-FleetPrerequisite
    if (-not $check.Ready -and $check.IsRoot -and $check.IsDebian) { $check = Install-FleetPrerequisite }
    if ($check.Ready) { return $null }
    $reason = $check.Problems -join ' '
    if ($env:CI) { throw "The fleet cannot run on this CI machine: $reason" }
    Write-Warning "Skipping $Suite`: $reason"
    $reason
}

function Start-SuiteFleetCluster {
    <#
        Start-FleetCluster (tests/Fleet/Fleet.psm1) for a suite, with the module under test: a control plane and
        workers joined at Kubernetes 1.31 to an emulator at -ServerVersion. The control plane joins with the key of a
        kubeadm-certs Secret made first, as 'kubeadm init phase upload-certs' leaves it; the module's known_hosts
        file is in -WorkDir. Stop it with Stop-FleetCluster.
    #>
    param(
        [Parameter(Mandatory)] [string] $ControlPlane, [string[]] $Worker = @(), [Parameter(Mandatory)] [int] $FirstOctet,
        [Parameter(Mandatory)] [string] $WorkDir, [string] $ServerVersion = 'v1.31.4'
    )
    Import-Module (Join-Path $RepoRoot 'tests/Fleet/Fleet.psm1')
    Start-FleetCluster -Root $RepoRoot -ModulePath $ModulePath -Configuration $Configuration -ExtraArgument '--kubernetes-version', $ServerVersion `
        -ControlPlane $ControlPlane -Worker $Worker -FirstOctet $FirstOctet -KnownHostsPath (Join-Path $WorkDir 'known_hosts') `
        -JoinParameter @{ KubernetesVersion = '1.31'; Timeout = 120 } -BeforeJoin {
            param($Cluster)
            $key = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).ToLowerInvariant()
            $file = Join-Path $Cluster.StateDir 'kubeadm-certs.json'
            New-KubeadmCertsSecret -CertificateKey $key -KubeConfig $Cluster.KubeConfig -Path $file
            $null = Invoke-KubectlJson -KubeConfig $Cluster.KubeConfig -Arguments 'create', '--validate=false', '-f', $file
            @{ CertificateKey = $key }
        }
}

Export-ModuleMember -Function Get-FleetSkipReason, Start-SuiteFleetCluster, Get-ModuleUnderTest, Get-RepoRoot, Start-SuiteCluster, Invoke-FreshPwsh, Invoke-KubectlJson, Get-PwshPath, Get-LongCmdletName, Start-NodeModuleRun, Invoke-StoppedNodeRun, Assert-StoppedInTime,
    Start-TestCluster, Stop-TestCluster, Invoke-EmulatorControl, Get-NamedKubeConfig, Get-UnreachableKubeConfig, Invoke-FleetDocsExample, Invoke-FleetHostCommand, Get-PipelineStep, Invoke-PowerShellTask, New-KubeadmCertsSecret
