# Runs every suite (xunit projects, then Pester on the built module) and prints one summary whose
# last line is "N passed, N failed", the line CI reads.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'Prerequisites.psm1')
Import-Module (Join-Path $PSScriptRoot '../tests/TestCluster.psm1')

function Read-TrxCounts {
    param([Parameter(Mandatory)] [string] $Path)
    [xml] $trx = Get-Content $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [int] $counters.notExecuted
    }
}

function Invoke-XunitSuite {
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] [IO.FileInfo] $Project, [Parameter(Mandatory)] [string] $ResultsDir)
    $name = $Project.BaseName
    $trx = Join-Path $ResultsDir "$name.trx"
    Write-Host "`n=== xunit: $name" -ForegroundColor Cyan
    & dotnet test $Project.FullName -c $Context.Configuration --nologo --results-directory $ResultsDir `
        --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=normal' | Out-Host
    if (Test-Path $trx) { return Read-TrxCounts -Path $trx }
    # No results at all (a build break, a crashed host) must count as a failure, never as nothing.
    Write-Host "$name produced no results (dotnet test exit code $LASTEXITCODE)." -ForegroundColor Red
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
}

function Invoke-PesterSuite {
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] [string] $ResultsDir, [string] $TestName)
    Write-Host "`n=== Pester: tests/Pester" -ForegroundColor Cyan
    $resultFile = Join-Path $ResultsDir 'pester-counts.json'
    Remove-Item $resultFile -ErrorAction Ignore
    $runner = Join-Path $PSScriptRoot 'RunPester.ps1'
    $pwsh = Get-PwshPath
    $arguments = @('-NoLogo', '-NoProfile', '-NonInteractive', '-File', $runner,
        '-PesterPath', (Get-PesterModulePath), '-TestsPath', (Join-Path $Context.Root 'tests/Pester'),
        '-ModulePath', $Context.ModuleOut, '-Root', $Context.Root, '-ResultFile', $resultFile,
        '-Configuration', $Context.Configuration)
    if ($TestName) { $arguments += @('-FullName', $TestName) }
    # To the host: in a function, a native command's output would otherwise become part of the return value.
    & $pwsh @arguments | Out-Host
    if (Test-Path $resultFile) { return Get-Content $resultFile -Raw | ConvertFrom-Json }
    Write-Host "Pester produced no results (exit code $LASTEXITCODE)." -ForegroundColor Red
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
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
    $suites['Pester'] = Invoke-PesterSuite -Context $Context -ResultsDir $resultsDir -TestName $TestName

    Write-Host "`n=== Summary" -ForegroundColor Cyan
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($suite in $suites.GetEnumerator()) {
        Write-Host ('{0,-50} {1,5} passed {2,5} failed {3,5} skipped' -f $suite.Key, $suite.Value.Passed, $suite.Value.Failed, $suite.Value.Skipped)
        $passed += $suite.Value.Passed; $failed += $suite.Value.Failed; $skipped += $suite.Value.Skipped
    }
    if ($skipped -gt 0) { Write-Host "$skipped skipped" }
    # The last line, read by CI: xunit and Pester counted together.
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

Export-ModuleMember -Function Invoke-AllTests
