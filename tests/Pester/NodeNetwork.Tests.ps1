#Requires -Version 7.4
# Engine networks and node routes on the real fleet (tests/Fleet), with an emulator of this file's own.
# worker-1 is joined with New-ClusterNode; worker-2 and router-1 are registered as Nodes directly:
# worker-2 to own a pod CIDR from the test range, router-1 because it lives in a network namespace
# of its own (routes are only ever changed there) from which the emulator on the host's loopback
# cannot be reached. Every network is made from 198.18.0.0/15 or fd00:198:18::/48 without IP
# masquerading, carries no traffic, and is removed in AfterAll with the fleet.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $script:fleetSkipReason = Get-FleetSkipReason -Suite 'the node network tests'
    $script:docPages = @(Get-ChildItem (Join-Path $PSScriptRoot '../../docs') -Filter '*-*.md' |
            Where-Object { (Get-Content $_.FullName -TotalCount 2) -match '<!-- examples: node network -->' } | ForEach-Object BaseName)
}

Describe 'Node networks and routes' -Skip:([bool]$script:fleetSkipReason) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot '../Fleet/Fleet.psm1') -Force
        $module = Get-ModuleUnderTest
        Import-Module $module -Force
        $script:cluster = Start-SuiteCluster -Workers 0 -ControlPlanes 0
        $env:KUBECONFIG = $script:cluster.KubeConfig
        # An engine of this file's own: its containers and work folder are apart from other suites' fleets.
        $script:engine = Start-FleetEngine
        # Addresses and ports apart from the other fleet suites (127.0.0.11+, 127.0.0.171-199).
        $script:hosts = @(
            Start-FleetNode -Name worker-1 -Address 127.0.0.221 -SshPort 2821 -Variant Docker -CniConfig
            Start-FleetNode -Name worker-2 -Address 127.0.0.222 -SshPort 2822 -Variant Docker
            Start-FleetNode -Name router-1 -OwnNetwork -Address 198.18.200.2 -PeerAddress 198.18.200.1 -PrefixLength 30 `
                -Address6 fd00:198:18:200::2 -PeerAddress6 fd00:198:18:200::1 -SshPort 2823
        )
        $script:key = $script:engine.KeyPath
        $script:knownHosts = Join-Path $TestDrive 'known_hosts'
        $script:access = @{ SshUser = 'cmadmin'; SshKeyPath = $script:key; KnownHostsPath = $script:knownHosts }
        $script:podCidr = '198.18.64.0/24'
        $script:noMasquerade = @{ 'com.docker.network.bridge.enable_ip_masquerade' = 'false' }

        function Invoke-Node {
            param([string]$Name, [string]$Command)
            Invoke-FleetHostCommand -FleetHost ($script:hosts | Where-Object Name -eq $Name) -Command $Command
        }

        function Get-EngineNetworkNames {
            # What the engine itself says, not what the module says.
            param([string]$Node)
            @((Invoke-Node $Node "sudo -n docker network ls --format '{{.Name}}'") -split "`n" | Where-Object { $_ } | Sort-Object)
        }

        function Get-EngineNetwork {
            param([string]$Node, [string]$Name)
            (Invoke-Node $Node "sudo -n docker network inspect $Name") | ConvertFrom-Json
        }

        function Get-RouteTable {
            # The node's table as iproute2 prints it, to compare before and after a refused change.
            Invoke-Node router-1 'ip route show; ip -6 route show'
        }

        function Register-Node {
            param($FleetHost, [string]$PodCidr)
            # Access data as New-ClusterNode records it, in kube-system where only admins write.
            $record = @{ host = $FleetHost.Address; port = $FleetHost.SshPort; user = 'cmadmin'; hostKey = $FleetHost.HostKeyFingerprint } | ConvertTo-Json -Compress
            $access = @{ data = @{ $FleetHost.Name = $record } }
            $accessFile = Join-Path $TestDrive "$($FleetHost.Name)-access.json"
            $access | ConvertTo-Json -Depth 5 | Set-Content $accessFile
            # Merged into what New-ClusterNode wrote for worker-1, never replacing it.
            Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments '-n', 'kube-system', 'patch', 'configmap', 'clustermanagement-node-access', '--type=merge', '--patch-file', $accessFile | Out-Null
            $annotations = [ordered]@{}
            $node = [ordered]@{ apiVersion = 'v1'; kind = 'Node'; metadata = [ordered]@{ name = $FleetHost.Name; annotations = $annotations }; spec = [ordered]@{} }
            if ($PodCidr) { $node.spec = [ordered]@{ podCIDR = $PodCidr; podCIDRs = @($PodCidr) } }
            $file = Join-Path $TestDrive "$($FleetHost.Name).json"
            $node | ConvertTo-Json -Depth 5 | Set-Content $file
            Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments 'create', '-f', $file | Out-Null
        }

        $w1 = $script:hosts | Where-Object Name -eq worker-1
        New-ClusterNode -Name worker-1 -Address $w1.Address -Port $w1.SshPort @script:access -AcceptNewHostKey -Force `
            -KubernetesVersion 1.31 -Role worker -Timeout 120 -ErrorAction Stop | Out-Null
        Register-Node ($script:hosts | Where-Object Name -eq worker-2) -PodCidr $script:podCidr
        Register-Node ($script:hosts | Where-Object Name -eq router-1)
    }

    AfterAll {
        # The nodes' engines, their networks and router-1's namespace and veth pair go with the fleet.
        Stop-Fleet -Confirm:$false
        if ($script:cluster) { Stop-TestCluster $script:cluster }
        Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    }

    Context 'Engine networks' {
        It 'creates an IPv4 bridge network with IP address management' {
            $network = New-NodeNetwork -Node worker-1 -Name nn-v4 -Subnet 198.18.10.0/24 -Gateway 198.18.10.1 -IPRange 198.18.10.128/25 `
                -AuxAddress @{ reserved = '198.18.10.5' } -Label @{ 'test.clustermanagement.io/suite' = 'nodenetwork' } -Option $script:noMasquerade @script:access
            $network.Node | Should -Be 'worker-1'
            $network.Driver | Should -Be 'bridge'
            $network.Subnets | Should -Be @('198.18.10.0/24')
            $network.Gateways | Should -Be @('198.18.10.1')
            $network.IPRanges | Should -Be @('198.18.10.128/25')
            $network | Should -BeOfType ([ClusterManagement.Network.EngineNetwork])

            $inspected = Get-EngineNetwork worker-1 nn-v4
            $inspected.Id | Should -Be $network.Id
            $inspected.IPAM.Config[0].Subnet | Should -Be '198.18.10.0/24'
            $inspected.IPAM.Config[0].Gateway | Should -Be '198.18.10.1'
            $inspected.IPAM.Config[0].IPRange | Should -Be '198.18.10.128/25'
            $inspected.IPAM.Config[0].AuxiliaryAddresses.reserved | Should -Be '198.18.10.5'
            $inspected.Options.'com.docker.network.bridge.enable_ip_masquerade' | Should -Be 'false'
            $inspected.Labels.'test.clustermanagement.io/suite' | Should -Be 'nodenetwork'
            $inspected.EnableIPv6 | Should -BeFalse
        }

        It 'creates a dual-stack network and enables IPv6 for it' {
            $network = New-NodeNetwork -Node worker-1 -Name nn-dual -Subnet 198.18.11.0/24, fd00:198:18:11::/64 -Gateway fd00:198:18:11::1 -Internal -Option $script:noMasquerade @script:access
            $network.EnableIPv6 | Should -BeTrue
            $network.Internal | Should -BeTrue
            $inspected = Get-EngineNetwork worker-1 nn-dual
            $inspected.EnableIPv6 | Should -BeTrue
            $inspected.Internal | Should -BeTrue
            @($inspected.IPAM.Config.Subnet) | Should -Be @('198.18.11.0/24', 'fd00:198:18:11::/64')
            ($inspected.IPAM.Config | Where-Object Subnet -like 'fd00*').Gateway | Should -Be 'fd00:198:18:11::1'
        }

        It 'lists the engine networks of a node, filtered by name' {
            $all = @(Get-NodeNetwork -Node worker-1 @script:access)
            $all.Name | Sort-Object | Should -Be (Get-EngineNetworkNames worker-1)
            $mine = @(Get-NodeNetwork -Node worker-1 -Name nn-* @script:access)
            $mine.Name | Sort-Object | Should -Be @('nn-dual', 'nn-v4')
            ($mine | Where-Object Name -eq nn-v4).Containers | Should -BeNullOrEmpty
        }

        It 'takes the nodes from the pipeline and works on them together' {
            $networks = @(Get-ClusterNode -Name worker-1, worker-2 | Get-NodeNetwork -Name none @script:access)
            $networks.Node | Sort-Object | Should -Be @('worker-1', 'worker-2')
        }

        It 'reports a network name that a node does not have' {
            Get-NodeNetwork -Node worker-1 -Name nn-absent @script:access -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'EngineNetworkNotFound*'
        }

        It 'creates nothing with -WhatIf' {
            $before = Get-EngineNetworkNames worker-1
            New-NodeNetwork -Node worker-1 -Name nn-whatif -Subnet 198.18.12.0/24 -Option $script:noMasquerade @script:access -WhatIf | Should -BeNullOrEmpty
            Get-EngineNetworkNames worker-1 | Should -Be $before
        }

        It 'completes network names from the node''s engine' {
            $env:CLUSTERMANAGEMENT_SSH_KEY_PATH = $script:key
            try {
                $line = "Get-NodeNetwork -Node worker-1 -SshUser cmadmin -KnownHostsPath '$script:knownHosts' -Name nn-"
                $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
                $completions | Should -Be @('nn-dual', 'nn-v4')
                $line = 'Get-NodeNetwork -Node no-such-node -Name nn-'
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
            }
            finally {
                Remove-Item Env:CLUSTERMANAGEMENT_SSH_KEY_PATH
            }
        }
    }

    Context 'Engine network faults and bad input: an error before anything changes' {
        BeforeAll {
            $script:before = Get-EngineNetworkNames worker-1
            $script:base = @{ Option = $script:noMasquerade } + $script:access
        }

        AfterEach {
            Get-EngineNetworkNames worker-1 | Should -Be $script:before
        }

        It 'refuses <Case> with <ErrorId>' -ForEach @(
            @{ Case = 'a subnet that is not a CIDR'; Arguments = @{ Subnet = '198.18.13.0' }; ErrorId = 'CidrInvalid' }
            @{ Case = 'a prefix length out of range'; Arguments = @{ Subnet = '198.18.13.0/33' }; ErrorId = 'CidrInvalid' }
            @{ Case = 'a subnet with host bits set'; Arguments = @{ Subnet = '198.18.13.1/24' }; ErrorId = 'CidrInvalid' }
            @{ Case = 'an IPv6 subnet that is not a CIDR'; Arguments = @{ Subnet = 'fd00:198:18:13::/129' }; ErrorId = 'CidrInvalid' }
            @{ Case = 'a gateway outside the subnet'; Arguments = @{ Subnet = '198.18.13.0/24'; Gateway = '198.18.14.1' }; ErrorId = 'GatewayOutsideSubnet' }
            @{ Case = 'an IPv6 gateway outside the subnet'; Arguments = @{ Subnet = 'fd00:198:18:13::/64'; Gateway = 'fd00:198:18:14::1' }; ErrorId = 'GatewayOutsideSubnet' }
            @{ Case = 'the network address as gateway'; Arguments = @{ Subnet = '198.18.13.0/24'; Gateway = '198.18.13.0' }; ErrorId = 'GatewayNotUsable' }
            @{ Case = 'the broadcast address as gateway'; Arguments = @{ Subnet = '198.18.13.0/24'; Gateway = '198.18.13.255' }; ErrorId = 'GatewayNotUsable' }
            @{ Case = 'a gateway that is not an address'; Arguments = @{ Subnet = '198.18.13.0/24'; Gateway = '198.18.13.1/24' }; ErrorId = 'CidrInvalid' }
            @{ Case = 'an IP range outside the subnet'; Arguments = @{ Subnet = '198.18.13.0/24'; IPRange = '198.18.12.0/25' }; ErrorId = 'IPRangeOutsideSubnet' }
            @{ Case = 'an IP range wider than the subnet'; Arguments = @{ Subnet = '198.18.13.0/25'; IPRange = '198.18.13.0/24' }; ErrorId = 'IPRangeOutsideSubnet' }
            @{ Case = 'an aux address outside the subnet'; Arguments = @{ Subnet = '198.18.13.0/24'; AuxAddress = @{ router = '198.18.14.2' } }; ErrorId = 'AuxAddressOutsideSubnet' }
            @{ Case = 'subnets that overlap each other'; Arguments = @{ Subnet = '198.18.13.0/24', '198.18.13.128/25' }; ErrorId = 'SubnetsOverlap' }
            @{ Case = 'macvlan without a parent interface'; Arguments = @{ Subnet = '198.18.13.0/24'; Driver = 'macvlan' }; ErrorId = 'ParentInterfaceRequired' }
        ) {
            $call = @{ Node = 'worker-1'; Name = 'nn-bad' } + $script:base + $Arguments
            { New-NodeNetwork @call } | Should -Throw -ErrorId "$ErrorId,*"
        }

        It 'refuses a subnet overlapping another network of the node, naming it' {
            New-NodeNetwork -Node worker-1 -Name nn-bad @script:base -Subnet 198.18.10.64/26 -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'SubnetOverlapsNetwork*'
            $failures[0].Exception.Message | Should -Match "198\.18\.10\.0/24 of network 'nn-v4'"
        }

        It 'refuses an IPv6 subnet overlapping another network of the node' {
            New-NodeNetwork -Node worker-1 -Name nn-bad @script:base -Subnet fd00:198:18::/48 -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'SubnetOverlapsNetwork*'
            $failures[0].Exception.Message | Should -Match 'nn-dual'
        }

        It 'refuses a subnet overlapping the node''s pod CIDR' {
            $before2 = Get-EngineNetworkNames worker-2
            New-NodeNetwork -Node worker-2 -Name nn-bad @script:base -Subnet 198.18.64.128/25 -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'SubnetOverlapsPodCidr*'
            $failures[0].Exception.Message | Should -Match ([regex]::Escape("overlaps $script:podCidr of the node's pod CIDR"))
            Get-EngineNetworkNames worker-2 | Should -Be $before2
        }

        It 'refuses a duplicate name' {
            New-NodeNetwork -Node worker-1 -Name nn-v4 @script:base -Subnet 198.18.13.0/24 -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'NetworkNameExists*'
        }

        It 'reports an unknown node' {
            $before2 = Get-EngineNetworkNames worker-2
            New-NodeNetwork -Node no-such-node, worker-2 -Name nn-v4 @script:base -Subnet 198.18.13.0/24 -ErrorAction SilentlyContinue -ErrorVariable failures -WhatIf
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'NodeNotFound*'
            Get-EngineNetworkNames worker-2 | Should -Be $before2
        }

        It 'reports an engine that does not answer' {
            # router-1 runs no engine at all.
            New-NodeNetwork -Node router-1 -Name nn-bad @script:base -Subnet 198.18.13.0/24 -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'EngineNotAnswering*'
            $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        }
    }

    Context 'Removing engine networks' {
        BeforeAll {
            # A container attached to nn-v4, from an image made of the node's own sleep binary
            # (there is no registry here). It sends nothing.
            $made = Invoke-Node worker-1 'sudo -n sh -c "tar -C / -cf - lib lib64 usr/bin/sleep usr/lib/x86_64-linux-gnu/libc.so.6 usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 usr/lib64/ld-linux-x86-64.so.2 | docker import - nn-sleep >/dev/null && docker run -d --name nn-sleeper --network nn-v4 nn-sleep /usr/bin/sleep 600 >/dev/null" 2>&1; echo exit=$?'
            $made | Should -Match 'exit=0'
            Invoke-Node worker-1 "sudo -n docker inspect -f '{{.State.Running}}' nn-sleeper" | Should -Be 'true'
        }

        AfterAll {
            Invoke-Node worker-1 'sudo -n docker rm -f nn-sleeper; sudo -n docker image rm nn-sleep' | Out-Null
        }

        It 'refuses to remove a network with containers attached' {
            (Get-NodeNetwork -Node worker-1 -Name nn-v4 @script:access).Containers | Should -Be @('nn-sleeper')
            Remove-NodeNetwork -Node worker-1 -Name nn-v4 @script:access -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'NetworkInUse*'
            $failures[0].Exception.Message | Should -Match 'nn-sleeper'
            $failures[0].Exception.Message | Should -Match '-DisconnectContainers'
            # -Force only skips the prompt once the switch is named.
            Remove-NodeNetwork -Node worker-1 -Name nn-v4 @script:access -Force -DisconnectContainers:$false -ErrorAction SilentlyContinue -ErrorVariable failures -WarningVariable warned -WarningAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'NetworkInUse*'
            $warned | Should -BeNullOrEmpty
            Get-EngineNetworkNames worker-1 | Should -Contain 'nn-v4'
        }

        It 'disconnects the containers first with -DisconnectContainers' {
            $removed = Remove-NodeNetwork -Node worker-1 -Name nn-v4 @script:access -DisconnectContainers -Force -PassThru -WarningVariable warned -WarningAction SilentlyContinue
            "$warned" | Should -Not -Match 'deprecated'
            $removed.Containers | Should -Be @('nn-sleeper')
            Get-EngineNetworkNames worker-1 | Should -Not -Contain 'nn-v4'
            Invoke-Node worker-1 "sudo -n docker inspect -f '{{.State.Running}}' nn-sleeper" | Should -Be 'true'
        }

        It 'removes nothing with -WhatIf' {
            Remove-NodeNetwork -Node worker-1 -Name nn-dual @script:access -WhatIf
            Get-EngineNetworkNames worker-1 | Should -Contain 'nn-dual'
        }

        It 'removes the networks Get-NodeNetwork pipes to it' {
            Get-NodeNetwork -Node worker-1 -Name nn-dual @script:access | Remove-NodeNetwork @script:access -Confirm:$false
            Get-EngineNetworkNames worker-1 | Should -Not -Contain 'nn-dual'
        }

        It 'reports a network that is not there' {
            Remove-NodeNetwork -Node worker-1 -Name nn-dual @script:access -Force -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'EngineNetworkNotFound*'
        }
    }

    Context 'Node routes (router-1, in its own network namespace)' {
        It 'reads the IPv4 and IPv6 tables' {
            $routes = @(Get-NodeRoute -Node router-1 @script:access)
            $link = $routes | Where-Object Destination -eq '198.18.200.0/30'
            $link.Device | Should -Be 'eth0'
            $link.Protocol | Should -Be 'kernel'
            $link.Scope | Should -Be 'link'
            $link.Family | Should -Be 'IPv4'
            $v6 = $routes | Where-Object Destination -eq 'fd00:198:18:200::/64'
            $v6.Family | Should -Be 'IPv6'
            $v6.Metric | Should -Be 256
            @(Get-NodeRoute -Node router-1 -Destination 198.18.0.0/15 @script:access).Destination | Should -Be @('198.18.200.0/30')
        }

        It 'adds a route through a gateway' {
            $route = Add-NodeRoute -Node router-1 -Destination 198.18.210.0/24 -Gateway 198.18.200.1 @script:access
            $route.Gateway | Should -Be '198.18.200.1'
            $route.Device | Should -Be 'eth0'
            $route.PersistedIn | Should -BeNullOrEmpty
            Invoke-Node router-1 'ip route show 198.18.210.0/24' | Should -Match '^198\.18\.210\.0/24 via 198\.18\.200\.1 dev eth0'
        }

        It 'adds a route through a device, with a metric' {
            $route = Add-NodeRoute -Node router-1 -Destination 198.18.211.0/24 -Device eth0 -Metric 50 @script:access
            $route.Gateway | Should -BeNullOrEmpty
            $route.Scope | Should -Be 'link'
            $route.Metric | Should -Be 50
            Invoke-Node router-1 'ip route show 198.18.211.0/24' | Should -Match '^198\.18\.211\.0/24 dev eth0 scope link metric 50'
        }

        It 'persists a route in /etc/network/interfaces.d and says so' {
            $route = Add-NodeRoute -Node router-1 -Destination 198.18.212.0/24 -Gateway 198.18.200.1 -Device eth0 -Persist @script:access
            $route.PersistedIn | Should -Be '/etc/network/interfaces.d/cm-routes-eth0'
            $file = Invoke-Node router-1 'cat /etc/network/interfaces.d/cm-routes-eth0'
            $file | Should -Match '(?m)^iface eth0 inet manual$'
            $file | Should -Match '(?m)^    up ip route add 198\.18\.212\.0/24 via 198\.18\.200\.1 dev eth0$'
            Invoke-Node router-1 'ip route show 198.18.212.0/24' | Should -Match 'via 198\.18\.200\.1'
        }

        It 'adds and persists an IPv6 route' {
            $route = Add-NodeRoute -Node router-1 -Destination fd00:198:18:210::/64 -Gateway fd00:198:18:200::1 -Persist @script:access
            $route.Family | Should -Be 'IPv6'
            $route.Device | Should -Be 'eth0'
            $route.PersistedIn | Should -Be '/etc/network/interfaces.d/cm-routes-eth0'
            Invoke-Node router-1 'ip -6 route show fd00:198:18:210::/64' | Should -Match 'via fd00:198:18:200::1 dev eth0'
            Invoke-Node router-1 'cat /etc/network/interfaces.d/cm-routes-eth0' | Should -Match '(?m)^    up ip route add fd00:198:18:210::/64 via fd00:198:18:200::1 dev eth0 metric 1024$'
        }

        It 'removes a route piped from Get-NodeRoute' {
            Get-NodeRoute -Node router-1 -Destination 198.18.210.0/24 @script:access | Remove-NodeRoute @script:access -Force
            Invoke-Node router-1 'ip route show 198.18.210.0/24' | Should -BeNullOrEmpty
        }

        It 'removes a persisted route from the table and from the file' {
            $removed = Get-NodeRoute -Node router-1 -Destination 198.18.212.0/24 @script:access | Remove-NodeRoute -Persist @script:access -Force -PassThru
            $removed.PersistedIn | Should -Be '/etc/network/interfaces.d/cm-routes-eth0'
            Invoke-Node router-1 'ip route show 198.18.212.0/24' | Should -BeNullOrEmpty
            $file = Invoke-Node router-1 'cat /etc/network/interfaces.d/cm-routes-eth0'
            $file | Should -Not -Match '198\.18\.212'
            $file | Should -Match 'fd00:198:18:210::/64'
        }

        It 'deletes the file with the last persisted route' {
            Remove-NodeRoute -Node router-1 -Destination fd00:198:18:210::/64 -Persist @script:access -Force
            Invoke-Node router-1 'ip -6 route show fd00:198:18:210::/64' | Should -BeNullOrEmpty
            Invoke-Node router-1 'test -e /etc/network/interfaces.d/cm-routes-eth0 && echo present || echo gone' | Should -Be 'gone'
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-RouteTable
            Add-NodeRoute -Node router-1 -Destination 198.18.213.0/24 -Gateway 198.18.200.1 -Persist @script:access -WhatIf | Should -BeNullOrEmpty
            Remove-NodeRoute -Node router-1 -Destination 198.18.211.0/24 @script:access -WhatIf
            Get-RouteTable | Should -Be $before
            Invoke-Node router-1 'test -e /etc/network/interfaces.d/cm-routes-eth0 && echo present || echo gone' | Should -Be 'gone'
        }
    }

    Context 'Route faults and bad input: an error before anything changes' {
        BeforeAll {
            $script:routesBefore = Get-RouteTable
        }

        AfterEach {
            Get-RouteTable | Should -Be $script:routesBefore
            Invoke-Node router-1 'test -e /etc/network/interfaces.d/cm-routes-eth0 && echo present || echo gone' | Should -Be 'gone'
        }

        It 'refuses <Case> with <ErrorId>' -ForEach @(
            @{ Case = 'a destination that is not a CIDR'; Arguments = @{ Destination = '198.18.214.0'; Gateway = '198.18.200.1' }; ErrorId = 'CidrInvalid' }
            @{ Case = 'a destination with host bits set'; Arguments = @{ Destination = '198.18.214.1/24'; Gateway = '198.18.200.1' }; ErrorId = 'CidrInvalid' }
            @{ Case = 'a gateway that is not an address'; Arguments = @{ Destination = '198.18.214.0/24'; Gateway = 'gateway-1' }; ErrorId = 'CidrInvalid' }
            @{ Case = 'an IPv6 gateway for an IPv4 destination'; Arguments = @{ Destination = '198.18.214.0/24'; Gateway = 'fd00:198:18:200::1' }; ErrorId = 'GatewayFamilyMismatch' }
            @{ Case = 'an IPv4 gateway for an IPv6 destination'; Arguments = @{ Destination = 'fd00:198:18:214::/64'; Gateway = '198.18.200.1' }; ErrorId = 'GatewayFamilyMismatch' }
            @{ Case = 'neither gateway nor device'; Arguments = @{ Destination = '198.18.214.0/24' }; ErrorId = 'RouteTargetMissing' }
            @{ Case = 'a device name that cannot be one'; Arguments = @{ Destination = '198.18.214.0/24'; Device = 'eth0; reboot' }; ErrorId = 'DeviceInvalid' }
        ) {
            { Add-NodeRoute -Node router-1 @Arguments -Persist @script:access } | Should -Throw -ErrorId "$ErrorId,*"
        }

        It 'refuses <Case> with <ErrorId> from the node' -ForEach @(
            @{ Case = 'a device the node does not have'; Arguments = @{ Destination = '198.18.214.0/24'; Device = 'eth9' }; ErrorId = 'DeviceNotFound' }
            @{ Case = 'a route that exists already'; Arguments = @{ Destination = '198.18.211.0/24'; Device = 'eth0' }; ErrorId = 'RouteExists' }
            @{ Case = 'a gateway the node cannot reach'; Arguments = @{ Destination = '198.18.214.0/24'; Gateway = '198.18.220.1' }; ErrorId = 'RouteRejected' }
            @{ Case = 'an unknown node'; Arguments = @{ Node = 'no-such-node'; Destination = '198.18.214.0/24'; Gateway = '198.18.200.1' }; ErrorId = 'NodeNotFound' }
        ) {
            $call = @{ Node = 'router-1' }
            foreach ($name in $Arguments.Keys) { $call[$name] = $Arguments[$name] }
            Add-NodeRoute @call -Persist @script:access -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        }

        It 'refuses to remove a route that is not there' {
            Remove-NodeRoute -Node router-1 -Destination 198.18.214.0/24 @script:access -Force -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'RouteNotFound,*'
        }

        It 'refuses to remove a route given by a destination that is not a CIDR' {
            { Remove-NodeRoute -Node router-1 -Destination 198.18.211.0/33 @script:access -Force } | Should -Throw -ErrorId 'CidrInvalid,*'
        }
    }

    Context 'Device names with shell syntax, as the kernel allows them (router-1)' {
        BeforeAll {
            # Legal interface names (at most 15 bytes, no '/', ':' or whitespace) that create a file
            # named cmpw* in the working directory of any shell that runs them unquoted.
            $script:hostile = @('$(>cmpw1)', 'x;>cmpw2', '`>cmpw3`', "q'`$(>cmpw4)")
            function Invoke-WithDevice {
                # The name travels base64-encoded and is expanded in double quotes on the node: never parsed by its shell.
                param([int]$Index, [string]$Command)
                $encoded = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($script:hostile[$Index]))
                Invoke-Node router-1 "d=`$(echo $encoded | base64 -d); $Command"
            }
            function Get-Marker { Invoke-Node router-1 "sudo -n find / -xdev -maxdepth 3 -name 'cmpw*' 2>/dev/null" }
            for ($i = 0; $i -lt $script:hostile.Count; $i++) {
                $made = Invoke-WithDevice $i "sudo -n ip link add name `"`$d`" type veth peer name cmhp$i && sudo -n ip link set `"`$d`" up && sudo -n ip link set cmhp$i up && sudo -n ip route add 198.18.22$i.0/24 dev `"`$d`" && echo made"
                $made | Should -Be 'made' -Because "the kernel accepts the name $($script:hostile[$i])"
            }
            Invoke-WithDevice 3 "sudo -n ip addr add 198.18.230.1/30 dev `"`$d`" && echo addressed" | Should -Be 'addressed'
            Get-Marker | Should -BeNullOrEmpty
        }

        AfterAll {
            # Removing one end of a veth pair removes the other, and the kernel drops the routes through it.
            Invoke-Node router-1 'for i in 0 1 2 3; do sudo -n ip link del cmhp$i 2>/dev/null; done; true' | Out-Null
        }

        AfterEach {
            Get-Marker | Should -BeNullOrEmpty -Because 'no name may run as a command on the node'
            Invoke-Node router-1 'ls /etc/network/interfaces.d/ 2>/dev/null | grep -c . || true' | Should -Be '0'
        }

        It 'reads the route of hostile device no. <_> exactly as the kernel names it' -ForEach @(0, 1, 2, 3) {
            $route = Get-NodeRoute -Node router-1 -Destination "198.18.22$_.0/24" @script:access
            $route.Device | Should -BeExactly $script:hostile[$_]
        }

        It 'removes a route through such a device, found by its destination' {
            $removed = Remove-NodeRoute -Node router-1 -Destination 198.18.220.0/24 @script:access -Force -PassThru
            $removed.Device | Should -BeExactly $script:hostile[0]
            Invoke-Node router-1 'ip route show 198.18.220.0/24' | Should -BeNullOrEmpty
        }

        It 'removes a route through such a device piped from Get-NodeRoute' {
            Get-NodeRoute -Node router-1 -Destination 198.18.221.0/24 @script:access | Remove-NodeRoute @script:access -Force
            Invoke-Node router-1 'ip route show 198.18.221.0/24' | Should -BeNullOrEmpty
        }

        It 'removes the live route with -Persist, and says that such a route was never persisted' {
            Remove-NodeRoute -Node router-1 -Destination 198.18.222.0/24 -Persist @script:access -Force -WarningVariable warnings 3>$null
            Invoke-Node router-1 'ip route show 198.18.222.0/24' | Should -BeNullOrEmpty
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike '*never writes into static-route files*only the live route was removed*'
        }

        It 'adds a route through a device the user names with shell syntax' {
            $route = Add-NodeRoute -Node router-1 -Destination 198.18.224.0/24 -Device $script:hostile[3] @script:access
            $route.Device | Should -BeExactly $script:hostile[3]
            Invoke-WithDevice 3 'ip route show 198.18.224.0/24 dev "$d"' | Should -Match '^198\.18\.224\.0/24'
        }

        It 'refuses to persist a route through such a device <Case>, before adding it' -ForEach @(
            @{ Case = 'named with -Device'; Arguments = @{ Destination = '198.18.225.0/24'; Device = "q'`$(>cmpw4)" } }
            @{ Case = 'that the kernel picks for -Gateway'; Arguments = @{ Destination = '198.18.225.0/24'; Gateway = '198.18.230.2' } }
        ) {
            $before = Get-RouteTable
            Add-NodeRoute -Node router-1 @Arguments -Persist @script:access -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'DeviceNotPersistable,*'
            Get-RouteTable | Should -Be $before
        }
    }

    Context 'Docs examples that need a node network' {
        It 'runs every example of <_> against the fleet' -ForEach $script:docPages {
            $run = Invoke-FleetDocsExample -Page (Join-Path (Get-RepoRoot) "docs/$_.md") -KubeConfig $script:cluster.KubeConfig -KeyPath $script:key `
                -KnownHostsPath $script:knownHosts -WorkDir $TestDrive
            $run.Count | Should -BeGreaterOrEqual 2
            $run.ExitCode | Should -Be 0 -Because "$($run.Output) $($run.Error)"
            $run.Error | Should -BeNullOrEmpty
        }
    }

    # Issue 19 over real SSH: a second emulator (cheap) with worker-2's host joined to it as worker-1, so both
    # clusters have a worker-1 on different hosts, behind one merged kubeconfig (contexts one and two). Last in
    # the file: nothing after this needs worker-2 or router-1 in cluster one, nor worker-2 unjoined.
    Context 'Node hosts of two clusters' {
        BeforeAll {
            $script:two = Start-SuiteCluster -Workers 0 -ControlPlanes 0
            $merged = foreach ($name in 'one', 'two') {
                $path = Join-Path $TestDrive "$name.kubeconfig"
                Set-Content -Path $path -Value (Get-NamedKubeConfig -Cluster ($name -eq 'one' ? $script:cluster : $script:two) -Prefix $name)
                $path
            }
            $env:KUBECONFIG = $merged -join [IO.Path]::PathSeparator
            $script:hostOne = $script:hosts | Where-Object Name -eq worker-1
            $script:hostTwo = $script:hosts | Where-Object Name -eq worker-2
            # Each host in one cluster only: worker-2's host becomes cluster two's worker-1, and router-1 has no kubeadm
            # packages, which would block cluster one's upgrade plan (a plan covers every node of its cluster).
            Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments 'delete', 'node', 'worker-2', 'router-1' | Out-Null
            Add-FleetCniConfig -Name worker-2
            New-ClusterNode -Context two -Name worker-1 -Address $script:hostTwo.Address -Port $script:hostTwo.SshPort @script:access -AcceptNewHostKey -Force `
                -KubernetesVersion 1.31 -Role worker -Timeout 120 -ErrorAction Stop | Out-Null
        }

        AfterAll {
            Use-ClusterContext -Reset
            $env:KUBECONFIG = $script:cluster.KubeConfig
            if ($script:two) { Stop-TestCluster $script:two }
        }

        It 'reads each cluster''s worker-1 on that cluster''s own host, naming its context' {
            $engines = @(Get-NodeDocker -Context one, two -Node worker-1 @script:access -ErrorAction Stop | Sort-Object Context)
            $engines.Context | Should -Be 'one', 'two'
            $engines.State | Should -Be 'Running', 'Running'
            $engines[0].Endpoint | Should -BeLike "ssh://cmadmin@$($script:hostOne.Address):$($script:hostOne.SshPort)/*"
            $engines[1].Endpoint | Should -BeLike "ssh://cmadmin@$($script:hostTwo.Address):$($script:hostTwo.SshPort)/*"
        }

        It 'sends a node piped from cluster two to cluster two''s host, whatever the session default' {
            Use-ClusterContext one
            try {
                $engine = Get-ClusterNode -Context two -Name worker-1 | Get-NodeDocker @script:access -ErrorAction Stop
                $engine.Context | Should -Be 'two'
                $engine.Endpoint | Should -BeLike "ssh://cmadmin@$($script:hostTwo.Address):$($script:hostTwo.SshPort)/*"
            } finally { Use-ClusterContext -Reset }
        }

        It 'backs up both clusters'' worker-1 side by side, a folder per context, owner-only' {
            $folder = Join-Path $TestDrive 'two-cluster-backups'
            $backups = @(Backup-ClusterNode -Context one, two -Node worker-1 -Destination $folder -Force @script:access -ErrorAction Stop | Sort-Object Path)
            $backups.Count | Should -Be 2
            $backups.Path | Should -Be (Get-ChildItem $folder -Recurse -File).FullName -Because 'each backup is a file of its own, none replaced'
            foreach ($pair in @(@{ Backup = $backups[0]; Context = 'one'; Cluster = $script:cluster }, @{ Backup = $backups[1]; Context = 'two'; Cluster = $script:two })) {
                # Node names repeat across clusters: the object itself, not only its folder, says whose it is.
                $pair.Backup.Context | Should -Be $pair.Context
                $pair.Backup.Cluster | Should -Be $pair.Context -Because 'Get-NamedKubeConfig names each cluster as its context'
                Split-Path $pair.Backup.Path -Parent | Should -Be (Join-Path $folder $pair.Context)
                & stat -c '%a' $pair.Backup.Path (Split-Path $pair.Backup.Path -Parent) | Should -Be '600', '700'
                # The archive is that cluster's host's: its kubelet talks to that cluster's API server.
                $entry = @(tar -tzf $pair.Backup.Path) -match 'etc/kubernetes/kubelet\.conf$' | Select-Object -First 1
                $entry | Should -Not -BeNullOrEmpty
                (tar -xzOf $pair.Backup.Path $entry) -join "`n" | Should -Match ([regex]::Escape("server: $($pair.Cluster.Url)"))
            }
            ($backups | Out-String -Width 160) | Should -Match '(?m)^Context\s+Node\s+Files\b'
        }

        It 'plans the Kubernetes upgrade of both clusters, each plan naming its context' {
            $plans = @(Get-ClusterUpgradePlan -Context one, two -Node worker-1 -KubernetesVersion 1.31 @script:access -ErrorAction Stop | Sort-Object Context)
            $plans.Context | Should -Be 'one', 'two'
            $plans.Node | Should -Be 'worker-1', 'worker-1'
            $plans.KubeadmVersion | Should -Be 'v1.31.4', 'v1.31.4' -Because 'each host was read over SSH'
            ($plans | Out-String -Width 160) | Should -Match '(?m)^\s*Context: one$'
        }

        It 'upgrades both clusters to the version they run: each result Current, naming its context' {
            # The target both hosts are at already (the plan above): the run plans over SSH and changes nothing.
            $results = @(Update-ClusterNode -Context one, two -Node worker-1 -KubernetesVersion 1.31 -Force @script:access -ErrorAction Stop | Sort-Object Context)
            $results | ForEach-Object { "$($_.Context) $($_.Cluster) $($_.Node) $($_.Status)" } | Should -Be 'one one worker-1 Current', 'two two worker-1 Current'
            ($results | Out-String -Width 160) | Should -Match '(?m)^Context\s+Node\s+Batch\b'
        }
    }
}
