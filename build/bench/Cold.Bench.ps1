<#
A pipeline step as Azure DevOps runs it: a fresh pwsh that imports the module and makes one call, against
the same step done with kubectl and ConvertFrom-Json, on a 5-node cluster. Whole processes are timed from
the outside; the two sides alternate (module, kubectl, module, ...) so load on the machine falls on both.
#>
param([Parameter(Mandatory)] $Context)

$runs = 5
# Pods become ready at once: the rows compare the clients, not the emulator's simulated start-up.
$cluster = Start-TestCluster -Root $Context.Root -Workers 4 -ControlPlanes 1 -ExtraArgument '--sample-app', '--pod-ready-seconds', '0' -Configuration $Context.Configuration
$floorModule = Join-Path ([IO.Path]::GetTempPath()) "cm-bench-coldfloor-$PID/ColdFloor.dll"
try {
    $pwsh = Join-Path $PSHOME 'pwsh'
    $cache = Join-Path ([IO.Path]::GetTempPath()) "cm-bench-kubectl-$PID"
    $prefix = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'; "
    $import = "Import-Module '$($Context.ModulePath)'; "
    # The floor (ColdFloor.cs): the same fresh pwsh importing a binary module that only makes one HTTPS GET with the
    # kubeconfig's client certificate. Compiled here, once, so the measured steps pay no compiler.
    $null = New-Item -ItemType Directory -Path (Split-Path $floorModule) -Force
    Add-Type -Path "$PSScriptRoot/ColdFloor.cs" -OutputAssembly $floorModule -OutputType Library -ReferencedAssemblies System.Runtime, System.Memory, System.Collections.NonGeneric, System.Net.Http, System.Net.Primitives, System.Security.Cryptography, System.Management.Automation
    $kubeconfig = Get-Content $cluster.KubeConfig -Raw
    $pem = { param($Field) [Text.Encoding]::ASCII.GetString([Convert]::FromBase64String([regex]::Match($kubeconfig, "$($Field):\s*(\S+)").Groups[1].Value)) }
    $floor = "Import-Module '$floorModule'; `$null = Get-ColdFloorNodeList -Server '$($cluster.Url)' -CertificatePem '$(& $pem client-certificate-data)' -KeyPem '$(& $pem client-key-data)'"

    function Measure-Step {
        param([string] $Script)
        $elapsed = Measure-Command { $null = & $pwsh -NoLogo -NoProfile -NonInteractive -Command ($prefix + $Script) }
        if ($LASTEXITCODE -ne 0) { throw "The step failed ($LASTEXITCODE): $Script" }
        $elapsed.TotalMilliseconds
    }

    $steps = @(
        @{
            Scenario = 'Cold step: Get-ClusterNode, 5 nodes'
            Module   = { $import + '$null = Get-ClusterNode' }
            Kubectl  = { "`$null = kubectl get nodes -o json --cache-dir '$cache' | ConvertFrom-Json" }
            Floor    = { $floor }
            # The bound under every module: the same fresh pwsh that does nothing at all.
            Empty    = { '$null = 0' }
        }
        @{
            Scenario = 'Cold step: Get-ClusterApp'
            Module   = { $import + '$null = Get-ClusterApp' }
            Kubectl  = { "`$null = kubectl get deployments -o json --cache-dir '$cache' | ConvertFrom-Json" }
        }
        @{
            # Each run releases a new image, so every step really rolls the Deployment out.
            Scenario = 'Cold step: Publish-AppVersion -Wait'
            Module   = { param($Run) $import + "`$null = Publish-AppVersion web -Image nginx:1.$Run.1 -Wait -Timeout 120 -Force" }
            Kubectl  = {
                param($Run)
                "kubectl set image deployment/web web=nginx:1.$Run.2 --cache-dir '$cache' | Out-Null; " +
                "kubectl rollout status deployment/web --timeout=120s --cache-dir '$cache' | Out-Null; " +
                "`$null = kubectl get deployment web -o json --cache-dir '$cache' | ConvertFrom-Json"
            }
        }
    )
    foreach ($step in $steps) {
        $module = [Collections.Generic.List[double]]::new()
        $kubectl = [Collections.Generic.List[double]]::new()
        $floorTimes = [Collections.Generic.List[double]]::new()
        $emptyTimes = [Collections.Generic.List[double]]::new()
        $hasFloor = $step.ContainsKey('Floor')
        $hasEmpty = $step.ContainsKey('Empty')
        # One unmeasured round first: the first process of all also pays for the disk cache.
        foreach ($run in 0..$runs) {
            $moduleTime = Measure-Step (& $step.Module $run)
            $kubectlTime = Measure-Step (& $step.Kubectl $run)
            $floorTime = if ($hasFloor) { Measure-Step (& $step.Floor) }
            $emptyTime = if ($hasEmpty) { Measure-Step (& $step.Empty) }
            if ($run -gt 0) {
                $module.Add($moduleTime); $kubectl.Add($kubectlTime)
                if ($hasFloor) { $floorTimes.Add($floorTime) }
                if ($hasEmpty) { $emptyTimes.Add($emptyTime) }
            }
        }
        $moduleMedian = Get-MedianOf $module.ToArray()
        $kubectlMedian = Get-MedianOf $kubectl.ToArray()
        $load = (Get-Content /proc/loadavg).Split(' ')[0]
        New-BenchResult -Scenario $step.Scenario -Metric "fresh pwsh, whole process (median of $runs, load $load)" -Module $moduleMedian -Kubectl $kubectlMedian -Target 'ratio <= 0.8' -Met ($moduleMedian / $kubectlMedian -le 0.8)
        if ($hasFloor) {
            # What no module can go below in this pwsh: the host's import of a binary module and one TLS request.
            New-BenchResult -Scenario $step.Scenario -Metric "floor: fresh pwsh, a binary module that makes one HTTPS GET (median of $runs)" -Module (Get-MedianOf $floorTimes.ToArray()) -Kubectl $kubectlMedian
        }
        if ($hasEmpty) {
            # Its ratio is the lowest any module could reach here. The second row leaves pwsh's own start and exit
            # out of both sides: what importing and calling the module adds, against what kubectl and ConvertFrom-Json add.
            $emptyMedian = Get-MedianOf $emptyTimes.ToArray()
            New-BenchResult -Scenario $step.Scenario -Metric "bound: fresh pwsh that runs nothing (median of $runs)" -Module $emptyMedian -Kubectl $kubectlMedian
            New-BenchResult -Scenario $step.Scenario -Metric 'beyond the empty pwsh: import and call, against kubectl and ConvertFrom-Json' -Module ($moduleMedian - $emptyMedian) -Kubectl ($kubectlMedian - $emptyMedian)
        }
    }

    # What the ReadyToRun images of the build save (build/tools/ReadyToRun): the methods the first call still
    # has to JIT-compile, a count that load on the machine does not blur as it blurs the times above.
    $jitted = Get-MedianOf @(foreach ($i in 1..3) {
            $counted = Invoke-FreshPwsh -Script ($prefix + $import + @'
$before = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$null = Get-ClusterNode
@{ methods = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $before } | ConvertTo-Json -Compress
'@)
            $counted.methods
        })
    New-BenchResult -Scenario 'Cold step: Get-ClusterNode, 5 nodes' -Metric 'methods JIT-compiled by the first call (median of 3)' -Module $jitted -Unit 'methods'
}
finally {
    Stop-TestCluster $cluster
    Remove-Item (Split-Path $floorModule) -Recurse -Force -ErrorAction Ignore
}
