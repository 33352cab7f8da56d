BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 2
    $env:KUBECONFIG = $cluster.KubeConfig
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Get-ClusterNetwork' {
    It 'writes one object per node with its addresses and pod ranges, then the summary' {
        $output = @(Get-ClusterNetwork)
        $nodes = $output | Where-Object { $_ -is [ClusterManagement.Network.NodeNetwork] }
        $summary = $output[-1]
        $nodes.Node | Should -Be @('cp-1', 'worker-1', 'worker-2')
        ($nodes | Where-Object Node -eq 'worker-1').PodCIDRs | Should -Be @((Get-ClusterNode worker-1).PodCIDRs)
        ($nodes | Where-Object Node -eq 'worker-1').InternalIP | Should -Be (Get-ClusterNode worker-1).InternalIP
        $summary | Should -BeOfType ([ClusterManagement.Network.ClusterNetworkSummary])
        $summary.ServiceCIDRs | Should -Be @('10.96.0.0/12')
        $summary.KubernetesServiceIP | Should -Be '10.96.0.1'
        $summary.Problems | Should -BeNullOrEmpty
    }

    It 'flags a node without a pod range and ranges that overlap, as warnings and on the objects' {
        $manifest = Join-Path $TestDrive 'nodes.json'
        @{
            apiVersion = 'v1'; kind = 'List'
            items      = @(
                @{ apiVersion = 'v1'; kind = 'Node'; metadata = @{ name = 'extra-overlap' }; spec = @{ podCIDR = '10.244.1.128/25'; podCIDRs = @('10.244.1.128/25', 'fd00:10:244:1::/64') } }
                @{ apiVersion = 'v1'; kind = 'Node'; metadata = @{ name = 'extra-empty' }; spec = @{} }
            )
        } | ConvertTo-Json -Depth 6 | Set-Content $manifest
        Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'create', '-f', $manifest, '--validate=false' | Out-Null

        $output = @(Get-ClusterNetwork -WarningVariable warnings -WarningAction SilentlyContinue)
        ($output | Where-Object Node -eq 'extra-empty').Problems | Should -Match 'no pod CIDR'
        ($output | Where-Object Node -eq 'extra-overlap').Problems | Should -Match 'overlaps 10.244.1.0/24 of node worker-1'
        ($output | Where-Object Node -eq 'worker-1').Problems | Should -Match 'overlaps 10.244.1.128/25 of node extra-overlap'
        ($output | Where-Object Node -eq 'extra-overlap').PodCIDRs | Should -Contain 'fd00:10:244:1::/64'
        @($warnings).Count | Should -Be 3
        $output[-1].NodesWithoutPodCIDR | Should -Be 1
    }

    It 'reports an API server without the ServiceCIDR API, keeping the kubernetes Service address' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'GET'; path = '/apis/networking.k8s.io/v1/servicecidrs'; statusCode = 404 } | Out-Null
        try {
            $verbose = Get-ClusterNetwork -Summary -Verbose -WarningAction SilentlyContinue 4>&1
            $summary = $verbose | Where-Object { $_ -is [ClusterManagement.Network.ClusterNetworkSummary] }
            $summary.ServiceCIDRs | Should -BeNullOrEmpty
            $summary.KubernetesServiceIP | Should -Be '10.96.0.1'
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'service range cannot be read'
        }
        finally {
            Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'faults' | Out-Null
        }
    }

    It 'shows the summary in its own list view after the node table' {
        $text = Get-ClusterNetwork -WarningAction SilentlyContinue | Out-String -Width 200
        $text | Should -Match 'Node\s+Ready\s+InternalIP\s+ExternalIP\s+PodCIDRs\s+Problems'
        $text | Should -Match 'ServiceCIDRs\s+: 10\.96\.0\.0/12'
    }
}
