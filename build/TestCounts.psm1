# Counts for the test summary CI reads. Every test is counted once: anything that neither passed
# nor was skipped on purpose is a failure. A suite whose run failed (a crashed test host, an
# aborted run, a non-zero exit code) fails the summary even when the results it left say otherwise.
Set-StrictMode -Version Latest

function New-SuiteCounts {
    param([int] $Passed, [int] $Failed, [int] $Skipped, [string] $RunFailure, [string[]] $FailedTests = @())
    # A crash loses the results of the tests it interrupted (often all of them): the run itself is
    # then the failure, counted once beside whatever the results say.
    if ($RunFailure) {
        Write-Host $RunFailure -ForegroundColor Red
        $Failed++
    }
    # The names travel to the summary: CI shows only the end of the output, and a count alone
    # does not say which test to look at.
    [pscustomobject]@{ Passed = $Passed; Failed = $Failed; Skipped = $Skipped; FailedTests = @($FailedTests) + @($RunFailure | Where-Object { $_ }) }
}

function Get-XunitCounts {
    <# From dotnet test's exit code and its .trx, which a crashed or aborted run may leave empty, half-written or missing. #>
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $TrxPath, [Parameter(Mandatory)] [int] $ExitCode)
    $trx = $null
    if (Test-Path $TrxPath) {
        try { $trx = [xml] (Get-Content $TrxPath -Raw) } catch { Write-Host "$Name left an unreadable $TrxPath : $_" -ForegroundColor Red }
    }
    if ($null -eq $trx) {
        return New-SuiteCounts -RunFailure "$Name produced no results (dotnet test exit code $ExitCode)."
    }

    # Per result, not the summary's counters: those leave xunit's skipped tests out of notExecuted,
    # and are all zero after a crash.
    $passed = 0; $skipped = 0
    $failedTests = [System.Collections.Generic.List[string]]::new()
    foreach ($result in $trx.GetElementsByTagName('UnitTestResult')) {
        switch ($result.outcome) {
            'Passed' { $passed++ }
            'NotExecuted' { $skipped++ }
            default { $failedTests.Add("$($result.testName) ($($result.outcome))") }
        }
    }
    $failed = $failedTests.Count
    # The logger also files each failed test's console line ("[xUnit.net ...] Name [FAIL]") as an
    # Error RunInfo; those are counted as the failed results they are, not as an aborted run.
    $errors = @($trx.GetElementsByTagName('RunInfo') | Where-Object outcome -EQ 'Error' |
            ForEach-Object { ($_.Text -split '\r?\n')[0] } | Where-Object { $_ -notmatch '^\s*\[xUnit\.net [^\]]*\]\s.*\[FAIL\]\s*$' })
    $outcome = $trx.TestRun.ResultSummary.outcome
    $runFailure = if ($errors) {
        "$Name was aborted (dotnet test exit code $ExitCode): $($errors -join ' ')"
    }
    elseif ($outcome -notin 'Completed', 'Passed', 'Failed') {
        "$Name ended $outcome (dotnet test exit code $ExitCode)."
    }
    elseif (($ExitCode -ne 0 -or $outcome -eq 'Failed') -and $failed -eq 0) {
        "$Name failed (outcome $outcome, dotnet test exit code $ExitCode) though no test result failed."
    }
    New-SuiteCounts -Passed $passed -Failed $failed -Skipped $skipped -RunFailure $runFailure -FailedTests $failedTests
}

function Get-PesterCounts {
    <# From Invoke-Pester's result: a container or block that failed counts, and so does an inconclusive test (it did not pass). #>
    param([Parameter(Mandatory)] $Result)
    $failedTests = @(
        @($Result.Failed) + @($Result.Inconclusive) | Where-Object { $_ } | ForEach-Object { "$($_.ExpandedPath) ($($_.Result))" }
        @($Result.FailedBlocks) | Where-Object { $_ } | ForEach-Object { "$($_.ExpandedPath) (block failed)" }
        @($Result.FailedContainers) | Where-Object { $_ } | ForEach-Object { "$($_.Item) (container failed)" }
    )
    [pscustomobject]@{
        Passed      = $Result.PassedCount
        Failed      = $Result.FailedCount + $Result.FailedBlocksCount + $Result.FailedContainersCount + $Result.InconclusiveCount
        # Not run: left out by -FullName.
        Skipped     = $Result.SkippedCount + $Result.NotRunCount
        FailedTests = $failedTests
    }
}

function Write-TestSummary {
    <#
        Writes each suite's counts and, as the last line, "N passed, N failed" (", N skipped" when
        some were): the line CI reads. Returns the exit code of the run.
    #>
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Suites)
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($suite in $Suites.GetEnumerator()) {
        foreach ($name in @($suite.Value.PSObject.Properties['FailedTests']?.Value) | Where-Object { $_ }) {
            Write-Host "FAILED $($suite.Key): $name" -ForegroundColor Red
        }
    }
    foreach ($suite in $Suites.GetEnumerator()) {
        Write-Host ('{0,-50} {1,5} passed {2,5} failed {3,5} skipped' -f $suite.Key, $suite.Value.Passed, $suite.Value.Failed, $suite.Value.Skipped)
        $passed += $suite.Value.Passed; $failed += $suite.Value.Failed; $skipped += $suite.Value.Skipped
    }
    Write-Host ("$passed passed, $failed failed" + ($skipped -gt 0 ? ", $skipped skipped" : ''))
    $failed -gt 0 ? 1 : 0
}

Export-ModuleMember -Function New-SuiteCounts, Get-XunitCounts, Get-PesterCounts, Write-TestSummary
