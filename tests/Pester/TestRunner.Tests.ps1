# The test runner's own counting (build/TestCounts.psm1, build/RunPester.ps1): a crashed, aborted or
# inconclusive suite must fail the summary CI reads, never shrink it to "0 failed".
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'build/TestCounts.psm1') -Force

    function New-Trx {
        <# A .trx as dotnet test's trx logger writes it: one UnitTestResult per outcome given, the summary's outcome and run messages. #>
        param([string] $Outcome = 'Completed', [string[]] $Results = @(), [string[]] $RunErrors = @(), [string] $Counters = 'total="0" executed="0" passed="0" failed="0" notExecuted="0"')
        $unitResults = $Results | ForEach-Object -Begin { $i = 0 } -Process { $i++; "<UnitTestResult testName=""T.Test$i"" outcome=""$_"" />" }
        $runInfos = $RunErrors | ForEach-Object { "<RunInfo computerName=""vm"" outcome=""Error""><Text>$_</Text></RunInfo>" }
        $path = Join-Path $TestDrive "$([guid]::NewGuid()).trx"
        Set-Content $path @"
<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Results>$($unitResults -join '')</Results>
  <ResultSummary outcome="$Outcome">
    <Counters $Counters />
    <RunInfos>$($runInfos -join '')</RunInfos>
  </ResultSummary>
</TestRun>
"@
        $path
    }

    function Get-Counts {
        param([string] $TrxPath, [int] $ExitCode)
        Get-XunitCounts -Name 'Sample.Tests' -TrxPath $TrxPath -ExitCode $ExitCode 6> $null
    }
}

Describe 'Counting an xunit suite from its .trx and dotnet test''s exit code' {
    It 'counts a crashed test host as a failure (the trx then has no results and zero counters)' {
        # The shape dotnet test (vstest 18) leaves when a test calls Environment.FailFast.
        $trx = New-Trx -Outcome 'Failed' -RunErrors "The active test run was aborted. Reason: Test host process crashed : Process terminated.`ncrash"

        $output = @(Get-XunitCounts -Name 'Sample.Tests' -TrxPath $trx -ExitCode 1 6>&1)

        $output[-1].Failed | Should -Be 1
        $output[-1].Passed | Should -Be 0
        "$($output[0])" | Should -Match 'Sample\.Tests was aborted .*Test host process crashed'
    }

    It 'counts inconclusive and other unfinished results as failed, and skipped ones the counters leave out as skipped' {
        # xunit's skipped tests are NotExecuted results that the counters' notExecuted does not include.
        $trx = New-Trx -Outcome 'Failed' -Results 'Passed', 'Passed', 'NotExecuted', 'Inconclusive', 'Failed', 'Timeout' `
            -Counters 'total="6" executed="5" passed="2" failed="1" notExecuted="0" inconclusive="1" timeout="1"'

        $counts = Get-Counts $trx 1

        $counts.Passed | Should -Be 2
        $counts.Failed | Should -Be 3
        $counts.Skipped | Should -Be 1
        $counts.FailedTests | Should -Be @('T.Test4 (Inconclusive)', 'T.Test5 (Failed)', 'T.Test6 (Timeout)')
    }

    It 'counts a failed test once, though the logger also files its [FAIL] line as an error of the run' {
        $trx = New-Trx -Outcome 'Failed' -Results 'Passed', 'Failed' -RunErrors '[xUnit.net 00:01:02.78]     Sample.Tests.T.Test2 [FAIL]'

        $counts = Get-Counts $trx 1

        $counts.Failed | Should -Be 1
        $counts.FailedTests | Should -Be @('T.Test2 (Failed)')
    }

    It 'counts a non-zero exit code as a failure when no result failed' {
        $trx = New-Trx -Outcome 'Completed' -Results 'Passed', 'Passed'

        (Get-Counts $trx 1).Failed | Should -Be 1
        (Get-Counts $trx 0).Failed | Should -Be 0
    }

    It 'counts an aborted run as a failure even with exit code 0' {
        $trx = New-Trx -Outcome 'Aborted' -Results 'Passed'

        $counts = Get-Counts $trx 0

        $counts.Failed | Should -Be 1
        $counts.Passed | Should -Be 1
    }

    It 'counts a missing or half-written trx as a failure' {
        $half = Join-Path $TestDrive 'half.trx'
        Set-Content $half '<?xml version="1.0"?><TestRun><Results><UnitTestResult outcome="Passed" />'

        (Get-Counts (Join-Path $TestDrive 'none.trx') 134).Failed | Should -Be 1
        (Get-Counts $half 1).Failed | Should -Be 1
    }
}

Describe 'The summary''s last line and the exit code' {
    It 'fails the run when one suite crashed, and the last line stays "N passed, N failed, N skipped"' {
        $crashed = Get-Counts (New-Trx -Outcome 'Failed' -RunErrors 'The active test run was aborted.') 1
        $suites = [ordered]@{ 'xunit Sample.Tests' = $crashed; 'Pester' = [pscustomobject]@{ Passed = 5; Failed = 0; Skipped = 2 } }

        $output = @(Write-TestSummary -Suites $suites 6>&1)

        $output[-1] | Should -Be 1
        $lines = @($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$_" })
        $lines[-1] | Should -Be '5 passed, 1 failed, 2 skipped'
        # CI shows only the end of the output: the reason comes again just above the counts.
        $lines | Should -Contain 'FAILED xunit Sample.Tests: Sample.Tests was aborted (dotnet test exit code 1): The active test run was aborted.'
    }

    It 'names every failed test above the counts' {
        $failing = Get-Counts (New-Trx -Outcome 'Failed' -Results 'Passed', 'Failed') 1
        $pester = [pscustomobject]@{ Passed = 1; Failed = 1; Skipped = 0; FailedTests = @('Describe.It (Failed)') }

        $lines = @(Write-TestSummary -Suites ([ordered]@{ 'xunit Sample.Tests' = $failing; 'Pester' = $pester }) 6>&1 |
                Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$_" })

        $lines[0..1] | Should -Be @('FAILED xunit Sample.Tests: T.Test2 (Failed)', 'FAILED Pester: Describe.It (Failed)')
        $lines[-1] | Should -Be '2 passed, 2 failed'
    }

    It 'passes the run with nothing failed, and leaves skipped out of the line when there are none' {
        $output = @(Write-TestSummary -Suites ([ordered]@{ 'Pester' = [pscustomobject]@{ Passed = 3; Failed = 0; Skipped = 0 } }) 6>&1)

        $output[-1] | Should -Be 0
        "$($output[-2])" | Should -Be '3 passed, 0 failed'
    }
}

Describe 'build/RunPester.ps1 counting a Pester run' {
    It 'counts a failed container and an inconclusive test as failed, a skipped one as skipped' {
        $suite = Join-Path $TestDrive 'suite'
        $null = New-Item -ItemType Directory $suite
        Set-Content (Join-Path $suite 'Broken.Tests.ps1') "BeforeAll { throw 'set-up failed' }`nDescribe 'b' { It 'never runs' { 1 | Should -Be 1 } }"
        Set-Content (Join-Path $suite 'Mixed.Tests.ps1') @'
Describe 'm' {
    It 'passes' { 1 | Should -Be 1 }
    It 'cannot decide' { Set-ItResult -Inconclusive -Because 'no answer' }
    It 'is skipped' -Skip { }
}
'@
        $counts = Join-Path $TestDrive 'counts.json'
        $runner = Join-Path (Get-RepoRoot) 'build/RunPester.ps1'
        $pester = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'
        $run = Invoke-FreshPwsh -TimeoutSeconds 120 -Script "& '$runner' -PesterPath '$pester' -TestsPath '$suite' -ModulePath '$(Get-ModuleUnderTest)' -Root '$(Get-RepoRoot)' -ResultFile '$counts'"

        $run.ExitCode | Should -Be 0 -Because "stdout: $($run.Output) stderr: $($run.Error)"
        $result = Get-Content $counts -Raw | ConvertFrom-Json
        $result.Passed | Should -Be 1
        # The broken file's test (failed by its BeforeAll), its container, and the inconclusive test.
        $result.Failed | Should -Be 3
        $result.Skipped | Should -Be 1
        $result.FailedTests | Should -Contain 'm.cannot decide (Inconclusive)'
        $result.FailedTests | Should -Contain 'b.never runs (Failed)'
        @($result.FailedTests -like '*Broken.Tests.ps1 (container failed)').Count | Should -Be 1
    }
}

Describe 'build/RunPester.ps1 lanes' {
    It 'runs the files that import the fleet module in the fleet lane and every other file in the emulator lane' {
        $suite = Join-Path $TestDrive 'lanes'
        $null = New-Item -ItemType Directory $suite
        # Only a line that imports the fleet module counts, not a mention of it (like the one here).
        Set-Content (Join-Path $suite 'Hosts.Tests.ps1') "if (`$false) {`n    Import-Module ../Fleet/Fleet.psm1`n}`nDescribe 'h' { It 'one' { 1 | Should -Be 1 } }"
        Set-Content (Join-Path $suite 'Mentions.Tests.ps1') "# The fleet module (../Fleet/Fleet.psm1) is not used here.`nDescribe 'm' { It 'one' { 1 | Should -Be 1 } }"
        Set-Content (Join-Path $suite 'Api.Tests.ps1') "Describe 'a' { It 'one' { 1 | Should -Be 1 }; It 'two' { 1 | Should -Be 1 } }"
        $runner = Join-Path (Get-RepoRoot) 'build/RunPester.ps1'
        $pester = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'
        $counts = @{}
        foreach ($lane in 'Fleet', 'Cluster') {
            $file = Join-Path $TestDrive "$lane.json"
            $run = Invoke-FreshPwsh -TimeoutSeconds 120 -Script "& '$runner' -PesterPath '$pester' -TestsPath '$suite' -ModulePath '$(Get-ModuleUnderTest)' -Root '$(Get-RepoRoot)' -ResultFile '$file' -Lane $lane"
            $run.ExitCode | Should -Be 0 -Because "stdout: $($run.Output) stderr: $($run.Error)"
            $counts[$lane] = Get-Content $file -Raw | ConvertFrom-Json
        }

        $counts.Fleet.Passed | Should -Be 1
        $counts.Cluster.Passed | Should -Be 3
        ($counts.Fleet.Skipped + $counts.Cluster.Skipped) | Should -Be 0
    }
}
