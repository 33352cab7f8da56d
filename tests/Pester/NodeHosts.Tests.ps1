#Requires -Version 7.4
# Node hosts on the real fleet (tests/Fleet): New-ClusterNode joins three fleet hosts to an emulator
# over SSH, then the node cmdlets work on them. One fleet and one emulator for the whole file.
# Under CI a missing prerequisite fails the run; elsewhere the tests are skipped with the reason.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $script:fleetSkipReason = Get-FleetSkipReason -Suite 'the node-host tests'
}

Describe 'Node hosts' -Skip:([bool]$script:fleetSkipReason) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot '../Fleet/Fleet.psm1') -Force
        $module = Get-ModuleUnderTest
        Import-Module $module -Force
        # No seeded nodes: every Node in this cluster is a real fleet host, so "all nodes" never means
        # an address outside loopback. The fleet's kubelets renew their Leases every 10 s as real ones
        # do; a 30 s grace (three renewals) keeps a loaded machine from turning nodes NotReady by
        # accident and still lets the kubelet test see NotReady well within its minute.
        $script:cluster = Start-SuiteCluster -Workers 0 -ControlPlanes 0 -ExtraArgument '--node-grace-seconds', '30'
        $env:KUBECONFIG = $script:cluster.KubeConfig
        $script:engine = Start-FleetEngine
        # Addresses apart from other suites' fleets (Start-Fleet uses 127.0.0.11 upwards).
        $script:hosts = @(
            # -CniConfig: the cluster's network add-on is there, so joined kubelets report Ready (worker-3 below has none).
            Start-FleetNode -Name cp-1 -Address 127.0.0.171 -SshPort 2371 -ControlPlane -EtcdClientPort 2571 -EtcdPeerPort 2671 -Variant Docker -CniConfig
            Start-FleetNode -Name worker-1 -Address 127.0.0.172 -SshPort 2372 -Variant Docker -CniConfig
            Start-FleetNode -Name worker-2 -Address 127.0.0.173 -SshPort 2373 -Variant Docker -CniConfig
        )
        $script:key = $script:engine.KeyPath
        # The module's own known_hosts starts empty: the first contact trusts with -AcceptNewHostKey.
        $script:knownHosts = Join-Path $TestDrive 'known_hosts'
        $script:access = @{ SshUser = 'cmadmin'; SshKeyPath = $script:key; KnownHostsPath = $script:knownHosts }
        $script:oldContainerd = '1.6.20~ds1-1+deb12u2'

        function Invoke-Node {
            param([string]$Name, [string]$Command)
            Invoke-FleetHostCommand -FleetHost ($script:hosts | Where-Object Name -eq $Name) -Command $Command
        }

        function Invoke-Container {
            # A root shell in the node's container, apart from SSH: it works while a node's host key is changed.
            param([string]$Name, [string]$Script)
            $PSNativeCommandUseErrorActionPreference = $false
            ((& docker --host "unix://$($script:engine.Socket)" exec $Name sh -c $Script 2>&1) | ForEach-Object { "$_" }) -join "`n"
        }

        # The module's access data for every node, as a second admin reads it: kube-system/clustermanagement-node-access.
        function Get-AccessRecord {
            param([string]$Name)
            $map = Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments '-n', 'kube-system', 'get', 'configmap', 'clustermanagement-node-access', '-o', 'json' | ConvertFrom-Json -AsHashtable
            if ($map.data -and $map.data.ContainsKey($Name)) { $map.data[$Name] | ConvertFrom-Json } else { $null }
        }

        function Get-BootstrapTokenSecret {
            @((Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments '-n', 'kube-system', 'get', 'secrets', '-o', 'json' | ConvertFrom-Json).items |
                    Where-Object type -eq 'bootstrap.kubernetes.io/token' | ForEach-Object { $_.metadata.name })
        }

        # ShouldProcess writes its "What if:" lines to the host, not to a stream a test can
        # redirect, so -WhatIf runs in a fresh pwsh whose standard output is the host.
        function Invoke-WhatIf {
            param([string]$Command)
            $run = Invoke-FreshPwsh -Script "Import-Module '$(Get-ModuleUnderTest)'; $Command" -Environment @{
                KUBECONFIG = $script:cluster.KubeConfig; CLUSTERMANAGEMENT_SSH_USER = 'cmadmin'; CLUSTERMANAGEMENT_SSH_KEY_PATH = $script:key
            }
            $run.ExitCode | Should -Be 0 -Because $run.Error
            $run.Output
        }

        # What 'kubeadm init phase upload-certs --upload-certs' leaves on a control-plane cluster, sealed
        # with the key it prints; cp-1 joins as a control plane with it (the stand-in kubeadm opens every entry).
        $script:certificateKey = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).ToLowerInvariant()
        $certsFile = Join-Path $TestDrive 'kubeadm-certs.json'
        New-KubeadmCertsSecret -CertificateKey $script:certificateKey -KubeConfig $script:cluster.KubeConfig -Path $certsFile
        Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments 'create', '--validate=false', '-f', $certsFile | Out-Null

        $joined = $script:hosts | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            $env:KUBECONFIG = $using:cluster.KubeConfig
            $h = $_
            $access = $using:access
            $role = if ($h.ControlPlane) { 'control-plane' } else { 'worker' }
            $taint = if ($h.ControlPlane) { @{ Taint = 'node-role.kubernetes.io/control-plane:NoSchedule'; CertificateKey = $using:certificateKey } } else { @{} }
            # The fleet's engines run Debian's stock configuration (cgroupfs on a cgroup v1 machine): the systemd
            # cgroup driver the kubelet and containerd use comes from the module writing daemon.json here.
            $node = New-ClusterNode -Name $h.Name -Address $h.Address -Port $h.SshPort @access @taint -AcceptNewHostKey -Force `
                -ContainerdVersion $using:oldContainerd -KubernetesVersion 1.31 -EngineConfig @{ 'exec-opts' = @('native.cgroupdriver=systemd') } `
                -Role $role -Label @{ 'fleet.test/host' = $h.Name } -Timeout 120 -ErrorAction Stop
            $node
        }
        $script:joined = @($joined)
    }

    AfterAll {
        Stop-Fleet -Confirm:$false
        if ($script:cluster) { Stop-TestCluster $script:cluster }
        Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    }

    Context 'New-ClusterNode' {
        It 'joins every host as a Ready node with its roles, labels, taints and access data' {
            $script:joined.Count | Should -Be 3
            foreach ($h in $script:hosts) {
                $node = Get-ClusterNode -Name $h.Name
                $node.Readiness | Should -Be 'Ready'
                $node.Version | Should -Be 'v1.31.4'
                $node.Labels['fleet.test/host'] | Should -Be $h.Name
                $record = Get-AccessRecord $h.Name
                $record.host | Should -Be $h.Address
                $record.port | Should -Be $h.SshPort
                $record.user | Should -Be 'cmadmin'
                $record.hostKey | Should -Be $h.HostKeyFingerprint
                $node.Annotations.Keys | Should -Not -Match '^clustermanagement\.io/ssh-'
                $node.Annotations.ContainsKey('clustermanagement.io/engine-endpoint') | Should -BeFalse
            }
            (Get-ClusterNode -Name cp-1).Roles | Should -Be @('control-plane')
            (Get-ClusterNode -Name cp-1).Taints.ForEach('ToString') | Should -Contain 'node-role.kubernetes.io/control-plane:NoSchedule'
            # kubeadm join --control-plane's own mark (the module sets no such label): cp-1 joined as a control plane.
            (Get-ClusterNode -Name cp-1).Labels.ContainsKey('node.kubernetes.io/exclude-from-external-load-balancers') | Should -BeTrue
            (Get-ClusterNode -Name worker-1).Roles | Should -Be @('worker')
        }

        It 'installs the pinned containerd and holds the engine packages' {
            $installed = Invoke-Node worker-1 "dpkg-query -W -f '`${Version}' containerd; echo; apt-mark showhold"
            $installed | Should -Match ([regex]::Escape($script:oldContainerd))
            $installed | Should -Match '(?m)^docker\.io$'
            $installed | Should -Match '(?m)^containerd$'
            $installed | Should -Match '(?m)^kubelet$'
        }

        It 'gives the kubelet containerd''s CRI plugin with systemd cgroups and kubeadm''s pause image, as containerd itself reports them' {
            foreach ($h in $script:hosts) {
                (Get-ClusterNode -Name $h.Name).ContainerRuntime | Should -Match '^containerd://1\.6\.20'
            }
            # crictl asks containerd through the CRI (the kubelet's own path), so this is what containerd loaded, not what a file says.
            $info = Invoke-Node worker-1 'sudo -n crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock info' | ConvertFrom-Json
            $info.config.containerd.runtimes.runc.options.SystemdCgroup | Should -BeTrue
            $info.config.sandboxImage | Should -Be 'registry.k8s.io/pause:3.10'
            Invoke-Node worker-1 'sudo -n cat /var/lib/kubelet/config.yaml' | Should -Match '(?m)^containerRuntimeEndpoint: unix:///var/run/containerd/containerd\.sock$'
            $docker = Get-NodeDocker -Node worker-1 @script:access
            $docker.PodRuntime | Should -Match '^containerd://1\.6\.20'
            $docker.Version | Should -Match '^20\.10\.'
        }

        It 'refuses -ContainerRuntime Docker without cri-dockerd before contacting the host' {
            $err = { New-ClusterNode -Name nh-docker -Address 127.0.0.199 -Port 2399 @script:access -Force -ContainerRuntime Docker -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CriDockerdPackageMissing*'
            (Get-Content $script:knownHosts) -join "`n" | Should -Not -Match '127\.0\.0\.199'
        }

        It 'refuses a cri-dockerd package the host''s sources lack before anything changes' {
            $h = $script:hosts | Where-Object Name -eq worker-1
            $before = Invoke-Node worker-1 'sudo -n md5sum /etc/containerd/config.toml'
            $err = { New-ClusterNode -Name worker-1 -Address $h.Address -Port $h.SshPort @script:access -Force -ContainerdVersion $script:oldContainerd -KubernetesVersion 1.31 `
                    -ContainerRuntime Docker -CriDockerdPackage cri-dockerd -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PackageNotAvailable*'
            $err.Exception.Message | Should -Match 'cri-dockerd'
            Invoke-Node worker-1 'sudo -n md5sum /etc/containerd/config.toml' | Should -Be $before
            (Get-ClusterNode -Name worker-1).ContainerRuntime | Should -Match '^containerd://'
        }

        It 'records the host key it accepted in the known_hosts file' {
            (Get-Content $script:knownHosts) -join "`n" | Should -Match '(?m)^\[127\.0\.0\.172\]:2372 ssh-ed25519 '
        }

        It 'prints the plan with -WhatIf and changes nothing' {
            $before = (Get-ClusterNode).Count
            $plan = Invoke-WhatIf "New-ClusterNode -Name nh-new -Address 127.0.0.199 -Port 2399 -KnownHostsPath '$script:knownHosts' -EngineVersion 20.10 -WhatIf"
            $plan | Should -Match 'Resolve docker.io 20.10'
            $plan | Should -Match 'kubeadm join'
            $plan | Should -Match 'Wait for the Node to be Ready'
            (Get-ClusterNode).Count | Should -Be $before
        }

        It 'resumes on a re-run: an already joined host stays the same node' {
            $h = $script:hosts[1]
            $uidBefore = (Invoke-Node worker-1 'sudo -n stat -c %Y /etc/kubernetes/kubelet.conf')
            $node = New-ClusterNode -Name $h.Name -Address $h.Address -Port $h.SshPort @script:access -Force `
                -ContainerdVersion $script:oldContainerd -KubernetesVersion 1.31 -Role worker -Timeout 120
            $node.Readiness | Should -Be 'Ready'
            Invoke-Node worker-1 'sudo -n stat -c %Y /etc/kubernetes/kubelet.conf' | Should -Be $uidBefore
        }

        It 'refuses a version that does not exist, lists the available ones and changes nothing' {
            $h = $script:hosts[2]
            $before = Invoke-Node worker-2 "dpkg-query -W -f '`${Version}' docker.io containerd"
            $err = { New-ClusterNode -Name $h.Name -Address $h.Address -Port $h.SshPort @script:access -Force -EngineVersion 99.1 } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PackageVersionNotAvailable*'
            $err.Exception.Message | Should -Match 'docker.io 99.1 is not available on worker-2\. Available: 20\.10\.24'
            Invoke-Node worker-2 "dpkg-query -W -f '`${Version}' docker.io containerd" | Should -Be $before
        }

        It 'fails before any change when sudo wants a password' {
            $h = $script:hosts[2]
            $err = { New-ClusterNode -Name nh-nopass -Address $h.Address -Port $h.SshPort -SshUser cmnopass -SshKeyPath $script:key -KnownHostsPath $script:knownHosts -Force } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'SudoPasswordRequired*'
            Get-ClusterNode -Name nh-nopass -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'waits for a dpkg lock held by another apt run, then installs' {
            $h = $script:hosts[2]
            # A real apt run holds the frontend lock while its pre-invoke hook sleeps.
            Invoke-Node worker-2 'sudo -n sh -c ''nohup apt-get install -y -o DPkg::Pre-Invoke::="sleep 8" --reinstall -q runc >/tmp/holder.log 2>&1 &''; sleep 2; grep -q ":$(stat -c %i /var/lib/dpkg/lock-frontend) " /proc/locks && echo held' | Should -Be 'held'
            $node = New-ClusterNode -Name $h.Name -Address $h.Address -Port $h.SshPort @script:access -Force -Verbose `
                -ContainerdVersion $script:oldContainerd -KubernetesVersion 1.31 -Role worker -Timeout 120 4>&1
            ($node | Where-Object { $_ -is [ClusterManagement.Nodes.ClusterNode] }).Readiness | Should -Be 'Ready'
            Invoke-Node worker-2 'cat /tmp/holder.log' | Should -Match 'runc'
        }
    }

    Context '-EngineConfig on a host whose docker.service passes dockerd flags (the fleet''s stock engine)' {
        BeforeAll {
            $script:worker1 = $script:hosts | Where-Object Name -eq worker-1
            $script:rejoin = @{
                Name = 'worker-1'; Address = $script:worker1.Address; Port = $script:worker1.SshPort; Force = $true
                ContainerdVersion = $script:oldContainerd; KubernetesVersion = '1.31'; Role = 'worker'; Timeout = 120
            }
            function Get-EngineState {
                Invoke-Node worker-1 'sudo -n md5sum /etc/docker/daemon.json; systemctl show docker.service -p MainPID --value'
            }
        }

        It 'refuses a directive the unit already gives as a flag, naming it and the drop-in, before anything changes; dockerd itself refuses that pair' {
            # The fault is real: the fleet's drop-in passes --iptables=false, and the real dockerd stops on a daemon.json that names iptables too.
            Invoke-Node worker-1 'systemctl show docker.service -p ExecStart --value' | Should -Match ' --iptables=false '
            $probe = Invoke-Node worker-1 ('echo ''{"iptables": false}'' > /tmp/conflict.json; sudo -n timeout 20 dockerd --config-file /tmp/conflict.json --iptables=false --bridge=none --ip-masq=false ' +
                '-H unix:///run/cm-probe.sock --pidfile /run/cm-probe.pid --data-root /tmp/cm-probe --exec-root /run/cm-probe; echo "exit $?"; rm -f /tmp/conflict.json')
            $probe | Should -Match ([regex]::Escape('the following directives are specified both as a flag and in the configuration file: iptables: (from flag: false, from file: false)'))
            $probe | Should -Match 'exit [1-9]'
            $before = Get-EngineState

            $err = { New-ClusterNode @script:rejoin @script:access -EngineConfig @{ iptables = $false; 'exec-opts' = @('native.cgroupdriver=systemd') } -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'EngineConfigConflict*'
            $err.Exception.Message | Should -Match ([regex]::Escape('iptables (--iptables=false)'))
            $err.Exception.Message | Should -Match ([regex]::Escape('/etc/systemd/system/docker.service.d/10-fleet-network.conf'))
            $err.Exception.Message | Should -Not -Match 'exec-opts'
            Get-EngineState | Should -Be $before
        }

        It 'reads flags the unit passes through $DOCKER_OPTS from its EnvironmentFile, as systemd expands them' {
            # Debian's own unit passes $DOCKER_OPTS from /etc/default/docker; the fleet's drop-in replaces that
            # ExecStart, so a second drop-in puts the variable back. systemd only loads it: the engine keeps running.
            $optsDropIn = '/etc/systemd/system/docker.service.d/20-cm-test-opts.conf'
            $before = Get-EngineState
            try {
                Invoke-Node worker-1 ("printf '[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --bridge=none --iptables=false --ip-masq=false `$DOCKER_OPTS\n' | sudo -n tee $optsDropIn > /dev/null; " +
                    "printf '# test\nDOCKER_OPTS=`"--log-level=warn`"\n' | sudo -n tee /etc/default/docker > /dev/null; sudo -n systemctl daemon-reload") | Out-Null
                Invoke-Node worker-1 'systemctl show docker.service -p ExecStart --value' | Should -Match ([regex]::Escape('$DOCKER_OPTS'))

                $err = { New-ClusterNode @script:rejoin @script:access -EngineConfig @{ 'log-level' = 'info' } -ErrorAction Stop } | Should -Throw -PassThru
                $err.FullyQualifiedErrorId | Should -BeLike 'EngineConfigConflict*'
                $err.Exception.Message | Should -Match ([regex]::Escape('log-level (--log-level=warn)'))
                $err.Exception.Message | Should -Match ([regex]::Escape($optsDropIn))
                Get-EngineState | Should -Be $before
            }
            finally {
                Invoke-Node worker-1 "sudo -n rm -f $optsDropIn /etc/default/docker; sudo -n systemctl daemon-reload" | Out-Null
            }
        }

        It 'applies a changed daemon.json to the running engine, which reports it through its API' {
            # Debian's stock engine picks cgroupfs on this machine's cgroup v1 and systemd on v2; the join set systemd.
            (Get-NodeDocker -Node worker-1 @script:access).CgroupDriver | Should -Be 'systemd'
            $pidBefore = Invoke-Node worker-1 'systemctl show docker.service -p MainPID --value'
            try {
                (New-ClusterNode @script:rejoin @script:access -EngineConfig @{ 'exec-opts' = @('native.cgroupdriver=cgroupfs') }).Readiness | Should -Be 'Ready'
                (Get-NodeDocker -Node worker-1 @script:access).CgroupDriver | Should -Be 'cgroupfs'
                Invoke-Node worker-1 'systemctl show docker.service -p MainPID --value' | Should -Not -Be $pidBefore
            }
            finally {
                New-ClusterNode @script:rejoin @script:access -EngineConfig @{ 'exec-opts' = @('native.cgroupdriver=systemd') } | Out-Null
            }
            (Get-NodeDocker -Node worker-1 @script:access).CgroupDriver | Should -Be 'systemd'
        }
    }

    Context 'No TCP listener for the Docker Engine' {
        BeforeAll {
            $script:legacyDropIn = '/etc/systemd/system/docker.service.d/20-clustermanagement.conf'

            # What listens for the engine, as the node's kernel reports it: ss sees the node's own
            # processes only, so another node's dockerd on the shared network never shows here.
            function Get-EngineListener {
                param([string]$Name)
                @((Invoke-Node $Name 'sudo -n ss -ltnpH') -split "`n" | Where-Object { $_ -match '"dockerd"' })
            }

            # The drop-in earlier module versions wrote (tcp on the node's address, as the fleet tests
            # passed it), applied and running: the state of a node joined before this change. Its ExecStart
            # replaces the fleet's, so it carries the fleet's network flags: without them a stock dockerd
            # would add a bridge and iptables rules to the network namespace every node shares.
            function Set-LegacyListener {
                param([string]$Name, [int]$Port)
                $address = ($script:hosts | Where-Object Name -eq $Name).Address
                Invoke-Node $Name ("sudo -n mkdir -p /etc/systemd/system/docker.service.d && printf '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// -H tcp://${address}:$Port --containerd=/run/containerd/containerd.sock --bridge=none --iptables=false --ip-masq=false\n' | sudo -n tee $script:legacyDropIn >/dev/null" +
                    ' && sudo -n systemctl daemon-reload && sudo -n systemctl reset-failed docker.service && sudo -n systemctl restart docker.service') | Out-Null
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not (Get-EngineListener $Name) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
            }

            function Clear-LegacyListener {
                param([string]$Name)
                Invoke-Node $Name "if [ -e $script:legacyDropIn ]; then sudo -n rm -f $script:legacyDropIn && sudo -n systemctl daemon-reload && sudo -n systemctl reset-failed docker.service && sudo -n systemctl restart docker.service; fi" | Out-Null
            }
        }

        It 'leaves nothing listening for the engine on any node after New-ClusterNode, only its unix socket' {
            foreach ($h in $script:hosts) {
                Get-EngineListener $h.Name | Should -BeNullOrEmpty -Because "$($h.Name) must not expose the engine on TCP"
                Invoke-Node $h.Name "test -e $script:legacyDropIn && echo present || echo absent" | Should -Be 'absent'
                Invoke-Node $h.Name 'sudo -n curl -sf --max-time 5 --unix-socket /var/run/docker.sock http://docker/_ping' | Should -Be 'OK'
            }
        }

        It 'New-ClusterNode removes the listener an earlier version left, says so, and restarts the engine without it' {
            $h = $script:hosts | Where-Object Name -eq worker-1
            Set-LegacyListener worker-1 2472
            try {
                Get-EngineListener worker-1 | Should -Match '127\.0\.0\.172:2472' -Because 'the old listener must be running for the test to mean anything'
                $node = New-ClusterNode -Name $h.Name -Address $h.Address -Port $h.SshPort @script:access -Force `
                    -ContainerdVersion $script:oldContainerd -KubernetesVersion 1.31 -Role worker -Timeout 120 -WarningVariable warned -WarningAction SilentlyContinue
                $node.Readiness | Should -Be 'Ready'
                "$warned" | Should -Match 'worker-1'
                "$warned" | Should -Match ([regex]::Escape($script:legacyDropIn))
                Get-EngineListener worker-1 | Should -BeNullOrEmpty
                Invoke-Node worker-1 "test -e $script:legacyDropIn && echo present || echo absent" | Should -Be 'absent'
                (Get-NodeDocker -Node worker-1 @script:access).State | Should -Be 'Running'
            }
            finally {
                Clear-LegacyListener worker-1
            }
        }

        It 'reports an engine that is not running as Stopped, with the dial-stdio relay''s own error' {
            Invoke-Node worker-1 'sudo -n systemctl stop docker.socket docker.service' | Out-Null
            try {
                $result = Get-NodeDocker -Node worker-1 @script:access -Timeout 15
                $result.State | Should -Be 'Stopped'
                $result.Error | Should -Match 'system dial-stdio'' on cmadmin@\[127\.0\.0\.172\]:2372 failed \(exit code [1-9]'
            }
            finally {
                Invoke-Node worker-1 'sudo -n systemctl reset-failed docker.service; sudo -n systemctl start docker.socket docker.service' | Out-Null
            }
            (Get-NodeDocker -Node worker-1 @script:access).State | Should -Be 'Running'
        }

        It 'Update-NodeDocker takes a node with the old listener through the cycle, removes it and says so' {
            Set-LegacyListener worker-2 2473
            try {
                Get-EngineListener worker-2 | Should -Match '127\.0\.0\.173:2473' -Because 'the old listener must be running for the test to mean anything'
                # Its packages are at the target already: only the listener makes the node go through the cycle.
                $result = Update-NodeDocker -Node worker-2 -Version latest -ContainerdVersion $script:oldContainerd -SkipDrain -Force @script:access `
                    -WarningVariable warned -WarningAction SilentlyContinue
                $result.Status | Should -Be 'Upgraded'
                "$warned" | Should -Match 'worker-2'
                "$warned" | Should -Match ([regex]::Escape($script:legacyDropIn))
                Get-EngineListener worker-2 | Should -BeNullOrEmpty
                Invoke-Node worker-2 "test -e $script:legacyDropIn && echo present || echo absent" | Should -Be 'absent'
                (Get-NodeDocker -Node worker-2 @script:access).State | Should -Be 'Running'
                (Get-ClusterNode -Name worker-2).Unschedulable | Should -BeFalse
            }
            finally {
                Clear-LegacyListener worker-2
            }
        }
    }

    Context 'Get-NodeDocker' {
        It 'reads every engine through docker system dial-stdio over SSH with the negotiated API version' {
            $engines = @(Get-NodeDocker @script:access)
            $engines.Count | Should -Be 3
            foreach ($engine in $engines) {
                $engine.State | Should -Be 'Running' -Because $engine.Error
                $engine.Version | Should -Be '20.10.24+dfsg1'
                $engine.ApiVersion | Should -Be '1.41'
                $engine.ContainerdBuild | Should -Be $script:oldContainerd
                $engine.Containerd | Should -Be '1.6.20~ds1'
                $engine.StorageDriver | Should -Be 'overlay2'
                $engine.CgroupDriver | Should -Be 'systemd'
                $h = $script:hosts | Where-Object Name -eq $engine.Node
                $engine.Endpoint | Should -Be "ssh://cmadmin@$($h.Address):$($h.SshPort)/var/run/docker.sock"
            }
        }

        It 'takes nodes from Get-ClusterNode through the pipeline' {
            $engines = @(Get-ClusterNode -Name worker-1, cp-1 | Get-NodeDocker @script:access)
            $engines.Node | Should -Be @('worker-1', 'cp-1')
        }

        It 'reports an unreachable host and still probes the others' {
            & docker --host "unix://$($script:engine.Socket)" exec worker-2 systemctl stop ssh.service
            try {
                $engines = @(Get-NodeDocker @script:access -Timeout 5)
                ($engines | Where-Object Node -eq worker-2).State | Should -BeIn 'Unreachable', 'Timeout'
                ($engines | Where-Object Node -eq worker-2).Error | Should -Match 'worker-2|127\.0\.0\.173'
                @($engines | Where-Object State -eq 'Running').Count | Should -Be 2
            }
            finally {
                & docker --host "unix://$($script:engine.Socket)" exec worker-2 systemctl start ssh.service
            }
        }

        It 'refuses a host whose key changed, naming both fingerprints' {
            $changed = Join-Path $TestDrive 'known_hosts.changed'
            $other = $script:hosts | Where-Object Name -eq cp-1
            # worker-1's entry carries cp-1's key: what a reinstalled or impersonated host looks like.
            $cpKey = (Get-Content $script:knownHosts | Where-Object { $_ -like '`[127.0.0.171`]:2371 *' }) -replace '^\S+', '[127.0.0.172]:2372'
            Set-Content $changed $cpKey
            $result = Get-NodeDocker -Node worker-1 -SshUser cmadmin -SshKeyPath $script:key -KnownHostsPath $changed
            $result.State | Should -Be 'Unreachable'
            $result.Error | Should -Match 'CHANGED'
            $result.Error | Should -Match ([regex]::Escape($other.HostKeyFingerprint))
            $result.Error | Should -Match ([regex]::Escape(($script:hosts | Where-Object Name -eq worker-1).HostKeyFingerprint))
        }

        It 'lets a second admin in through the fingerprint recorded in kube-system' {
            $fresh = Join-Path $TestDrive 'known_hosts.second-admin'
            $result = Get-NodeDocker -Node worker-1 -SshUser cmadmin -SshKeyPath $script:key -KnownHostsPath $fresh
            $result.State | Should -Be 'Running'
            (Get-Content $fresh) -join "`n" | Should -Match '(?m)^\[127\.0\.0\.172\]:2372 ssh-ed25519 '
        }

        It 'reports a missing credential without contacting the host' {
            $env:CLUSTERMANAGEMENT_SSH_KEY_PATH = $null
            $result = Get-NodeDocker -Node worker-1 -SshUser cmadmin -KnownHostsPath $script:knownHosts
            $result.State | Should -Be 'Unreachable'
            $result.Error | Should -Match 'No SSH credential'
        }

        It 'takes the credential from CLUSTERMANAGEMENT_SSH_* variables in a fresh pwsh, as a pipeline would' {
            $script = "Import-Module '$(Get-ModuleUnderTest)'; (Get-NodeDocker -Node worker-1 -KnownHostsPath '$($script:knownHosts)').State"
            $run = Invoke-FreshPwsh -Script $script -Environment @{
                KUBECONFIG = $script:cluster.KubeConfig; CLUSTERMANAGEMENT_SSH_USER = 'cmadmin'; CLUSTERMANAGEMENT_SSH_KEY_PATH = $script:key
            }
            $run.Output.Trim() | Should -Be 'Running'
        }

        It 'leaves the thread pool of the process it runs in as it found it, probing every node at once' {
            # A fresh pwsh: in this one, earlier tests (and module versions that raised the minimum) already ran.
            $script = @"
`$workers = 0; `$ports = 0
[Threading.ThreadPool]::GetMinThreads([ref]`$workers, [ref]`$ports)
Import-Module '$(Get-ModuleUnderTest)'
`$states = (Get-NodeDocker -KnownHostsPath '$($script:knownHosts)').State -join ','
`$afterWorkers = 0; `$afterPorts = 0
[Threading.ThreadPool]::GetMinThreads([ref]`$afterWorkers, [ref]`$afterPorts)
"`$states `$workers/`$ports `$afterWorkers/`$afterPorts"
"@
            $run = Invoke-FreshPwsh -Script $script -Environment @{
                KUBECONFIG = $script:cluster.KubeConfig; CLUSTERMANAGEMENT_SSH_USER = 'cmadmin'; CLUSTERMANAGEMENT_SSH_KEY_PATH = $script:key
            }
            $states, $before, $after = $run.Output.Trim() -split ' '
            $states | Should -Be 'Running,Running,Running' -Because $run.Error
            $after | Should -Be $before
        }
    }

    Context 'Node services' {
        It 'lists kubelet, docker and containerd with their systemd state' {
            $units = @(Get-NodeService -Node worker-1 @script:access)
            $units.Name | Should -Be @('kubelet', 'docker', 'containerd')
            $units | ForEach-Object { $_.ActiveState | Should -Be 'active'; $_.Enabled | Should -Be 'enabled'; $_.MainPid | Should -BeGreaterThan 0 }
            ($units | Where-Object Name -eq docker).Since.Kind | Should -Be 'Utc'
        }

        It 'stops kubelet with a warning and waits for the Node to go NotReady, then starts it and waits for Ready' {
            $stopped = Stop-NodeService -Node worker-1 -Name kubelet @script:access -Wait -Force -Timeout 60 -WarningVariable warned -WarningAction SilentlyContinue
            $stopped.ActiveState | Should -Be 'inactive'
            "$warned" | Should -Match 'NotReady'
            (Get-ClusterNode -Name worker-1).Readiness | Should -Not -Be 'Ready'
            $started = Start-NodeService -Node worker-1 -Name kubelet @script:access -Wait -Force -Timeout 60
            $started.ActiveState | Should -Be 'active'
            (Get-ClusterNode -Name worker-1).Readiness | Should -Be 'Ready'
        }

        It 'restarts a unit on several nodes from the pipeline and reports the new main process' {
            $before = @(Get-NodeService -Node worker-1, worker-2 -Name containerd @script:access)
            $after = @(Get-ClusterNode -Name worker-1, worker-2 | Restart-NodeService -Name containerd @script:access -Force)
            $after.Count | Should -Be 2
            foreach ($unit in $after) {
                $unit.ActiveState | Should -Be 'active'
                $unit.MainPid | Should -Not -Be ($before | Where-Object Node -eq $unit.Node).MainPid
            }
        }

        It 'changes nothing with -WhatIf' {
            $before = (Get-NodeService -Node worker-1 -Name containerd @script:access).MainPid
            Restart-NodeService -Node worker-1 -Name containerd @script:access -WhatIf
            (Get-NodeService -Node worker-1 -Name containerd @script:access).MainPid | Should -Be $before
        }

        It 'names a unit that does not exist' {
            $err = $null
            Start-NodeService -Node worker-1 -Name no-such-unit @script:access -Force -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NodeServiceNotFound*'
        }
    }

    Context 'A kubelet that does not come back from a restart' {
        It 'Restart-NodeService kubelet -Wait fails with NodeNotReady: the Ready condition, the Lease renewal and how long ago the last heartbeat came' {
            try {
                # A flag the kubelet does not know, as after a botched upgrade: it exits 1 and systemd restarts it every 10 s.
                Invoke-Container worker-2 'cp /etc/default/kubelet /root/kubelet.default && sed -i ''s/^KUBELET_EXTRA_ARGS=\(.*\)$/KUBELET_EXTRA_ARGS="\1 --no-such-flag"/'' /etc/default/kubelet && cat /etc/default/kubelet' |
                    Should -Match 'KUBELET_EXTRA_ARGS="--node-ip=127\.0\.0\.173 --no-such-flag"'

                # The old kubelet's status stays Ready for the 30 s grace: the wait must see the new kubelet report, and it never does.
                $null = Restart-NodeService -Node worker-2 -Name kubelet @script:access -Wait -Force -Timeout 50 -ErrorVariable failed -ErrorAction SilentlyContinue

                Invoke-Container worker-2 'journalctl --no-pager -u kubelet -n 40' | Should -Match 'failed to parse kubelet flag: unknown flag: --no-such-flag'
                $failed.Count | Should -Be 1
                $failed[0].FullyQualifiedErrorId | Should -BeLike 'NodeReadinessTimeout,*'
                $lines = "$failed" -split '\r?\n'
                $lines[0] | Should -BeLike 'Node worker-2 did not report Ready from the kubelet running since * within 00:00:50 (it is NotReady).'
                $lines[1] | Should -Match '^Cause: Node worker-2 is Unknown \(NodeStatusUnknown: Kubelet stopped posting node status\.\); its last heartbeat came \d+s ago \('
                $diagnosis = $failed[0].Exception.Diagnosis
                $diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::NodeNotReady)
                $diagnosis.Affected[0].Name | Should -Be 'worker-2'
                $diagnosis.Evidence | Where-Object { $_.Source -eq 'Condition' -and $_.Reason -eq 'NodeStatusUnknown' -and $_.Message -eq 'Ready is Unknown: Kubelet stopped posting node status.' } | Should -Not -BeNullOrEmpty
                $lease = $diagnosis.Evidence | Where-Object Source -eq 'Lease'
                $lease.Message | Should -Match '^kube-node-lease/worker-2 last renewed \d+s ago'
                # The Lease stopped with the old kubelet: its last renewal is older than the grace period.
                ([DateTimeOffset]::UtcNow - $lease.LastSeen).TotalSeconds | Should -BeGreaterThan 30
                $diagnosis.Evidence | Where-Object { $_.Source -eq 'Taint' -and $_.Reason -eq 'node.kubernetes.io/unreachable' } | Should -Not -BeNullOrEmpty
            }
            finally {
                Invoke-Container worker-2 'mv /root/kubelet.default /etc/default/kubelet' | Out-Null
                $script:restored = Restart-NodeService -Node worker-2 -Name kubelet @script:access -Wait -Force -Timeout 60 -ErrorAction Continue
            }
        }

        It 'comes back: Restart-NodeService -Wait returns once the restarted kubelet reports Ready' {
            $script:restored.ActiveState | Should -Be 'active'
            (Get-ClusterNode -Name worker-2).Readiness | Should -Be 'Ready'
        }
    }

    Context 'Backup-ClusterNode' {
        It 'archives the node configuration and package versions with a checksum' {
            $tmpBefore = Invoke-Node worker-1 'ls -A /tmp'
            $backup = Backup-ClusterNode -Node worker-1 -Destination (Join-Path $TestDrive 'backups') @script:access
            $backup.Node | Should -Be 'worker-1'
            $backup.Sha256 | Should -Be (Get-FileHash $backup.Path -Algorithm SHA256).Hash.ToLowerInvariant()
            $backup.Bytes | Should -Be (Get-Item $backup.Path).Length
            $backup.EtcdSnapshot | Should -BeFalse
            $entries = & tar -tzf $backup.Path
            $entries | Should -Contain './host/etc/kubernetes/kubelet.conf'
            $entries | Should -Contain './host/etc/docker/daemon.json'
            $entries | Should -Contain './host/etc/systemd/system/docker.service.d/10-fleet-network.conf'
            $entries | Should -Contain './packages.tsv'
            @($entries | Where-Object { $_ -notmatch '/$' }).Count | Should -Be $backup.Files
            $packages = & tar -xzOf $backup.Path ./packages.tsv
            # "hi": installed and held, as New-ClusterNode left it.
            $packages | Should -Contain "containerd`t$($script:oldContainerd)`thi "
            # Staged in a directory of its own (mktemp -d), removed with everything in it.
            Invoke-Node worker-1 'ls -A /tmp' | Should -Be $tmpBefore
        }

        It 'adds an etcd snapshot on the control-plane node' {
            $backup = Backup-ClusterNode -Node cp-1 -Destination (Join-Path $TestDrive 'backups') -IncludeEtcd @script:access
            $backup.EtcdSnapshot | Should -BeTrue
            & tar -tzf $backup.Path | Should -Contain './etcd/snapshot.db'
        }

        It 'fails clearly with -IncludeEtcd on a node without etcd and leaves no file' {
            $folder = Join-Path $TestDrive 'no-etcd'
            $err = $null
            Backup-ClusterNode -Node worker-1 -Destination $folder -IncludeEtcd @script:access -ErrorVariable err -ErrorAction SilentlyContinue
            "$($err[0])" | Should -Match 'etcd does not run on this node'
            @(Get-ChildItem $folder -ErrorAction SilentlyContinue).Count | Should -Be 0
        }

        It 'keeps the archive private: owner-only folder and file here, umask 077 in a 0700 folder on the node, nothing left there' {
            # A tar in root's PATH ahead of the real one records the archive's and its folder's modes
            # while they exist on the node: the only moment a copy there could leak.
            Invoke-Container worker-1 @'
set -e
cat > /usr/local/bin/tar <<'WRAPPER'
#!/bin/sh
/bin/tar "$@"; rc=$?
for a in "$@"; do case "$a" in *.tar.gz) stat -c '%a %U %n' "$a" "$(dirname "$a")" > /root/backup-observed;; esac; done
exit $rc
WRAPPER
chmod 0755 /usr/local/bin/tar
rm -f /root/backup-observed
'@ | Out-Null
            try {
                $parent = Join-Path $TestDrive 'private'
                $backup = Backup-ClusterNode -Node worker-1 -Destination (Join-Path $parent 'backups') @script:access
                $observed = @((Invoke-Container worker-1 'cat /root/backup-observed') -split "`n")
            }
            finally {
                Invoke-Container worker-1 'rm -f /usr/local/bin/tar /root/backup-observed' | Out-Null
            }

            & stat -c '%a' $backup.Path | Should -Be '600'
            & stat -c '%a' (Split-Path $backup.Path) | Should -Be '700'
            & stat -c '%a' $parent | Should -Be '700'
            $observed.Count | Should -Be 2 -Because 'the wrapper saw the archive being written'
            $observed[0] | Should -Match '^600 root /tmp/clustermanagement-backup\.\w{10}/backup\.tar\.gz$'
            $observed[1] | Should -Match '^700 root /tmp/clustermanagement-backup\.\w{10}$'
            $stage = ($observed[1] -split ' ')[2]
            Invoke-Container worker-1 "test -e $stage && echo present || echo gone" | Should -Be 'gone'
            @(Get-ChildItem (Split-Path $backup.Path) -Force).Name | Should -Be @(Split-Path $backup.Path -Leaf)
        }

        It 'keeps nothing here and removes the node copy when the download does not match the node checksum' {
            # The node reports a checksum the bytes cannot have: what a truncated or altered stream looks like.
            Invoke-Container worker-1 @'
set -e
printf '#!/bin/sh\necho "%064d  $1"\n' 0 > /usr/local/bin/sha256sum
chmod 0755 /usr/local/bin/sha256sum
'@ | Out-Null
            try {
                $folder = Join-Path $TestDrive 'unverified'
                $err = $null
                Backup-ClusterNode -Node worker-1 -Destination $folder @script:access -ErrorVariable err -ErrorAction SilentlyContinue
            }
            finally {
                Invoke-Container worker-1 'rm -f /usr/local/bin/sha256sum' | Out-Null
            }

            $err[0].FullyQualifiedErrorId | Should -BeLike 'BackupChecksumMismatch*'
            "$($err[0])" | Should -Match 'node: 0{64}, received: [0-9a-f]{64}'
            @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue).Count | Should -Be 0
            Invoke-Container worker-1 'ls /tmp | grep -c clustermanagement-backup || true' | Should -Be '0'
        }
    }

    Context 'A host whose key changed after it joined' {
        BeforeAll {
            $script:victim = $script:hosts | Where-Object Name -eq worker-2
            # The joined key is kept aside on the node and put back in AfterAll, so later Contexts reach worker-2 as before.
            Invoke-Container worker-2 @'
set -e
mkdir -p /root/joined-key
cp -a /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub /root/joined-key/
rm -f /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub
ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key
systemctl restart ssh.service
'@ | Out-Null
            $script:presented = (-split (Invoke-Container worker-2 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'))[1]

            function Get-HostState {
                # What the node and the cluster say, read without the module (docker exec and the API).
                [pscustomobject]@{
                    Units    = Invoke-Container worker-2 'systemctl show -p MainPID -p ActiveState kubelet docker containerd'
                    Packages = Invoke-Container worker-2 "dpkg-query -W -f '`${Package} `${Version} `${db:Status-Abbrev}\n' docker.io containerd kubelet kubeadm"
                    Networks = Invoke-Container worker-2 "docker network ls --format '{{.Name}}'"
                    Route    = Invoke-Container worker-2 'ip route show 198.18.250.0/24'
                    Staged   = Invoke-Container worker-2 'ls /tmp | grep -c clustermanagement-backup || true'
                    Kubeadm  = Invoke-Container worker-2 'ls /etc/kubernetes'
                    Node     = Get-ClusterNode -Name worker-2 | Select-Object Name, Unschedulable, Readiness | ConvertTo-Json -Compress
                } | ConvertTo-Json
            }
            $script:before = Get-HostState
        }

        AfterAll {
            Invoke-Container worker-2 'cp -a /root/joined-key/. /etc/ssh/ && rm -rf /root/joined-key && systemctl restart ssh.service' | Out-Null
        }

        It 'refuses <Command> with the expected and the presented fingerprint' -ForEach @(
            @{ Command = 'Get-NodeDocker -Node worker-2' }
            @{ Command = 'Get-NodeService -Node worker-2' }
            @{ Command = 'Start-NodeService -Node worker-2 -Name containerd -Force' }
            @{ Command = 'Stop-NodeService -Node worker-2 -Name containerd -Force' }
            @{ Command = 'Restart-NodeService -Node worker-2 -Name containerd -Force' }
            @{ Command = 'Backup-ClusterNode -Node worker-2 -Destination (Join-Path $TestDrive refused-backups)' }
            @{ Command = 'Backup-ClusterNode -Node worker-2 -Destination (Join-Path $TestDrive refused-backups) -IncludeEtcd' }
            @{ Command = 'Update-NodeDocker -Node worker-2 -Version latest -ContainerdVersion 1.6.20~ds1-1+deb12u3 -SkipDrain -Force' }
            @{ Command = 'Remove-ClusterNode -Name worker-2 -Force' }
            @{ Command = 'Get-NodeRoute -Node worker-2' }
            @{ Command = 'Add-NodeRoute -Node worker-2 -Destination 198.18.250.0/24 -Gateway 198.18.250.1' }
            @{ Command = 'Remove-NodeRoute -Node worker-2 -Destination 198.18.250.0/24 -Force' }
            @{ Command = 'Get-NodeNetwork -Node worker-2' }
            @{ Command = "New-NodeNetwork -Node worker-2 -Name refused -Subnet 198.18.251.0/24 -Option @{ 'com.docker.network.bridge.enable_ip_masquerade' = 'false' }" }
            @{ Command = 'Remove-NodeNetwork -Node worker-2 -Name bridge -Force' }
        ) {
            $access = $script:access
            $err = $null
            # Some cmdlets report per node and go on, some stop the whole run (Update-NodeDocker plans all nodes first).
            $out = try { . ([scriptblock]::Create("$Command @access -ErrorVariable err -ErrorAction SilentlyContinue")) } catch { $err = @($_) }
            $text = (@($err | ForEach-Object { "$_" }) + @($out | Where-Object { $_.PSObject.Properties['Error'] } | ForEach-Object Error)) -join "`n"
            $text | Should -Match 'CHANGED'
            $text | Should -Match ([regex]::Escape($script:victim.HostKeyFingerprint))
            $text | Should -Match ([regex]::Escape($script:presented))
        }

        It 'changed nothing on the node or in the cluster, and wrote no backup' {
            Get-HostState | Should -Be $script:before
            Test-Path (Join-Path $TestDrive 'refused-backups') | Should -BeFalse
        }
    }
    Context 'Update-NodeDocker' {
        It 'plans batches with -WhatIf from the versions read on each node, changing nothing' {
            $text = Invoke-WhatIf "Update-NodeDocker -Node worker-1, worker-2 -Version latest -ContainerdVersion 1.6.20~ds1-1+deb12u3 -MaxUnavailable 1 -SkipDrain -KnownHostsPath '$script:knownHosts' -WhatIf"
            $text | Should -Match '(?s)Batch 1 of 2: cordon, upgrade the engine \(docker.io [^,]+, containerd 1\.6\.20~ds1-1\+deb12u2 -> docker.io [^,]+, containerd 1\.6\.20~ds1-1\+deb12u3\).*worker-1'
            $text | Should -Match 'Batch 2 of 2'
            (Get-NodeDocker -Node worker-1 @script:access).ContainerdBuild | Should -Be $script:oldContainerd
        }

        It 'refuses a version one node lacks before any node changes' {
            $err = { Update-NodeDocker -Node worker-1, worker-2 -Version latest -ContainerdVersion 9.9 -SkipDrain -Force @script:access } | Should -Throw -PassThru
            "$err" | Should -Match 'containerd 9.9 is not available.*Available: 1\.6\.20~ds1-1\+deb12u3, 1\.6\.20~ds1-1\+deb12u2'
            (Get-ClusterNode -Name worker-1, worker-2).Unschedulable | Should -Be @($false, $false)
        }

        It 'upgrades containerd on two nodes in one batch, verified through the Engine API, and uncordons them' {
            $results = @(Get-ClusterNode -Name worker-1, worker-2 | Update-NodeDocker -Version latest -ContainerdVersion 1.6.20~ds1-1+deb12u3 -MaxUnavailable 2 -SkipDrain -Force @script:access)
            $results.Status | Should -Be @('Upgraded', 'Upgraded')
            $results.Batch | Should -Be @(1, 1)
            $results[0].From | Should -Match 'containerd 1\.6\.20~ds1-1\+deb12u2'
            $results[0].To | Should -Match 'containerd 1\.6\.20~ds1-1\+deb12u3'
            (Get-NodeDocker -Node worker-1, worker-2 @script:access).ContainerdBuild | Should -Be @('1.6.20~ds1-1+deb12u3', '1.6.20~ds1-1+deb12u3')
            (Get-ClusterNode -Name worker-1, worker-2).Unschedulable | Should -Be @($false, $false)
            Invoke-Node worker-1 'apt-mark showhold' | Should -Match '(?m)^containerd$'
        }

        It 'reports nodes already at the target as Current without touching them' {
            $mainPid = (Get-NodeService -Node worker-1 -Name docker @script:access).MainPid
            (Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion 1.6.20~ds1-1+deb12u3 -SkipDrain -Force @script:access).Status | Should -Be 'Current'
            (Get-NodeService -Node worker-1 -Name docker @script:access).MainPid | Should -Be $mainPid
        }

        It 'stops before the next batch when the engine fails to start, leaving the node cordoned with its journal' {
            Invoke-Node worker-2 'sudo -n cp /etc/docker/daemon.json /etc/docker/daemon.json.good; echo ''{"no-such-option": true}'' | sudo -n tee /etc/docker/daemon.json >/dev/null' | Out-Null
            try {
                # The stopped rollout is a terminating error; the per-node results come before it.
                $results = [Collections.Generic.List[object]]::new()
                $err = $null
                try {
                    Update-NodeDocker -Node worker-2, worker-1 -Version latest -ContainerdVersion $script:oldContainerd -MaxUnavailable 1 -SkipDrain -Force @script:access -ErrorAction SilentlyContinue |
                        ForEach-Object { $results.Add($_) }
                }
                catch { $err = $_ }
                ($results | Where-Object Node -eq worker-2).Status | Should -Be 'Failed'
                ($results | Where-Object Node -eq worker-1).Status | Should -Be 'NotStarted'
                "$err" | Should -Match 'stopped after batch 1'
                "$err" | Should -Match 'Last journal lines of docker.service'
                "$err" | Should -Match 'no-such-option'
                (Get-ClusterNode -Name worker-2).Unschedulable | Should -BeTrue
                (Get-ClusterNode -Name worker-2).Annotations['clustermanagement.io/engine-upgrade-cordoned'] | Should -Not -BeNullOrEmpty
                (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse
            }
            finally {
                Invoke-Node worker-2 'sudo -n cp /etc/docker/daemon.json.good /etc/docker/daemon.json' | Out-Null
            }

            $again = @(Update-NodeDocker -Node worker-2, worker-1 -Version latest -ContainerdVersion $script:oldContainerd -MaxUnavailable 1 -SkipDrain -Force @script:access)
            # worker-2's packages were already at the target; the re-run finishes it because of its marker.
            $again.Status | Should -Be @('Upgraded', 'Upgraded')
            (Get-ClusterNode -Name worker-2).Unschedulable | Should -BeFalse
            (Get-ClusterNode -Name worker-2).Annotations.ContainsKey('clustermanagement.io/engine-upgrade-cordoned') | Should -BeFalse
        }

        It 'leaves a node that someone else had cordoned cordoned after its upgrade' {
            Suspend-ClusterNode -Name worker-1 -Confirm:$false | Out-Null
            try {
                (Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion 1.6.20~ds1-1+deb12u3 -SkipDrain -Force @script:access).Status | Should -Be 'Upgraded'
                (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeTrue
                (Get-NodeDocker -Node worker-1 @script:access).ContainerdBuild | Should -Be '1.6.20~ds1-1+deb12u3'
            }
            finally {
                Resume-ClusterNode -Name worker-1 -Confirm:$false | Out-Null
            }
        }

        It 'downloads the packages while the node still serves: a refused cordon finds them in its apt cache with nothing installed; the re-run reports the time out of service' {
            $target = if ((Invoke-Node worker-1 "dpkg-query -W -f '`${Version}' containerd") -eq $script:oldContainerd) { '1.6.20~ds1-1+deb12u3' } else { $script:oldContainerd }
            $deb = "/var/cache/apt/archives/containerd_$($target)_*.deb"
            Invoke-Node worker-1 "sudo -n apt-get clean; ls $deb 2>/dev/null || echo none" | Should -Be 'none'
            # The API server refuses the cordon: whatever the module did on the node before it, it did before the cordon.
            $fault = Invoke-EmulatorControl -Cluster $script:cluster -Method POST -Path faults -Body @{ method = 'PATCH'; path = '/api/v1/nodes/worker-1'; statusCode = 403; message = 'cordon refused by the test'; times = 100 }
            try {
                $results = [Collections.Generic.List[object]]::new()
                $err = $null
                try {
                    Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion $target -SkipDrain -Force @script:access | ForEach-Object { $results.Add($_) }
                }
                catch { $err = $_ }
                $hits = (Invoke-EmulatorControl -Cluster $script:cluster -Path "faults/$($fault.id)").hits
            }
            finally {
                Invoke-EmulatorControl -Cluster $script:cluster -Method DELETE -Path faults | Out-Null
            }

            $hits | Should -BeGreaterThan 0 -Because 'the API server refused the cordon'
            $results.Status | Should -Be 'Failed'
            "$err" | Should -Match 'cordon refused by the test'
            Invoke-Node worker-1 "ls $deb" | Should -Match "containerd_$([regex]::Escape($target))_" -Because 'the package was downloaded before the cordon was asked for'
            Invoke-Node worker-1 "dpkg-query -W -f '`${Version}' containerd" | Should -Not -Be $target
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse

            $result = Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion $target -SkipDrain -Force @script:access
            $result.Status | Should -Be 'Upgraded'
            $unavailable = [Xml.XmlConvert]::ToTimeSpan($result.UnavailableFor)
            $unavailable | Should -BeGreaterThan ([TimeSpan]::Zero)
            $unavailable | Should -BeLessOrEqual ([Xml.XmlConvert]::ToTimeSpan($result.Duration))
            ($result | Format-List | Out-String) | Should -Match 'UnavailableFor : \d+s'
        }

        It 'fails a node whose download fails before its cordon, with apt''s error; the rest of its batch is upgraded, the next batch not started' {
            $target = if ((Invoke-Node worker-1 "dpkg-query -W -f '`${Version}' containerd") -eq $script:oldContainerd) { '1.6.20~ds1-1+deb12u3' } else { $script:oldContainerd }
            $before = Invoke-Node worker-1 "dpkg-query -W -f '`${Version}' containerd"
            # apt fetches into archives/partial: a file in its place fails the download and nothing else (the lists have their own).
            Invoke-Container worker-1 'apt-get clean; rm -rf /var/cache/apt/archives/partial; touch /var/cache/apt/archives/partial' | Out-Null
            try {
                $results = [Collections.Generic.List[object]]::new()
                $err = $null
                try {
                    Update-NodeDocker -Node worker-1, worker-2, cp-1 -Version latest -ContainerdVersion $target -MaxUnavailable 2 -SkipDrain -Force @script:access | ForEach-Object { $results.Add($_) }
                }
                catch { $err = $_ }
            }
            finally {
                Invoke-Container worker-1 'rm -f /var/cache/apt/archives/partial; install -d -o _apt -g root -m 0700 /var/cache/apt/archives/partial' | Out-Null
            }

            $failed = $results | Where-Object Node -eq worker-1
            $failed.Status | Should -Be 'Failed'
            $failed.Error | Should -Match 'Downloading (\S+=\S+ )*containerd=\S+ failed on worker-1; nothing was installed'
            $failed.Error | Should -Match '/var/cache/apt/archives/partial' -Because "apt's own error names what failed"
            $failed.Error | Should -Match 'worker-1 was not cordoned'
            $failed.UnavailableFor | Should -BeNullOrEmpty
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse
            (Get-ClusterNode -Name worker-1).Annotations.ContainsKey('clustermanagement.io/engine-upgrade-cordoned') | Should -BeFalse
            Invoke-Node worker-1 "dpkg-query -W -f '`${Version}' containerd" | Should -Be $before
            ($results | Where-Object Node -eq worker-2).Status | Should -BeIn 'Upgraded', 'Current'
            ($results | Where-Object Node -eq cp-1).Status | Should -Be 'NotStarted'
            "$err" | Should -Match 'Done: worker-2; failed: worker-1; not started: cp-1\.'
        }

        It 'converges when a re-run follows a connection dropped mid-upgrade' {
            # dpkg interrupted half-way is what a dropped session leaves behind.
            Invoke-Node worker-1 "cd /tmp && apt-get download -q containerd=1.6.20~ds1-1+deb12u2 >/dev/null 2>&1 && sudo -n dpkg --unpack /tmp/containerd_1.6.20~ds1-1+deb12u2_*.deb >/dev/null 2>&1; dpkg-query -W -f '`${db:Status-Abbrev}' containerd" | Should -Match '^iU'
            $result = Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion $script:oldContainerd -SkipDrain -Force @script:access
            $result.Status | Should -BeIn 'Upgraded', 'Current'
            # "hi": fully installed again, and held.
            Invoke-Node worker-1 "dpkg-query -W -f '`${db:Status-Abbrev}' containerd" | Should -Match '^hi'
            (Get-NodeDocker -Node worker-1 @script:access).ContainerdBuild | Should -Be $script:oldContainerd
        }
    }

    Context 'Node-host faults' {
        # Issue 15, items 1 (node part), 5, 6 and 7: faults injected on the fleet while the module works,
        # each checked against what the node and the cluster say afterwards, read without the module.
        BeforeAll {
            $script:newContainerd = '1.6.20~ds1-1+deb12u3'

            function Get-Containerd {
                param([string]$Name)
                Invoke-Container $Name "dpkg-query -W -f '`${Version} `${db:Status-Abbrev}' containerd"
            }

            # The containerd version a node does not have: every upgrade below changes something.
            function Get-OtherContainerd {
                param([string]$Name)
                if ((Get-Containerd $Name) -like "$script:oldContainerd *") { $script:newContainerd } else { $script:oldContainerd }
            }

            function Wait-NodeFile {
                param([string]$Name, [string]$Path, [int]$TimeoutSec = 120)
                $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
                while ((Invoke-Container $Name "test -e $Path && echo yes") -ne 'yes') {
                    if ([DateTime]::UtcNow -gt $deadline) { throw "$Path did not appear on $Name within $TimeoutSec s." }
                    Start-Sleep -Milliseconds 300
                }
            }

            # The module in a pwsh of its own, so the test can break things on the node while it works.
            $script:moduleRun = Join-Path $TestDrive 'module-run.ps1'
            Set-Content $script:moduleRun @'
param([string]$Module, [string]$Command, [string]$Key, [string]$KnownHosts)
Import-Module $Module
$access = @{ SshUser = 'cmadmin'; SshKeyPath = $Key; KnownHostsPath = $KnownHosts }
$output = [Collections.Generic.List[object]]::new()
$verbose = [Collections.Generic.List[string]]::new()
$failure = $null
try {
    & ([scriptblock]::Create("$Command @access -Verbose -ErrorAction Stop")) 4>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose.Add($_.Message) } else { $output.Add($_) }
    }
}
catch { $failure = $_ }
[pscustomobject]@{ Output = @($output); Verbose = @($verbose); Error = "$failure"; ErrorId = "$($failure.FullyQualifiedErrorId)" } | ConvertTo-Json -Depth 4 -Compress -EnumsAsStrings
'@

            function Start-ModuleRun {
                param([string]$Command, [string]$Runner = $script:moduleRun, [string[]]$ExtraArgument = @())
                Start-NodeModuleRun -Runner $Runner -Command $Command -KubeConfig $script:cluster.KubeConfig -KeyPath $script:key -KnownHostsPath $script:knownHosts -ExtraArgument $ExtraArgument
            }

            function Wait-ModuleRun {
                param($Run, [int]$TimeoutSec = 180)
                if (-not $Run.Process.WaitForExit($TimeoutSec * 1000)) {
                    $Run.Process.Kill($true)
                    throw "The module run did not end within $TimeoutSec s."
                }
                $text = $Run.Output.Result
                $last = @($text -split "`n" | Where-Object { $_ -match '^\{' })[-1]
                if (-not $last) { throw "The module run printed no outcome. stdout: $text stderr: $($Run.Error.Result)" }
                $last | ConvertFrom-Json
            }

            # A real apt run holds the frontend lock (fcntl, as apt and dpkg take it) while its pre-invoke hook
            # sleeps. It reinstalls the installed kubeadm from the fleet's local repository: nothing to download or upgrade.
            function Start-AptHolder {
                param([string]$Name, [int]$Seconds)
                Invoke-Container $Name "rm -f /root/holder.pgid; setsid sh -c 'echo `$`$ > /root/holder.pgid; exec apt-get install -y -q --reinstall --allow-change-held-packages -o DPkg::Pre-Invoke::=""sleep $Seconds"" kubeadm=`$(dpkg-query -W -f \`${Version} kubeadm)' >/root/holder.log 2>&1 </dev/null &" | Out-Null
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                $probe = 'grep -q ":$(stat -c %i /var/lib/dpkg/lock-frontend) " /proc/locks && pgrep -f "^sleep ' + $Seconds + '$" >/dev/null && echo held'
                while ((Invoke-Container $Name $probe) -ne 'held') {
                    if ([DateTime]::UtcNow -gt $deadline) { throw "The apt run on $Name did not take the lock: $(Invoke-Container $Name 'cat /root/holder.log')" }
                    Start-Sleep -Milliseconds 300
                }
            }

            # dpkg's post-invoke hook, once apt's unpack of containerd is done: it tells the test (/root/dpkg-unpacked)
            # and waits, so whatever the test does next lands between unpack and configure.
            function Set-UnpackPause {
                param([string]$Name, [int]$Seconds)
                Invoke-Container $Name @"
set -e
rm -f /root/dpkg-unpacked
cat > /usr/local/sbin/fault-unpack-pause <<'HOOK'
#!/bin/sh
if [ ! -e /root/dpkg-unpacked ] && dpkg-query -W -f '`${db:Status-Abbrev}' containerd | grep -q '^.U'; then
  touch /root/dpkg-unpacked; sleep $Seconds
fi
HOOK
chmod 0755 /usr/local/sbin/fault-unpack-pause
echo 'post-invoke=/usr/local/sbin/fault-unpack-pause' > /etc/dpkg/dpkg.cfg.d/zz-fault-unpack-pause
"@ | Out-Null
            }

            function Clear-UnpackPause {
                param([string]$Name)
                Invoke-Container $Name 'rm -f /etc/dpkg/dpkg.cfg.d/zz-fault-unpack-pause /usr/local/sbin/fault-unpack-pause /root/dpkg-unpacked' | Out-Null
            }

            # tar in root's PATH ahead of the real one: it archives, tells the test (/root/tar-done), and waits.
            function Set-SlowTar {
                param([string]$Name, [int]$Seconds)
                Invoke-Container $Name @"
set -e
rm -f /root/tar-done
cat > /usr/local/bin/tar <<'WRAPPER'
#!/bin/sh
/bin/tar "`$@"; rc=`$?
touch /root/tar-done; sleep $Seconds
exit `$rc
WRAPPER
chmod 0755 /usr/local/bin/tar
"@ | Out-Null
            }

            function Clear-SlowTar {
                param([string]$Name)
                Invoke-Container $Name 'rm -f /usr/local/bin/tar /root/tar-done' | Out-Null
            }

            function Stop-AptHolder {
                param([string]$Name)
                Invoke-Container $Name 'if [ -s /root/holder.pgid ]; then pkill -KILL -g "$(cat /root/holder.pgid)"; fi; rm -f /root/holder.pgid; true' | Out-Null
            }
        }

        # A test that failed half-way must not hand its leftovers to the next: its module run, a lock holder, a cordon.
        AfterEach {
            if ($script:run -and -not $script:run.Process.HasExited) { $script:run.Process.Kill($true) }
            $script:run = $null
            Stop-AptHolder worker-1
            Get-ClusterNode -Name worker-1, worker-2, cp-1 | Where-Object Unschedulable | ForEach-Object { Resume-ClusterNode -Name $_.Name -Confirm:$false | Out-Null }
        }

        It 'leaves a host SSH cannot reach out of Update-NodeDocker with the reason, upgrades the others, then fails the run' {
            $target = Get-OtherContainerd worker-1
            Invoke-Container worker-2 'systemctl stop ssh.service' | Out-Null
            try {
                $results = [Collections.Generic.List[object]]::new()
                $err = $null
                try {
                    Update-NodeDocker -Node worker-2, worker-1 -Version latest -ContainerdVersion $target -MaxUnavailable 1 -SkipDrain -Force @script:access -WarningAction SilentlyContinue |
                        ForEach-Object { $results.Add($_) }
                }
                catch { $err = $_ }
            }
            finally {
                Invoke-Container worker-2 'systemctl start ssh.service' | Out-Null
            }

            $results.Count | Should -Be 2
            $left = $results | Where-Object Node -eq worker-2
            $left.Status | Should -Be 'Failed'
            $left.Batch | Should -Be 0
            $left.Error | Should -Match '127\.0\.0\.173.*Nothing was changed on it'
            ($results | Where-Object Node -eq worker-1).Status | Should -Be 'Upgraded'
            $err.FullyQualifiedErrorId | Should -BeLike 'NodeUnreachable*'
            "$err" | Should -Match 'left out 1 node'
            (Get-ClusterNode -Name worker-1, worker-2).Unschedulable | Should -Be @($false, $false)
            Get-Containerd worker-1 | Should -BeLike "$target *"
        }

        It 'backs up every node it reaches and reports the one it cannot' {
            $folder = Join-Path $TestDrive 'partly-reachable'
            Invoke-Container worker-2 'systemctl stop ssh.service' | Out-Null
            try {
                $err = $null
                $backups = @(Backup-ClusterNode -Node worker-2, worker-1 -Destination $folder @script:access -ErrorVariable err -ErrorAction SilentlyContinue)
            }
            finally {
                Invoke-Container worker-2 'systemctl start ssh.service' | Out-Null
            }

            $backups.Node | Should -Be @('worker-1')
            Test-Path $backups[0].Path | Should -BeTrue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NodeUnreachable*'
            "$($err[0])" | Should -Match '127\.0\.0\.173'
        }

        It 'stops before the next batch when an engine fails to start inside a batch of two: the batch finishes, the next is NotStarted' {
            $target = Get-OtherContainerd worker-2
            $cpBefore = Get-Containerd cp-1
            Invoke-Node worker-2 'sudo -n cp /etc/docker/daemon.json /etc/docker/daemon.json.good; echo ''{"no-such-option": true}'' | sudo -n tee /etc/docker/daemon.json >/dev/null' | Out-Null
            try {
                $results = [Collections.Generic.List[object]]::new()
                $err = $null
                try {
                    Update-NodeDocker -Node worker-2, worker-1, cp-1 -Version latest -ContainerdVersion $target -MaxUnavailable 2 -SkipDrain -Force @script:access |
                        ForEach-Object { $results.Add($_) }
                }
                catch { $err = $_ }
            }
            finally {
                Invoke-Node worker-2 'sudo -n cp /etc/docker/daemon.json.good /etc/docker/daemon.json' | Out-Null
            }

            ($results | ForEach-Object { "$($_.Node) $($_.Batch) $($_.Status)" }) | Should -Be @("worker-2 1 Failed", "worker-1 1 $(($results | Where-Object Node -eq worker-1).Status)", 'cp-1 2 NotStarted')
            ($results | Where-Object Node -eq worker-1).Status | Should -BeIn 'Upgraded', 'Current'
            "$err" | Should -Match 'stopped after batch 1'
            "$err" | Should -Match '(?s)Last journal lines of docker.service.*no-such-option'
            "$err" | Should -Match 'worker-2 stays cordoned'
            "$err" | Should -Match 'Done: worker-1; failed: worker-2; not started: cp-1\.'
            (Get-ClusterNode -Name worker-2, worker-1, cp-1).Unschedulable | Should -Be @($true, $false, $false)
            Get-Containerd cp-1 | Should -Be $cpBefore

            (Update-NodeDocker -Node worker-2 -Version latest -ContainerdVersion $target -SkipDrain -Force @script:access).Status | Should -Be 'Upgraded'
            (Get-ClusterNode -Name worker-2).Unschedulable | Should -BeFalse
        }

        It 'waits for a package lock another apt run holds within the node budget, then fails naming the holder, with nothing installed' {
            $before = Get-Containerd worker-1
            $target = Get-OtherContainerd worker-1
            try {
                Start-AptHolder worker-1 -Seconds 97
                $results = [Collections.Generic.List[object]]::new()
                $err = $null
                $clock = [Diagnostics.Stopwatch]::StartNew()
                try {
                    Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion $target -SkipDrain -Force -Timeout 45 @script:access | ForEach-Object { $results.Add($_) }
                }
                catch { $err = $_ }
                $clock.Stop()
                $stillHeld = Invoke-Container worker-1 'pgrep -f "^sleep 97$" >/dev/null && echo held'
            }
            finally {
                Stop-AptHolder worker-1
            }

            $stillHeld | Should -Be 'held' -Because 'the holder outlived the wait'
            Invoke-Container worker-1 'pgrep -f "^sleep 97$" || echo gone' | Should -Be 'gone' -Because 'the holder was ended before the re-run'
            $results.Status | Should -Be 'Failed'
            $err.FullyQualifiedErrorId | Should -BeLike 'PackageLockBusy*'
            "$err" | Should -Match '/var/lib/dpkg/lock-frontend: pid \d+ \(apt-get install -y -q --reinstall --allow-change-held-packages -o DPkg::Pre-Invoke::=sleep 97 kubeadm=\S+\)'
            "$err" | Should -Match 'nothing was installed'
            "$err" | Should -Match 'worker-1 was not cordoned' -Because 'the download before the cordon waited for the lock'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 45
            Get-Containerd worker-1 | Should -Be $before
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse

            (Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion $target -SkipDrain -Force @script:access).Status | Should -Be 'Upgraded'
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse
        }

        It 'reports a connection dropped in the middle of apt-get install as Failed and cordoned; the re-run completes the interrupted dpkg run' {
            $target = Get-OtherContainerd worker-1
            Set-UnpackPause worker-1 -Seconds 47
            try {
                $script:run = Start-ModuleRun "Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion '$target' -SkipDrain -Force -Timeout 150"
                Wait-NodeFile worker-1 /root/dpkg-unpacked
                # The module's session and the commands under it end together, as when the node's sshd dies with its sessions.
                Invoke-Container worker-1 "pkill -KILL -f '^sshd: cmadmin'; pkill -KILL -x apt-get; pkill -KILL -x dpkg; pkill -KILL -f '^sleep 47$'; true" | Out-Null
                $outcome = Wait-ModuleRun $script:run
            }
            finally {
                Clear-UnpackPause worker-1
            }

            $outcome.Output.Status | Should -Be 'Failed'
            $outcome.ErrorId | Should -BeLike 'NodeConnectionLost*'
            $outcome.Error | Should -Match "lost while installing .*containerd=$([regex]::Escape($target)).*the install may be half-done"
            $outcome.Error | Should -Match 'worker-1 stays cordoned'
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeTrue
            # Unpacked, not configured: dpkg really was cut off half-way.
            Get-Containerd worker-1 | Should -Match '^\S+ .U'

            $again = Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion $target -SkipDrain -Force @script:access
            $again.Status | Should -Be 'Upgraded'
            Get-Containerd worker-1 | Should -Match "^$([regex]::Escape($target)) hi"
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse
            (Get-NodeDocker -Node worker-1 @script:access).ContainerdBuild | Should -Be $target
        }

        It 'reports an sshd restart in the middle of Backup-ClusterNode, keeps no partial file and removes the node copy over a new connection' {
            Set-SlowTar worker-1 -Seconds 43
            $folder = Join-Path $TestDrive 'sshd-restarted'
            try {
                $script:run = Start-ModuleRun "Backup-ClusterNode -Node worker-1 -Destination '$folder'"
                Wait-NodeFile worker-1 /root/tar-done
                Invoke-Container worker-1 "pkill -KILL -f '^sshd: cmadmin'; systemctl restart ssh.service; pkill -KILL -f '^sleep 43$'; true" | Out-Null
                $outcome = Wait-ModuleRun $script:run
            }
            finally {
                Clear-SlowTar worker-1
            }

            $outcome.ErrorId | Should -BeLike 'NodeConnectionLost*'
            $outcome.Error | Should -Match '127\.0\.0\.172.* was lost while running'
            $outcome.Verbose -join "`n" | Should -Match 'the connection was lost during the backup; removed /tmp/clustermanagement-backup\.\w{10} over a new one'
            @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue).Count | Should -Be 0
            Invoke-Container worker-1 'ls /tmp | grep -c clustermanagement-backup || true' | Should -Be '0'

            $backup = Backup-ClusterNode -Node worker-1 -Destination $folder @script:access
            Test-Path $backup.Path | Should -BeTrue
        }

        It 'survives 10 s without the API server in the middle of Update-NodeDocker: every node gets a result, none is left cordoned unreported' {
            $target = Get-OtherContainerd cp-1
            # dpkg's post-invoke hook tells the test once cp-1's containerd is configured at the target: the
            # outage then starts while the module restarts and verifies the engine, before it uncordons.
            Invoke-Container cp-1 "echo '$target' > /root/fault-target" | Out-Null
            Invoke-Container cp-1 @'
set -e
rm -f /root/containerd-configured
cat > /usr/local/sbin/fault-configured-hook <<'HOOK'
#!/bin/sh
if dpkg-query -W -f '${Version} ${db:Status-Abbrev}' containerd | grep -q "^$(cat /root/fault-target) [hi]i"; then touch /root/containerd-configured; fi
HOOK
chmod 0755 /usr/local/sbin/fault-configured-hook
echo 'post-invoke=/usr/local/sbin/fault-configured-hook' > /etc/dpkg/dpkg.cfg.d/zz-fault-configured
'@ | Out-Null
            try {
                $script:run = Start-ModuleRun "Update-NodeDocker -Node cp-1, worker-1 -Version latest -ContainerdVersion '$target' -MaxUnavailable 1 -SkipDrain -Force -Timeout 150"
                Wait-NodeFile cp-1 /root/containerd-configured
                foreach ($path in '/api/*', '/apis/*') {
                    Invoke-EmulatorControl -Cluster $script:cluster -Method POST -Path faults -Body @{ path = $path; abort = $true; times = 100000 } | Out-Null
                }
                Start-Sleep -Seconds 10
                $fired = @(Invoke-EmulatorControl -Cluster $script:cluster -Path faults | Where-Object { $_.remaining -lt 100000 })
            }
            finally {
                Invoke-EmulatorControl -Cluster $script:cluster -Method DELETE -Path faults | Out-Null
                Invoke-Container cp-1 'rm -f /etc/dpkg/dpkg.cfg.d/zz-fault-configured /usr/local/sbin/fault-configured-hook /root/containerd-configured /root/fault-target' | Out-Null
            }
            $outcome = Wait-ModuleRun $script:run

            $fired.Count | Should -BeGreaterThan 0 -Because 'the outage refused requests'
            @($outcome.Output.Node) | Sort-Object | Should -Be @('cp-1', 'worker-1')
            foreach ($node in Get-ClusterNode -Name cp-1, worker-1) {
                $result = $outcome.Output | Where-Object Node -eq $node.Name
                if ($node.Unschedulable) {
                    $result.Status | Should -Be 'Failed'
                    $result.Error | Should -Match "$($node.Name)\b.*(stays|may be left) cordoned"
                }
                else {
                    $result.Status | Should -BeIn 'Upgraded', 'Current', 'NotStarted'
                }
            }
            if ($outcome.Error) { $outcome.Error | Should -Match 'Done: .*; failed: .*; not started: ' }
            else { $outcome.Output.Status | Should -Not -Contain 'Failed' }

            # Whatever the outage left, a re-run finishes it.
            $again = @(Update-NodeDocker -Node cp-1, worker-1 -Version latest -ContainerdVersion $target -SkipDrain -Force @script:access)
            $again.Status | Should -Not -Contain 'Failed'
            (Get-ClusterNode -Name cp-1, worker-1).Unschedulable | Should -Be @($false, $false)
        }

        Context 'Ctrl+C on node hosts' {
            # Issue 15, item 8 on the fleet: each cmdlet runs in a runspace of a fresh pwsh whose console host
            # shows the warnings written after the stop; the test stops it (PowerShell.Stop() is what Ctrl+C does)
            # once the node shows it is genuinely mid-way, then counts the module user's sshd sessions on the node
            # while that pwsh still lives, so a connection the stopped cmdlet kept open would still be counted.
            BeforeAll {
                function Get-SshSessionCount {
                    param([string]$Name)
                    [int](Invoke-Container $Name "pgrep -c -f '^sshd: cmadmin' || true")
                }

                function Invoke-StoppedOnNode {
                    param([string]$Name, [string]$Command, [scriptblock]$Midway)
                    Invoke-StoppedNodeRun -Node $Name -Command $Command -Midway $Midway -SessionCount { param($Node) Get-SshSessionCount $Node } `
                        -KubeConfig $script:cluster.KubeConfig -KeyPath $script:key -KnownHostsPath $script:knownHosts -WorkDir $TestDrive
                }
            }

            It 'Ctrl+C in the middle of Update-NodeDocker while apt runs: ends within 5 s, says the node stays cordoned, closes its SSH session; the re-run finishes' {
                $target = Get-OtherContainerd worker-1
                Set-UnpackPause worker-1 -Seconds 53
                try {
                    $stopped = Invoke-StoppedOnNode worker-1 "Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion '$target' -SkipDrain -Force -Timeout 150" {
                        Wait-NodeFile worker-1 /root/dpkg-unpacked
                    }
                }
                finally {
                    Invoke-Container worker-1 "pkill -KILL -f '^sleep 53$'; true" | Out-Null
                    Clear-UnpackPause worker-1
                }

                Assert-StoppedInTime $stopped
                $stopped.Output | Should -Match "WARNING: Stopped upgrading the engine of worker-1 while installing .*containerd $([regex]::Escape($target)), which may be half-done: worker-1 stays cordoned\. To finish, run Update-NodeDocker again"
                (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeTrue

                $again = Update-NodeDocker -Node worker-1 -Version latest -ContainerdVersion $target -SkipDrain -Force @script:access
                $again.Status | Should -Be 'Upgraded'
                Get-Containerd worker-1 | Should -Match "^$([regex]::Escape($target)) hi"
                (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse
            }

            It 'Ctrl+C in the middle of New-ClusterNode while its install waits for the package lock: ends within 5 s, names the steps done, leaves no apt run and no SSH session' {
                $h = $script:hosts | Where-Object Name -eq worker-2
                $before = Get-Containerd worker-2
                # The module's own apt run, queued behind the holder's lock; the brackets keep the probe from matching itself.
                $probe = "pgrep -f '[D]Pkg::Lock::Timeout=' >/dev/null && echo waiting || echo none"
                try {
                    Start-AptHolder worker-2 -Seconds 89
                    $stopped = Invoke-StoppedOnNode worker-2 "New-ClusterNode -Name worker-2 -Address $($h.Address) -Port $($h.SshPort) -Force -ContainerdVersion '$(Get-OtherContainerd worker-2)' -KubernetesVersion 1.31 -Role worker -Timeout 120" {
                        $deadline = [DateTime]::UtcNow.AddSeconds(90)
                        while ((Invoke-Container worker-2 $probe) -ne 'waiting') {
                            if ([DateTime]::UtcNow -gt $deadline) { throw 'New-ClusterNode never reached its package install.' }
                            Start-Sleep -Milliseconds 300
                        }
                    }
                    $leftover = Invoke-Container worker-2 $probe
                }
                finally {
                    Stop-AptHolder worker-2
                }

                Assert-StoppedInTime $stopped
                $stopped.Output | Should -Match 'WARNING: Stopped adding node worker-2 during step 4/10 \(Installing [^)]*containerd [^)]*\), which may be half-done\. Steps done before it: Preflight; Resolving versions; Configuring the engine\. Run New-ClusterNode again'
                $leftover | Should -Be 'none' -Because 'the stop ends the apt run it started on the node'
                Get-Containerd worker-2 | Should -Be $before
                (Get-ClusterNode -Name worker-2).Readiness | Should -Be 'Ready'
            }

            It 'Ctrl+C in the middle of Backup-ClusterNode while it archives: ends within 5 s, keeps no partial file, removes the node copy and closes its SSH session' {
                Set-SlowTar worker-1 -Seconds 41
                $folder = Join-Path $TestDrive 'stopped-backup'
                try {
                    $stopped = Invoke-StoppedOnNode worker-1 "Backup-ClusterNode -Node worker-1 -Destination '$folder'" { Wait-NodeFile worker-1 /root/tar-done }
                }
                finally {
                    Invoke-Container worker-1 "pkill -KILL -f '^sleep 41$'; true" | Out-Null
                    Clear-SlowTar worker-1
                }

                Assert-StoppedInTime $stopped
                $stopped.Output | Should -Match 'WARNING: Stopped backing up worker-1: no backup and no partial file was kept in .*; the staged copy /tmp/clustermanagement-backup\.\w{10} was removed from the node\.'
                @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue).Count | Should -Be 0
                Invoke-Container worker-1 'ls /tmp | grep -c clustermanagement-backup || true' | Should -Be '0'
            }
        }
    }

    Context 'The rolling upgrade step of docs/azure-pipelines.md, run as PowerShell@2 runs it' {
        BeforeAll {
            $script:step = Get-PipelineStep -DisplayName 'Rolling Docker Engine upgrade'
            $script:stepVariables = @{
                CLUSTERMANAGEMENT_SSH_KEY_PATH = $script:key; CLUSTERMANAGEMENT_SSH_USER = 'cmadmin'; NODE_KNOWN_HOSTS = $script:knownHosts
            }
        }

        It 'takes every node through the rollout in groups and exits 0' {
            $run = Invoke-PowerShellTask $script:step ($script:stepVariables + @{ DOCKER_VERSION = 'latest' }) -KubeConfig $script:cluster.KubeConfig -WorkDir $TestDrive -TimeoutSeconds 600
            $run.ExitCode | Should -Be 0 -Because "stdout: $($run.Output) stderr: $($run.Error)"
            $run.Error | Should -Not -Match 'NonInteractive'
            foreach ($name in 'cp-1', 'worker-1', 'worker-2') { $run.Output | Should -Match "(?m)^##\[group\]Upgrade engines, Batch \d of 3: $name$" }
            @([regex]::Matches($run.Output, '(?m)^##\[endgroup\]$')).Count | Should -Be 3
            $run.Output | Should -Match '(?m)^worker-2 +3 '
            (Get-ClusterNode).Unschedulable | Should -Not -Contain $true
        }

        It 'fails the step on a version the nodes lack, before any node changes' {
            $run = Invoke-PowerShellTask $script:step ($script:stepVariables + @{ DOCKER_VERSION = '99.1' }) -KubeConfig $script:cluster.KubeConfig -WorkDir $TestDrive -TimeoutSeconds 600
            $run.ExitCode | Should -Not -Be 0
            $run.Output + $run.Error | Should -Match 'docker.io 99.1 is not available'
            $run.Output | Should -Match '(?m)^##vso\[task.logissue type=error'
            (Get-ClusterNode).Unschedulable | Should -Not -Contain $true
        }
    }

    Context 'Remove-ClusterNode' {
        It 'refuses to remove the last control-plane node' {
            $err = $null
            Remove-ClusterNode -Name cp-1 -Force @script:access -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ControlPlaneRemovalBlocked*'
            Get-ClusterNode -Name cp-1 | Should -Not -BeNullOrEmpty
        }

        It 'drains, resets the host with kubeadm and deletes the Node and its access data' {
            Get-AccessRecord worker-2 | Should -Not -BeNullOrEmpty
            Remove-ClusterNode -Name worker-2 -Force @script:access
            Get-ClusterNode -Name worker-2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Get-AccessRecord worker-2 | Should -BeNullOrEmpty
            Get-AccessRecord worker-1 | Should -Not -BeNullOrEmpty
            Invoke-Node worker-2 'test -e /etc/kubernetes/kubelet.conf && echo present || echo gone; systemctl is-active kubelet || true' | Should -Match 'gone'
        }

        It 'rejoins a reset host with New-ClusterNode' {
            $h = $script:hosts | Where-Object Name -eq worker-2
            $node = New-ClusterNode -Name worker-2 -Address $h.Address -Port $h.SshPort @script:access -Force `
                -ContainerdVersion $script:oldContainerd -KubernetesVersion 1.31 -Role worker -Timeout 120
            $node.Readiness | Should -Be 'Ready'
        }
    }

    Context 'Bootstrap tokens' {
        It 'leaves no bootstrap token behind and never puts it on a command line or in a readable file' {
            Get-BootstrapTokenSecret | Should -BeNullOrEmpty
            foreach ($h in $script:hosts) {
                # Written by the fleet's kubeadm at the start and the end of each join; see tests/Fleet/packages/kubeadm.
                $audit = Invoke-Node $h.Name 'sudo -n cat /var/log/kubeadm-join.audit'
                $audit | Should -Match '(?m)^argv: --config /tmp/tmp\.\w+$'
                $audit | Should -Match '(?m)^config: /tmp/tmp\.\w+ 600 root$'
                @([regex]::Matches($audit, '(?m)^token-in-cmdline: (\d+)$')).ForEach({ $_.Groups[1].Value }) | Should -Be @('0', '0')
                $config = [regex]::Match($audit, '(?m)^config: (\S+)').Groups[1].Value
                Invoke-Node $h.Name "sudo -n test -e $config && echo present || echo gone" | Should -Be 'gone'
                Invoke-Node $h.Name 'sudo -n test -e /etc/kubernetes/bootstrap-kubelet.conf && echo present || echo gone' | Should -Be 'gone'
            }
        }

        It 'deletes the token when the join fails, and the next run joins with a new one' {
            $h = $script:hosts | Where-Object Name -eq worker-2
            $join = @{ Name = 'worker-2'; Address = $h.Address; Port = $h.SshPort
                ContainerdVersion = $script:oldContainerd; KubernetesVersion = '1.31'; Role = 'worker'; Timeout = 120; Force = $true }
            Remove-ClusterNode -Name worker-2 -Force @script:access
            # A kubelet that cannot start: kubeadm join fails after the token was made and used.
            Invoke-Node worker-2 'sudo -n systemctl mask kubelet' | Out-Null
            try {
                $err = { New-ClusterNode @join @script:access -ErrorAction Stop } | Should -Throw -PassThru
                $err.FullyQualifiedErrorId | Should -BeLike 'KubeadmJoinFailed*'
                Invoke-Node worker-2 'sudo -n cat /var/log/kubeadm-join.audit' | Should -Match '(?m)^token-in-cmdline: 0$'
                Get-BootstrapTokenSecret | Should -BeNullOrEmpty
            }
            finally {
                Invoke-Node worker-2 'sudo -n systemctl unmask kubelet' | Out-Null
            }
            (New-ClusterNode @join @script:access).Readiness | Should -Be 'Ready'
            Get-BootstrapTokenSecret | Should -BeNullOrEmpty
            # The kubelet lives on its own certificate, so the deleted token cut nothing off.
            Invoke-Node worker-2 'sudo -n grep -c -e "token:" -e "client-certificate:" /etc/kubernetes/kubelet.conf' | Should -Be '1'
            Invoke-Node worker-2 'sudo -n grep -q "client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem" /etc/kubernetes/kubelet.conf && echo cert' | Should -Be 'cert'
        }
    }

    Context 'Trust in what a node says about itself' {
        BeforeAll {
            $script:w1 = $script:hosts | Where-Object Name -eq worker-1
            $script:w1Record = Get-AccessRecord worker-1
            # What a node joined by an earlier version looks like, or one whose kubelet wrote its own
            # annotations: no entry in kube-system, access data on the Node.
            Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments '-n', 'kube-system', 'patch', 'configmap', 'clustermanagement-node-access',
                '--type=merge', '-p', '{"data":{"worker-1":null}}' | Out-Null
            Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments 'annotate', '--overwrite', 'node', 'worker-1',
                "clustermanagement.io/ssh-host=$($script:w1.Address)", "clustermanagement.io/ssh-port=$($script:w1.SshPort)",
                'clustermanagement.io/ssh-user=cmadmin', "clustermanagement.io/ssh-host-key=$($script:w1.HostKeyFingerprint)" | Out-Null
        }

        AfterAll {
            $json = $script:w1Record | ConvertTo-Json -Compress
            $patch = @{ data = @{ 'worker-1' = $json } } | ConvertTo-Json -Compress
            Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments '-n', 'kube-system', 'patch', 'configmap', 'clustermanagement-node-access', '--type=merge', '-p', $patch | Out-Null
            Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments 'annotate', 'node', 'worker-1', 'clustermanagement.io/ssh-host-', 'clustermanagement.io/ssh-port-',
                'clustermanagement.io/ssh-user-', 'clustermanagement.io/ssh-host-key-' | Out-Null
        }

        It 'does not trust a host-key fingerprint planted in a Node annotation' {
            $fresh = Join-Path $TestDrive 'known_hosts.planted'
            $result = Get-NodeDocker -Node worker-1 -SshUser cmadmin -SshKeyPath $script:key -KnownHostsPath $fresh
            $result.State | Should -Be 'Unreachable'
            $result.Error | Should -Match 'is not known'
            $result.Error | Should -Match ([regex]::Escape($script:w1.HostKeyFingerprint))
            if (Test-Path $fresh) { (Get-Content $fresh) -join "`n" | Should -Not -Match '127\.0\.0\.172' }
            Get-AccessRecord worker-1 | Should -BeNullOrEmpty
        }

        It 'migrates the node once its key is verified another way, recording the verified key in kube-system' {
            $result = Get-NodeDocker -Node worker-1 -SshUser cmadmin -SshKeyPath $script:key -KnownHostsPath $script:knownHosts
            $result.State | Should -Be 'Running' -Because $result.Error
            $record = Get-AccessRecord worker-1
            $record.host | Should -Be $script:w1.Address
            $record.port | Should -Be $script:w1.SshPort
            $record.hostKey | Should -Be $script:w1.HostKeyFingerprint
        }

        It 'keeps to the record when the Node later claims another host and key' {
            Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments 'annotate', '--overwrite', 'node', 'worker-1',
                'clustermanagement.io/ssh-host=127.0.0.171', 'clustermanagement.io/ssh-port=2371', 'clustermanagement.io/ssh-host-key=SHA256:planted' | Out-Null
            $fresh = Join-Path $TestDrive 'known_hosts.record'
            $result = Get-NodeDocker -Node worker-1 -SshUser cmadmin -SshKeyPath $script:key -KnownHostsPath $fresh
            $result.State | Should -Be 'Running' -Because $result.Error
            (Get-Content $fresh) -join "`n" | Should -Match '(?m)^\[127\.0\.0\.172\]:2372 ssh-ed25519 '
        }
    }

    Context 'New-ClusterNode on a host without an engine, with -EngineInstallUrl' {
        BeforeAll {
            $script:bare = Start-FleetNode -Engine $script:engine -Name worker-3 -Address 127.0.0.174 -SshPort 2374 -Variant Base
            $script:hosts += $script:bare
            # A stand-in for get.docker.com, served on loopback: it records that it ran and with which VERSION.
            $installScript = "#!/bin/sh`nset -e`necho `"VERSION=`$VERSION`" > /var/log/engine-install-script.log`n"
            $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
            $script:scriptBase = "http://127.0.0.1:$port"
            $script:listener = [System.Net.HttpListener]::new()
            $script:listener.Prefixes.Add("$script:scriptBase/")
            $script:listener.Start()
            $script:server = Start-ThreadJob -ArgumentList $script:listener, $installScript -ScriptBlock {
                param($listener, $body)
                $bytes = [Text.Encoding]::UTF8.GetBytes($body)
                while ($listener.IsListening) {
                    try { $context = $listener.GetContext() } catch { break }
                    $found = $context.Request.Url.AbsolutePath -eq '/install.sh'
                    $context.Response.StatusCode = if ($found) { 200 } else { 404 }
                    if ($found) { $context.Response.OutputStream.Write($bytes, 0, $bytes.Length) }
                    $context.Response.Close()
                }
            }
            $script:bareJoin = @{
                Name = 'worker-3'; Address = $script:bare.Address; Port = $script:bare.SshPort
                KubernetesVersion = '1.31'; Role = 'worker'; Timeout = 120; Force = $true
            }
        }

        AfterAll {
            if ($script:listener) { $script:listener.Stop() }
            if ($script:server) { Remove-Job $script:server -Force }
            if (Get-ClusterNode -Name worker-3 -ErrorAction Ignore) { Remove-ClusterNode -Name worker-3 -Force @script:access -ErrorAction Continue }
            Stop-FleetNode -Engine $script:engine -Name worker-3 -Confirm:$false
            $script:hosts = @($script:hosts | Where-Object Name -ne worker-3)
        }

        It 'refuses a script URL in clear text to another host before contacting the host' {
            $err = { New-ClusterNode @script:bareJoin @script:access -AcceptNewHostKey -EngineInstallUrl http://192.0.2.1/install.sh -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'EngineInstallUrlInsecure*'
            (Get-Content $script:knownHosts) -join "`n" | Should -Not -Match '127\.0\.0\.174'
        }

        It 'fails on a script that is not there before the host changes' {
            $err = { New-ClusterNode @script:bareJoin @script:access -AcceptNewHostKey -EngineInstallUrl "$script:scriptBase/missing.sh" -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'EngineInstallScriptUnavailable*'
            $err.Exception.Message | Should -Match '404'
            Invoke-Node worker-3 "dpkg-query -W -f '`${db:Status-Abbrev}' docker.io 2>/dev/null || echo absent" | Should -Match 'absent|^un'
        }

        It 'runs the script with VERSION, then installs the engine pinned and held, and joins; without a CNI configuration the node is NotReady and the warning says why' {
            $node = New-ClusterNode @script:bareJoin @script:access -AcceptNewHostKey -EngineVersion 20.10 -EngineInstallUrl "$script:scriptBase/install.sh" -WarningVariable warnings
            $node.Readiness | Should -Be 'NotReady'
            $ready = $node.Conditions | Where-Object Type -eq Ready
            $ready.Reason | Should -Be 'KubeletNotReady'
            $ready.Message | Should -Be 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'
            ($warnings -join "`n") | Should -Match 'worker-3 joined the cluster but stays NotReady .* No CNI network configuration is loaded from /etc/cni/net\.d on worker-3'
            Invoke-Node worker-3 'cat /var/log/engine-install-script.log' | Should -Be 'VERSION=20.10'
            Invoke-Node worker-3 "dpkg-query -W -f '`${Version} `${db:Status-Abbrev}' docker.io" | Should -Match '^20\.10\.\S+ hi'
            (Get-NodeDocker -Node worker-3 @script:access).Version | Should -Match '^20\.10\.'
        }

        It 'turns Ready once a CNI configuration appears, as the kubelet reports containerd''s network' {
            Add-FleetCniConfig -Engine $script:engine -Name worker-3
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-ClusterNode -Name worker-3).Readiness -ne 'Ready' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
            (Get-ClusterNode -Name worker-3).Readiness | Should -Be 'Ready'
        }

        It 'does not run the script again once the engine is installed' {
            Invoke-Node worker-3 'sudo -n rm /var/log/engine-install-script.log' | Out-Null
            (New-ClusterNode @script:bareJoin @script:access -EngineVersion 20.10 -EngineInstallUrl "$script:scriptBase/install.sh").Readiness | Should -Be 'Ready'
            Invoke-Node worker-3 'test -e /var/log/engine-install-script.log && echo ran || echo skipped' | Should -Be 'skipped'
        }
    }

    Context 'Docs examples that need node hosts' {
        It 'runs every example of <_> against the fleet' -ForEach @(
            Get-ChildItem (Join-Path $PSScriptRoot '../../docs') -Filter '*-*.md' | Where-Object { (Get-Content $_.FullName -TotalCount 2) -match '<!-- examples: node hosts -->' } | ForEach-Object BaseName
        ) {
            $run = Invoke-FleetDocsExample -Page (Join-Path (Get-RepoRoot) "docs/$_.md") -KubeConfig $script:cluster.KubeConfig -KeyPath $script:key `
                -KnownHostsPath $script:knownHosts -WorkDir $TestDrive
            $run.Count | Should -BeGreaterOrEqual 2
            $run.ExitCode | Should -Be 0 -Because "$($run.Output) $($run.Error)"
            $run.Error | Should -BeNullOrEmpty
        }
    }

}
