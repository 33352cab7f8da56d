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
    $exitCode = $LASTEXITCODE
    if (-not (Test-Path $resultFile)) { return New-SuiteCounts -RunFailure "Pester produced no results (exit code $exitCode)." }
    $counts = Get-Content $resultFile -Raw | ConvertFrom-Json
    New-SuiteCounts -Passed $counts.Passed -Failed $counts.Failed -Skipped $counts.Skipped -FailedTests @($counts.FailedTests) -RunFailure ($exitCode -ne 0 ? "The Pester run ended with exit code $exitCode." : $null)
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
    exit (Write-TestSummary -Suites $suites)
}

Export-ModuleMember -Function Invoke-AllTests
