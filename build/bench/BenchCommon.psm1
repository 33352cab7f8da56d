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

function Measure-Interleaved {
    <#
    Times two script blocks in turns (A, B, A, B ...) after one warm-up each and returns the median
    wall time of each in milliseconds: on a loaded machine both sides of a ratio then see the same load.
    #>
    param([Parameter(Mandatory)] [scriptblock] $A, [Parameter(Mandatory)] [scriptblock] $B, [int] $Runs = 5)
    $null = & $A
    $null = & $B
    $timesA = [Collections.Generic.List[double]]::new()
    $timesB = [Collections.Generic.List[double]]::new()
    foreach ($i in 1..$Runs) {
        $timesA.Add((Measure-Command { $null = & $A }).TotalMilliseconds)
        $timesB.Add((Measure-Command { $null = & $B }).TotalMilliseconds)
    }
    [pscustomobject]@{ A = Get-MedianOf $timesA.ToArray(); B = Get-MedianOf $timesB.ToArray() }
}

function Read-NativeOutput {
    <#
    Runs a program with its standard output read straight into a string, as a console would take it
    (no pwsh line splitting on the way), and returns the milliseconds until its first byte of output
    (-FirstByte) or until the whole output was read and the program ended.
    #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @(), [switch] $FirstByte)
    $start = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($start)
    try {
        if ($FirstByte) {
            if ($process.StandardOutput.Read() -lt 0) { throw "$FilePath wrote nothing." }
            $elapsed = $clock.Elapsed.TotalMilliseconds
            $null = $process.StandardOutput.ReadToEnd()
        }
        else {
            $null = $process.StandardOutput.ReadToEnd()
        }
        $process.WaitForExit()
        if (-not $FirstByte) { $elapsed = $clock.Elapsed.TotalMilliseconds }
        if ($process.ExitCode -ne 0) { throw "$FilePath $ArgumentList failed with exit code $($process.ExitCode)." }
        $elapsed
    }
    finally {
        $process.Dispose()
    }
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

function Split-UpgradeOutput {
    <#
    Splits what a rolling node upgrade run with -Verbose 4>&1 wrote into its results and each node's time
    from cordon to uncordon, unrounded, from the verbose line of its uncordon: UnavailableFor is in whole
    seconds, too coarse for windows of a few seconds.
    #>
    param([Parameter(Mandatory)] [object[]] $Output, [Parameter(Mandatory)] [int] $Expected)
    $windows = @(foreach ($line in $Output) {
            if ($line -is [Management.Automation.VerboseRecord] -and $line.Message -match 'uncordoned after (\S+)\.$') {
                [TimeSpan]::ParseExact($Matches[1], 'c', [Globalization.CultureInfo]::InvariantCulture).TotalMilliseconds
            }
        })
    if ($windows.Count -ne $Expected) { throw "$($windows.Count) uncordon lines in the verbose log, expected $Expected" }
    [pscustomobject]@{ Results = @($Output | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }); Unavailable = $windows }
}

Export-ModuleMember -Function Split-UpgradeOutput, Measure-Median, Measure-Interleaved, Read-NativeOutput, Get-MedianOf, Invoke-FreshPwsh, Get-PeakMemorySnippet, New-BenchResult
