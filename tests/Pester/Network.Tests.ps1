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
    It 'writes one object per node with its addresses and pod ranges, and nothing else' {
        $output = @(Get-ClusterNetwork)
        $output | ForEach-Object { $_ | Should -BeOfType ([ClusterManagement.Network.NodeNetwork]) }
        $output.Node | Should -Be @('cp-1', 'worker-1', 'worker-2')
        ($output | Where-Object Node -eq 'worker-1').PodCIDRs | Should -Be @((Get-ClusterNode worker-1).PodCIDRs)
        ($output | Where-Object Node -eq 'worker-1').InternalIP | Should -Be (Get-ClusterNode worker-1).InternalIP
    }

    It 'writes only the cluster summary with -Summary' {
        $output = @(Get-ClusterNetwork -Summary)
        $output.Count | Should -Be 1
        $output[0] | Should -BeOfType ([ClusterManagement.Network.ClusterNetworkSummary])
        $output[0].ServiceCIDRs | Should -Be @('10.96.0.0/12')
        $output[0].KubernetesServiceIP | Should -Be '10.96.0.1'
        $output[0].Problems | Should -BeNullOrEmpty
    }

    It 'exports one CSV row per node, with no summary row' {
        $csv = Join-Path $TestDrive 'network.csv'
        Get-ClusterNetwork | Export-Csv -Path $csv
        (Import-Csv $csv).Node | Should -Be @('cp-1', 'worker-1', 'worker-2')
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
        Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'create', '-f', $manifest | Out-Null

        $output = @(Get-ClusterNetwork -WarningVariable warnings -WarningAction SilentlyContinue)
        ($output | Where-Object Node -eq 'extra-empty').Problems | Should -Match 'no pod CIDR'
        ($output | Where-Object Node -eq 'extra-overlap').Problems | Should -Match 'overlaps 10.244.1.0/24 of node worker-1'
        ($output | Where-Object Node -eq 'worker-1').Problems | Should -Match 'overlaps 10.244.1.128/25 of node extra-overlap'
        ($output | Where-Object Node -eq 'extra-overlap').PodCIDRs | Should -Contain 'fd00:10:244:1::/64'
        @($warnings).Count | Should -Be 3
        (Get-ClusterNetwork -Summary -WarningAction SilentlyContinue).NodesWithoutPodCIDR | Should -Be 1
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

    It 'shows the nodes as a table, and the summary in its own list view' {
        $text = Get-ClusterNetwork -WarningAction SilentlyContinue | Out-String -Width 200
        $text | Should -Match 'Node\s+Ready\s+InternalIPs\s+ExternalIP\s+PodCIDRs\s+Problems'
        $text | Should -Not -Match 'ServiceCIDRs'
        Get-ClusterNetwork -Summary -WarningAction SilentlyContinue | Out-String -Width 200 | Should -Match 'ServiceCIDRs\s+: 10\.96\.0\.0/12'
    }
}
