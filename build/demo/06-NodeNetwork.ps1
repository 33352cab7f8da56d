param($Demo)

# Two real hosts from the test fleet: one with a Docker Engine, joined with New-ClusterNode, for
# engine networks; one in a network namespace of its own, reached over a veth pair, for routes
# (it cannot reach the sandbox from there, so its Node is registered directly). Every subnet is
# from the benchmarking range 198.18.0.0/15; networks are made without IP masquerading and are
# removed again.
Import-Module (Join-Path $PSScriptRoot '../../tests/Fleet/Fleet.psm1') -Force
$engine = Start-FleetEngine
try {
    $dockerHost = Start-FleetNode -Engine $engine -Name net-host -Address 127.0.0.228 -SshPort 2828 -Variant Docker -CniConfig
    $router = Start-FleetNode -Engine $engine -Name router-9 -OwnNetwork -Address 198.18.201.2 -PeerAddress 198.18.201.1 `
        -Address6 fd00:198:18:201::2 -PeerAddress6 fd00:198:18:201::1 -SshPort 2829
    $access = @{ SshUser = $dockerHost.User; SshKeyPath = $dockerHost.KeyPath; KnownHostsPath = (Join-Path (Split-Path $dockerHost.KnownHostsPath) 'demo_known_hosts') }
    New-ClusterNode -Name worker-8 -Address $dockerHost.Address -Port $dockerHost.SshPort @access -AcceptNewHostKey -KubernetesVersion 1.31 -Role worker -Force | Out-Null
    $routerNode = @{ apiVersion = 'v1'; kind = 'Node'; metadata = @{ name = 'router-9' } } | ConvertTo-Json -Depth 4
    $routerNode | kubectl --kubeconfig $Demo.Cluster.KubeConfig create -f - | Out-Null
    # Its host access data, as an admin records it for a node New-ClusterNode did not join: only admins write kube-system.
    $record = @{ host = $router.Address; port = $router.SshPort; user = $router.User; hostKey = $router.HostKeyFingerprint } | ConvertTo-Json -Compress
    kubectl --kubeconfig $Demo.Cluster.KubeConfig -n kube-system patch configmap clustermanagement-node-access --type merge `
        -p (@{ data = @{ 'router-9' = $record } } | ConvertTo-Json -Compress) | Out-Null
    $noMasquerade = @{ 'com.docker.network.bridge.enable_ip_masquerade' = 'false' }

    Show-Step 'An engine network with IP address management: gateway, container range, a reserved address' {
        New-NodeNetwork -Node worker-8 -Name apps -Subnet 198.18.40.0/24 -Gateway 198.18.40.1 -IPRange 198.18.40.128/25 -AuxAddress @{ printer = '198.18.40.5' } -Option $noMasquerade @access
    }
    Show-Step 'Dual stack: the IPv6 subnet turns IPv6 on' {
        New-NodeNetwork -Node worker-8 -Name apps-dual -Subnet 198.18.41.0/24, fd00:198:18:41::/64 -Internal -Option $noMasquerade @access | Format-List Name, Subnets, Gateways, EnableIPv6, Internal
    }
    Show-Step 'The CIDR arithmetic is checked before the engine is asked' {
        foreach ($bad in @{ Subnet = '198.18.42.0/24'; Gateway = '198.18.43.1' }, @{ Subnet = '198.18.40.128/25' }, @{ Subnet = '198.18.42.1/24' }) {
            try { New-NodeNetwork -Node worker-8 -Name apps-2 @bad -Option $noMasquerade @access -ErrorAction Stop } catch { "ERROR $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
        }
    }
    Show-Step "The node's engine networks" { Get-NodeNetwork -Node worker-8 @access }
    Show-Step 'Remove them through the pipeline' { Get-NodeNetwork -Node worker-8 -Name apps* @access | Remove-NodeNetwork @access -Force -PassThru }

    Show-Step 'The routes of a host in its own network namespace, IPv4 and IPv6' { Get-NodeRoute -Node router-9 @access }
    Show-Step 'Add a route through a gateway, and an IPv6 one that survives a reboot (-Persist names the file)' {
        Add-NodeRoute -Node router-9 -Destination 198.18.230.0/24 -Gateway 198.18.201.1 @access
        Add-NodeRoute -Node router-9 -Destination fd00:198:18:230::/64 -Gateway fd00:198:18:201::1 -Persist @access
    }
    Show-Step 'A gateway of the wrong family is refused before anything changes' {
        try { Add-NodeRoute -Node router-9 -Destination 198.18.231.0/24 -Gateway fd00:198:18:201::1 @access } catch { "ERROR $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
    }
    Show-Step 'Remove both, the persisted line with them' {
        Get-NodeRoute -Node router-9 -Destination 198.18.0.0/15 @access | Where-Object Protocol -ne kernel | Remove-NodeRoute @access -Force -PassThru
        Get-NodeRoute -Node router-9 -Destination fd00:198:18::/48 @access | Where-Object Protocol -ne kernel | Remove-NodeRoute -Persist @access -Force -PassThru
    }
}
finally {
    Stop-Fleet -Engine $engine -Confirm:$false
}
