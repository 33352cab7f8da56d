# API servers that do not answer, refuse, or present a certificate that fails verification: every
# cmdlet request is bounded by -RequestTimeout, retries show in -Verbose, and a certificate failure
# is reported with kubectl's x509 reason and never retried.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force

    function Invoke-Timed {
        <# Runs the block; returns its errors (terminating or not), verbose lines and duration. #>
        param([scriptblock] $Command)
        $failures = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $records = try { & $Command 4>&1 2>&1 } catch { $failures.Add($_) }
        $watch.Stop()
        $records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $failures.Add($_) }
        [pscustomobject]@{
            Errors  = @($failures)
            Verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            Elapsed = $watch.Elapsed
        }
    }

    function New-KubeConfig {
        <# A kubeconfig for a server at $Port on 127.0.0.1 that is not the emulator (no CA to check). #>
        param([int] $Port)
        $path = Join-Path $TestDrive "server-$Port.kubeconfig"
        Set-Content $path @"
apiVersion: v1
kind: Config
clusters:
- name: elsewhere
  cluster:
    server: https://127.0.0.1:$Port
    insecure-skip-tls-verify: true
users:
- name: someone
  user:
    token: not-a-real-token
contexts:
- name: elsewhere
  context: {cluster: elsewhere, user: someone}
current-context: elsewhere
"@
        $path
    }
}

Describe 'A server that accepts and never answers' {
    BeforeAll {
        $cluster = Start-SuiteCluster -Workers 1
    }

    AfterAll {
        Stop-TestCluster $cluster
    }

    AfterEach {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path faults | Out-Null
    }

    It 'fails within -RequestTimeout and one retry, naming the server, with the retry in -Verbose' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body @{ method = 'GET'; path = '/api/v1/nodes'; hang = $true; times = 2 } | Out-Null

        $run = Invoke-Timed { Get-ClusterNode -KubeConfig $cluster.KubeConfig -RequestTimeout 2 -Verbose }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ApiRequestTimeout,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $run.Errors[0].Exception.Message | Should -Match ([regex]::Escape("$($cluster.Url) did not answer within 2 s"))
        $run.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 4
        $run.Elapsed.TotalSeconds | Should -BeLessThan 12
        ($run.Verbose -match 'Retrying in 200 ms \(retry 1 of 1\)').Count | Should -Be 1
        # Both attempts were held by the fault, which is now used up: there was no third.
        Invoke-EmulatorControl -Cluster $cluster -Path faults | Where-Object id | Should -BeNullOrEmpty
    }

    It 'a listener that never even completes TLS ends the same way' {
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        try {
            $config = New-KubeConfig -Port $silent.LocalEndpoint.Port
            $run = Invoke-Timed { Get-ClusterNode -KubeConfig $config -RequestTimeout 1 -Verbose }

            $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ApiRequestTimeout,*'
            $run.Errors[0].Exception.Message | Should -Match "127\.0\.0\.1:$($silent.LocalEndpoint.Port) did not answer within 1 s"
            $run.Elapsed.TotalSeconds | Should -BeLessThan 8
            ($run.Verbose -match 'Retrying in').Count | Should -Be 1
        }
        finally { $silent.Stop() }
    }

    It 'takes the bound from $env:CLUSTERMANAGEMENT_REQUEST_TIMEOUT when -RequestTimeout is not given' {
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        $env:CLUSTERMANAGEMENT_REQUEST_TIMEOUT = '1.5'
        try {
            $config = New-KubeConfig -Port $silent.LocalEndpoint.Port
            $run = Invoke-Timed { Get-ClusterNode -KubeConfig $config }

            $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ApiRequestTimeout,*'
            $run.Errors[0].Exception.Message | Should -Match 'did not answer within 1\.5 s'
        }
        finally {
            Remove-Item Env:CLUSTERMANAGEMENT_REQUEST_TIMEOUT
            $silent.Stop()
        }
    }

    It 'a healthy cluster still answers under a short -RequestTimeout' {
        (Get-ClusterNode -KubeConfig $cluster.KubeConfig -RequestTimeout 1 -Name worker-1).Name | Should -Be 'worker-1'
    }
}

Describe 'A refused connection' {
    It 'fails in well under a second after its retries, each retry in -Verbose' {
        $closed = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $closed.Start(); $port = $closed.LocalEndpoint.Port; $closed.Stop()
        $config = New-KubeConfig -Port $port
        # The first call also loads the module's assemblies; the second is what a user waits for.
        $null = Invoke-Timed { Get-ClusterNode -KubeConfig $config }

        $run = Invoke-Timed { Get-ClusterNode -KubeConfig $config -Verbose }

        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ApiServerUnreachable,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        ($run.Verbose -match 'Retrying in').Count | Should -Be 3
        $run.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
    }
}

Describe '-RequestTimeout input' {
    It 'refuses <Value> before any request, with a specific error' -ForEach @(
        @{ Value = 0 }
        @{ Value = '2.00:00:00' }
    ) {
        $failure = { Get-ClusterNode -KubeConfig (New-KubeConfig -Port 9) -RequestTimeout $Value } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'RequestTimeoutInvalid,*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses a value that is no duration' {
        { Get-ClusterNode -RequestTimeout 'soon' } | Should -Throw -ExpectedMessage '*not a timeout*'
    }

    It 'refuses an environment variable that is no duration, naming it' {
        $env:CLUSTERMANAGEMENT_REQUEST_TIMEOUT = 'soon'
        try {
            $failure = { Get-ClusterNode -KubeConfig (New-KubeConfig -Port 9) } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'RequestTimeoutInvalid,*'
            $failure.Exception.Message | Should -Match "CLUSTERMANAGEMENT_REQUEST_TIMEOUT \('soon'\)"
        }
        finally { Remove-Item Env:CLUSTERMANAGEMENT_REQUEST_TIMEOUT }
    }
}

Describe 'A server certificate that fails verification (<Certificate>)' -ForEach @(
    @{ Certificate = 'other-authority'; Reason = 'x509: certificate signed by unknown authority' }
    @{ Certificate = 'other-address'; Reason = 'x509: certificate is valid for 127.0.0.2, not 127.0.0.1' }
    @{ Certificate = 'expired'; Reason = 'x509: certificate has expired or is not yet valid: current time ' }
) {
    BeforeAll {
        $cluster = Start-SuiteCluster -Workers 1 -ExtraArgument '--serving-certificate', $Certificate
    }

    AfterAll {
        Stop-TestCluster $cluster
    }

    It 'is reported once, with the reason, as ServerCertificateInvalid, and not retried' {
        $before = (Invoke-EmulatorControl -Cluster $cluster -Path status).connections

        $run = Invoke-Timed { Get-ClusterNode -KubeConfig $cluster.KubeConfig -Verbose }

        $after = (Invoke-EmulatorControl -Cluster $cluster -Path status).connections
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ServerCertificateInvalid,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $run.Errors[0].Exception.Message | Should -Match ([regex]::Escape($Reason))
        $run.Errors[0].Exception.Message | Should -Match ([regex]::Escape($cluster.Url))
        $run.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'certificate-authority-data'
        $run.Verbose -match 'Retrying' | Should -BeNullOrEmpty
        # One handshake by the cmdlet (the fault fired once), one by the status call after it.
        $after - $before | Should -Be 2
        @(Invoke-EmulatorControl -Cluster $cluster -Path requests) | Where-Object Path -like '/api*' | Should -BeNullOrEmpty
    }
}
