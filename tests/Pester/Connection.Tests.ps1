BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $modulePath = Get-ModuleUnderTest
    Import-Module $modulePath -Force
    $cluster = Start-SuiteCluster -Workers 1
    $env:KUBECONFIG = $cluster.KubeConfig
}

AfterAll {
    Use-ClusterContext -Reset
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Get-ClusterContext' {
    It 'lists the contexts of the kubeconfig with their cluster, user and namespace' {
        $contexts = Get-ClusterContext
        $contexts.Name | Should -Contain 'sandbox'
        $contexts.Name | Should -Contain 'sandbox-token'
        $sandbox = $contexts | Where-Object Name -eq 'sandbox'
        $sandbox.IsCurrent | Should -BeTrue
        $sandbox.Server | Should -Be $cluster.Url
        $sandbox.Namespace | Should -Be 'default'
        ($contexts | Where-Object Name -eq 'sandbox-token').Namespace | Should -Be 'team-a'
        @($contexts | Where-Object IsCurrent).Count | Should -Be 1
    }

    It 'filters by wildcard and reports an unknown exact name' {
        (Get-ClusterContext -Name 'sandbox-*').Name | Should -Not -Contain 'sandbox'
        Get-ClusterContext -Name 'nothing*' | Should -BeNullOrEmpty
        Get-ClusterContext -Name 'missing' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ContextNotFound*'
    }

    It 'merges the files of $env:KUBECONFIG the way kubectl does: the first file wins' {
        $second = Join-Path $TestDrive 'second.kubeconfig'
        @"
apiVersion: v1
kind: Config
current-context: elsewhere
clusters:
- name: elsewhere
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: elsewhere
  context: { cluster: elsewhere, user: someone, namespace: far }
- name: sandbox
  context: { cluster: elsewhere, user: someone }
users:
- name: someone
  user: { token: not-a-real-token }
"@ | Set-Content $second
        $merged = "$($cluster.KubeConfig)$([IO.Path]::PathSeparator)$second"
        $contexts = Get-ClusterContext -KubeConfig $merged
        ($contexts | Where-Object Name -eq 'elsewhere').Namespace | Should -Be 'far'
        # The first file defines 'sandbox' and the current-context; the second cannot override them.
        ($contexts | Where-Object Name -eq 'sandbox').Server | Should -Be $cluster.Url
        ($contexts | Where-Object IsCurrent).Name | Should -Be 'sandbox'
        (Get-ClusterNode -KubeConfig $merged -Name worker-1).Name | Should -Be 'worker-1'
    }
}

Describe 'Use-ClusterContext' {
    AfterEach {
        Use-ClusterContext -Name sandbox -KubeConfig $cluster.KubeConfig
    }

    It 'changes the default context for this session and writes no file' {
        $before = Get-FileHash $cluster.KubeConfig
        Use-ClusterContext -Name sandbox-token
        (Get-ClusterContext | Where-Object IsCurrent).Name | Should -Be 'sandbox-token'
        (Get-FileHash $cluster.KubeConfig).Hash | Should -Be $before.Hash
    }

    It 'uses the chosen context for later commands' {
        Use-ClusterContext -Name sandbox-badtoken
        { Get-ClusterNode } | Should -Throw -ExpectedMessage '*401*'
    }

    It 'does not leak into another runspace' {
        Use-ClusterContext -Name sandbox-badtoken
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript("Import-Module '$modulePath'; (Get-ClusterContext | Where-Object IsCurrent).Name; (Get-ClusterNode -Name worker-1).Name")
            $result = $other.Invoke()
            $other.HadErrors | Should -BeFalse
            $result | Should -Be @('sandbox', 'worker-1')
        }
        finally {
            $other.Dispose()
        }
    }

    It 'sets the namespace with the context and returns it with -PassThru' {
        $chosen = Use-ClusterContext -Name sandbox -Namespace kube-system -PassThru
        $chosen.Namespace | Should -Be 'kube-system'
        $chosen.IsCurrent | Should -BeTrue
    }

    It 'refuses an unknown context and keeps the previous choice' {
        Use-ClusterContext -Name sandbox-token
        { Use-ClusterContext -Name nope } | Should -Throw -ErrorId 'ContextNotFound*'
        (Get-ClusterContext | Where-Object IsCurrent).Name | Should -Be 'sandbox-token'
    }

    It 'forgets the choice with -Reset' {
        Use-ClusterContext -Name sandbox-token -KubeConfig $cluster.KubeConfig
        Use-ClusterContext -Reset
        (Get-ClusterContext | Where-Object IsCurrent).Name | Should -Be 'sandbox'
        (Get-ClusterNode -Name worker-1).Name | Should -Be 'worker-1'
    }

    It 'changes nothing with -WhatIf' {
        Use-ClusterContext -Name sandbox-token -WhatIf
        (Get-ClusterContext | Where-Object IsCurrent).Name | Should -Be 'sandbox'
    }
}

Describe 'Connection fallbacks' {
    It 'uses ~/.kube/config when $env:KUBECONFIG is unset' {
        $fakeHome = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory (Join-Path $fakeHome '.kube') -Force
        Copy-Item $cluster.KubeConfig (Join-Path $fakeHome '.kube/config')
        $result = Invoke-FreshPwsh -Script "Import-Module '$modulePath'; (Get-ClusterNode -Name worker-1).Name" -Environment @{ HOME = $fakeHome; KUBECONFIG = '' }
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output.Trim() | Should -Be 'worker-1'
    }

    It 'explains how to connect when there is no kubeconfig at all' {
        $fakeHome = Join-Path $TestDrive 'empty-home'
        $null = New-Item -ItemType Directory $fakeHome -Force
        $result = Invoke-FreshPwsh -Script "Import-Module '$modulePath'; try { Get-ClusterNode -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }" -Environment @{ HOME = $fakeHome; KUBECONFIG = ''; KUBERNETES_SERVICE_HOST = '' }
        $result.Output | Should -Match 'KubeConfigNotFound'
        $result.Output | Should -Match 'KUBECONFIG'
    }
}
