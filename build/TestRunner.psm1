# Runs every suite (xunit projects, then Pester on the built module) and prints one summary whose
# last line is "N passed, N failed", the line CI reads.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'Prerequisites.psm1')
Import-Module (Join-Path $PSScriptRoot '../tests/TestCluster.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestCounts.psm1')

function Invoke-XunitSuite {
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] [IO.FileInfo] $Project, [Parameter(Mandatory)] [string] $ResultsDir)
    $name = $Project.BaseName
    $trx = Join-Path $ResultsDir "$name.trx"
    Write-Host "`n=== xunit: $name" -ForegroundColor Cyan
    & dotnet test $Project.FullName -c $Context.Configuration --nologo --results-directory $ResultsDir `
        --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=normal' | Out-Host
    Get-XunitCounts -Name $name -TrxPath $trx -ExitCode $LASTEXITCODE
}

function Get-PesterArguments {
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] [string] $ResultFile, [string] $TestName, [string] $Lane = 'All')
    $arguments = @('-NoLogo', '-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'RunPester.ps1'),
        '-PesterPath', (Get-PesterModulePath), '-TestsPath', (Join-Path $Context.Root 'tests/Pester'),
        '-ModulePath', $Context.ModuleOut, '-Root', $Context.Root, '-ResultFile', $ResultFile,
        '-Configuration', $Context.Configuration, '-Lane', $Lane)
    if ($TestName) { $arguments += @('-FullName', $TestName) }
    $arguments
}

function Get-PesterLaneCounts {
    param([Parameter(Mandatory)] [string] $ResultFile, [Parameter(Mandatory)] [int] $ExitCode)
    if (-not (Test-Path $ResultFile)) { return New-SuiteCounts -RunFailure "Pester produced no results in $(Split-Path $ResultFile -Leaf) (exit code $ExitCode)." }
    $counts = Get-Content $ResultFile -Raw | ConvertFrom-Json
    New-SuiteCounts -Passed $counts.Passed -Failed $counts.Failed -Skipped $counts.Skipped -FailedTests @($counts.FailedTests) -RunFailure ($ExitCode -ne 0 ? "The Pester run ended with exit code $ExitCode." : $null)
}

function Invoke-PesterSuite {
    <#
        Runs Pester in child pwsh processes. The full run has two lanes at once: the fleet's files in
        the foreground, the emulator-only files beside them with their output kept in a log that is
        printed when they end (interleaved output would be unreadable). Returns counts per lane.
    #>
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] [string] $ResultsDir, [string] $TestName)
    $pwsh = Get-PwshPath
    $lanes = [ordered]@{}
    if ($TestName) {
        Write-Host "`n=== Pester: tests/Pester" -ForegroundColor Cyan
        $resultFile = Join-Path $ResultsDir 'pester-counts.json'
        # To the host: in a function, a native command's output would otherwise become part of the return value.
        & $pwsh @(Get-PesterArguments -Context $Context -ResultFile $resultFile -TestName $TestName) | Out-Host
        $lanes['Pester'] = Get-PesterLaneCounts -ResultFile $resultFile -ExitCode $LASTEXITCODE
        return $lanes
    }

    $clusterResult = Join-Path $ResultsDir 'pester-cluster.json'
    $clusterLog = Join-Path $ResultsDir 'pester-cluster.log'
    $cluster = Start-Process -FilePath $pwsh -ArgumentList (Get-PesterArguments -Context $Context -ResultFile $clusterResult -Lane Cluster) `
        -RedirectStandardOutput $clusterLog -RedirectStandardError "$clusterLog.stderr" -NoNewWindow -PassThru
    # Without the handle held, ExitCode is empty once the process has gone.
    $null = $cluster.Handle
    try {
        Write-Host "`n=== Pester: tests/Pester, fleet lane (the emulator-only lane runs beside it, its output follows)" -ForegroundColor Cyan
        $fleetResult = Join-Path $ResultsDir 'pester-fleet.json'
        & $pwsh @(Get-PesterArguments -Context $Context -ResultFile $fleetResult -Lane Fleet) | Out-Host
        $lanes['Pester fleet lane'] = Get-PesterLaneCounts -ResultFile $fleetResult -ExitCode $LASTEXITCODE

        # CI stops the whole run at 90 minutes; a lane still running long after the other is hung.
        $finished = $cluster.WaitForExit([TimeSpan]::FromMinutes(40))
        Write-Host "`n=== Pester: tests/Pester, emulator-only lane" -ForegroundColor Cyan
        Get-Content $clusterLog, "$clusterLog.stderr" -ErrorAction Ignore | Out-Host
        $lanes['Pester emulator lane'] = if ($finished) {
            $cluster.WaitForExit()
            Get-PesterLaneCounts -ResultFile $clusterResult -ExitCode $cluster.ExitCode
        }
        else { New-SuiteCounts -RunFailure 'The emulator-only Pester lane did not end within 40 minutes of the fleet lane and was stopped.' }
    }
    finally {
        if (-not $cluster.HasExited) { $cluster.Kill($true) }
    }
    $lanes
}

function Invoke-AllTests {
    param([Parameter(Mandatory)] $Context, [string] $TestName)
    $resultsDir = Join-Path $Context.Out 'test-results'
    if (Test-Path $resultsDir) { Remove-Item $resultsDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $resultsDir
    Build-Emulator -Root $Context.Root -Configuration $Context.Configuration

    $suites = [ordered]@{}
    if (-not $TestName) {
        foreach ($project in Get-ChildItem (Join-Path $Context.Root 'tests') -Filter '*.Tests.csproj' -Recurse) {
            $suites["xunit $($project.BaseName)"] = Invoke-XunitSuite -Context $Context -Project $project -ResultsDir $resultsDir
        }
    }
    foreach ($lane in (Invoke-PesterSuite -Context $Context -ResultsDir $resultsDir -TestName $TestName).GetEnumerator()) {
        $suites[$lane.Key] = $lane.Value
    }

    Write-Host "`n=== Summary" -ForegroundColor Cyan
    exit (Write-TestSummary -Suites $suites)
}

Export-ModuleMember -Function Invoke-AllTests
