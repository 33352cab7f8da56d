# Measurement helpers shared by the benchmark scenarios. Every comparison runs the module and
# kubectl against the same emulator in the same run, and reports ratios (module / kubectl).
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Measure-Median {
    <# Runs a script block (after one warm-up) and returns the median wall time in milliseconds. #>
    param([Parameter(Mandatory)] [scriptblock] $Script, [int] $Runs = 5, [switch] $NoWarmup)
    if (-not $NoWarmup) { $null = & $Script }
    $times = foreach ($i in 1..$Runs) { (Measure-Command { $null = & $Script }).TotalMilliseconds }
    $sorted = @($times | Sort-Object)
    [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 1)
}

function Get-MedianOf {
    param([Parameter(Mandatory)] [double[]] $Values)
    $sorted = @($Values | Sort-Object)
    [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 1)
}

function Invoke-FreshPwsh {
    <# Runs a script in a new pwsh process and returns the JSON its last output line holds. #>
    param([Parameter(Mandatory)] [string] $Script)
    $file = Join-Path ([IO.Path]::GetTempPath()) "cm-bench-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content $file $Script
    try {
        $output = & (Join-Path $PSHOME 'pwsh') -NoLogo -NoProfile -NonInteractive -File $file
        if ($LASTEXITCODE -ne 0) { throw "Benchmark script failed ($LASTEXITCODE): $output" }
        ($output | Select-Object -Last 1) | ConvertFrom-Json
    }
    finally {
        Remove-Item $file -ErrorAction Ignore
    }
}

# Pasted into fresh pwsh scripts: the process's own peak resident memory, in KiB.
$PeakMemorySnippet = '[int] ((Get-Content /proc/self/status | Select-String ''^VmHWM:\s+(\d+)'').Matches[0].Groups[1].Value)'

function Get-PeakMemorySnippet { $PeakMemorySnippet }

function New-BenchResult {
    param(
        [Parameter(Mandatory)] [string] $Scenario,
        [Parameter(Mandatory)] [string] $Metric,
        [double] $Module,
        [double] $Kubectl = [double]::NaN,
        [string] $Unit = 'ms',
        [string] $Target,
        [Nullable[bool]] $Met
    )
    $ratio = if ([double]::IsNaN($Kubectl) -or $Kubectl -eq 0) { $null } else { [math]::Round($Module / $Kubectl, 2) }
    [pscustomobject]@{
        Scenario = $Scenario
        Metric   = $Metric
        Module   = $Module
        Kubectl  = if ([double]::IsNaN($Kubectl)) { $null } else { $Kubectl }
        Unit     = $Unit
        Ratio    = $ratio
        Target   = $Target
        Met      = $Met
    }
}

Export-ModuleMember -Function Measure-Median, Get-MedianOf, Invoke-FreshPwsh, Get-PeakMemorySnippet, New-BenchResult
