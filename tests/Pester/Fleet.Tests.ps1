#Requires -Version 7.4
# Smoke test of the node-host fleet (tests/Fleet): real SSH, sudo, apt and Docker engines on
# two node containers. Under CI a missing prerequisite fails the run; elsewhere the tests are
# skipped with the reason.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $script:fleetSkipReason = Get-FleetSkipReason -Suite 'the node-host fleet tests'
    # build.ps1 -Task Test builds the emulator before the Pester suites run.
    Import-Module (Join-Path $PSScriptRoot '../TestCluster.psm1') -Force
    $script:emulatorConfiguration = @('Release', 'Debug') | Where-Object {
        try { Get-EmulatorAssembly -Configuration $_ | Out-Null; $true } catch { $false }
    } | Select-Object -First 1
    if (-not $script:emulatorConfiguration -and $env:CI) { throw 'The emulator is not built: run build.ps1 -Task Test.' }
}

Describe 'Node-host fleet' -Skip:([bool]$script:fleetSkipReason) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../Fleet/Fleet.psm1') -Force

        # Runs a command on a node over OpenSSH with StrictHostKeyChecking against a known_hosts
        # that holds only keys matching the fingerprints the fleet recorded.
        function Invoke-NodeCommand {
            param($Node, [string]$Command, [string]$User = $Node.User)
            $PSNativeCommandUseErrorActionPreference = $false
            $output = & ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$script:knownHosts" `
                -o ConnectTimeout=5 -i $Node.KeyPath -p $Node.SshPort "$User@$($Node.Address)" $Command 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | ForEach-Object { "$_" }) -join "`n" }
        }

        # The engine listens on its unix socket only, as on a real host: ask it on the node.
        function Get-EngineVersion {
            param($Node)
            $result = Invoke-NodeCommand -Node $Node -Command 'sudo -n curl -sf --max-time 5 --unix-socket /run/docker.sock http://docker/version'
            if ($result.ExitCode -ne 0) { throw "The engine on $($Node.Name) does not answer: $($result.Output)" }
            $result.Output | ConvertFrom-Json
        }

        $script:nodes = @(Start-Fleet -Count 2)
        # The host keys as a client meets them, kept apart from the fleet's own known_hosts
        # so the fingerprint check below is independent of it.
        $script:knownHosts = Join-Path $TestDrive 'known_hosts'
        $script:scannedFingerprints = @{}
        foreach ($node in $script:nodes) {
            $scanned = @(& ssh-keyscan -T 5 -t ed25519 -p $node.SshPort $node.Address 2>$null)
            $keyFile = Join-Path $TestDrive "$($node.Name).pub"
            Set-Content -LiteralPath $keyFile -Value (($scanned | Select-Object -First 1) -replace '^\S+\s+', '')
            $script:scannedFingerprints[$node.Name] = (-split (& ssh-keygen -lf $keyFile))[1]
            # Only a key matching the recorded fingerprint is trusted: otherwise every SSH test fails.
            if ($script:scannedFingerprints[$node.Name] -eq $node.HostKeyFingerprint) {
                Add-Content -LiteralPath $script:knownHosts -Value $scanned
            }
        }
    }

    AfterAll {
        Stop-Fleet -Confirm:$false
    }

    It 'starts two nodes on distinct addresses and ports' {
        $script:nodes.Count | Should -Be 2
        $script:nodes[0].Address | Should -Not -Be $script:nodes[1].Address
        $script:nodes[0].SshPort | Should -Not -Be $script:nodes[1].SshPort
    }

    It 'serves the host key whose fingerprint it recorded on node <_>' -ForEach 0, 1 {
        $node = $script:nodes[$_]
        $node.HostKeyFingerprint | Should -Match '^SHA256:[A-Za-z0-9+/]{43}$'
        $script:scannedFingerprints[$node.Name] | Should -Be $node.HostKeyFingerprint
    }

    It 'lets cmadmin in with the fleet key and sudo without a password on node <_>' -ForEach 0, 1 {
        $node = $script:nodes[$_]
        $result = Invoke-NodeCommand -Node $node -Command 'sudo -n true && hostname'
        $result.Output | Should -Be $node.Name
        $result.ExitCode | Should -Be 0
    }

    It 'offers a user whose sudo asks for a password' {
        $result = Invoke-NodeCommand -Node $script:nodes[0] -User cmnopass -Command 'sudo -n true'
        $result.ExitCode | Should -Not -Be 0
        $result.Output | Should -Match 'password is required'
    }

    It 'refuses a host key other than the recorded one' {
        # Node 0 answers under node 1's name: its key is not the one known for that name.
        $PSNativeCommandUseErrorActionPreference = $false
        $impostor = $script:nodes[0]
        $expected = $script:nodes[1]
        $result = & ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$script:knownHosts" `
            -o "HostKeyAlias=[$($expected.Address)]:$($expected.SshPort)" -i $impostor.KeyPath -p $impostor.SshPort "cmadmin@$($impostor.Address)" true 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        "$result" | Should -Match 'HOST IDENTIFICATION HAS CHANGED|Host key verification failed'
    }

    It 'installs docker.io from the mirror and its engine answers on node <_>''s unix socket, not on TCP' -ForEach 0, 1 {
        $node = $script:nodes[$_]
        $result = Invoke-NodeCommand -Node $node -Command 'sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io'
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $version = $null
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not $version -and [DateTime]::UtcNow -lt $deadline) {
            try { $version = Get-EngineVersion -Node $node } catch { Start-Sleep -Milliseconds 500 }
        }
        $version.Version | Should -Match '^20\.10\.'
        $listeners = Invoke-NodeCommand -Node $node -Command 'sudo -n ss -ltnpH'
        $listeners.ExitCode | Should -Be 0 -Because $listeners.Output
        $listeners.Output | Should -Not -Match 'dockerd'
    }

    It 'runs that engine with Debian''s stock configuration: no daemon.json, only the network flags of the fleet''s drop-in on node <_>' -ForEach 0, 1 {
        $node = $script:nodes[$_]
        $state = Invoke-NodeCommand -Node $node -Command ('test -e /etc/docker/daemon.json && echo daemon.json || echo none; ls /etc/systemd/system/docker.service.d; ' +
            'systemctl show docker.service -p ExecStart --value; ' +
            'dpkg-query -W -f=''${Conffiles}\n'' docker.io containerd runc | awk ''NF >= 2 { print $2 "  " $1 }'' | sudo -n md5sum -c --quiet && echo unmodified; ' +
            'sudo -n curl -sf --max-time 5 --unix-socket /run/docker.sock http://docker/networks')
        $state.ExitCode | Should -Be 0 -Because $state.Output
        $lines = $state.Output -split "`n"
        $lines[0] | Should -Be 'none'
        $lines[1] | Should -Be '10-fleet-network.conf'
        # The package's own command line plus the three flags, nothing else.
        $lines[2] | Should -Match '; argv\[\]=\S*dockerd -H fd:// --containerd=/run/containerd/containerd\.sock --bridge=none --iptables=false --ip-masq=false ;'
        # Every configuration file of the engine's packages (/etc/default/docker, containerd's config.toml ...) as they shipped it.
        $lines[3] | Should -Be 'unmodified'
        # No default bridge: only the engine's host and none networks exist.
        @(($lines[4] | ConvertFrom-Json).Name | Sort-Object) | Should -Be @('host', 'none')
    }

    It 'installs kubelet 1.31.4 from the fleet repository and upgrades it to 1.32.4' {
        $node = $script:nodes[0]
        $install = Invoke-NodeCommand -Node $node -Command 'sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubelet=1.31.4-1.1 kubeadm=1.31.4-1.1 && kubelet --version && kubeadm version -o short'
        $install.ExitCode | Should -Be 0 -Because $install.Output
        $install.Output | Should -Match 'Kubernetes v1\.31\.4'
        $install.Output | Should -Match '(?m)^v1\.31\.4$'

        $upgrade = Invoke-NodeCommand -Node $node -Command 'sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubelet=1.32.4-1.1 kubeadm=1.32.4-1.1 && dpkg-query -W -f=''${Version}'' kubelet'
        $upgrade.ExitCode | Should -Be 0 -Because $upgrade.Output
        $upgrade.Output | Should -Match '1\.32\.4-1\.1$'
    }

    It 'downgrades containerd to the bookworm-security build and upgrades it back, visible in the Engine API' {
        $node = $script:nodes[1]
        $commit = { ((Get-EngineVersion -Node $node).Components | Where-Object Name -EQ containerd).Details.GitCommit }
        & $commit | Should -Be '1.6.20~ds1-1+deb12u3'

        foreach ($version in '1.6.20~ds1-1+deb12u2', '1.6.20~ds1-1+deb12u3') {
            # reset-failed: docker.service allows only 3 restarts a minute.
            $result = Invoke-NodeCommand -Node $node -Command "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades containerd=$version && sudo systemctl reset-failed docker.service && sudo systemctl restart docker.service"
            $result.ExitCode | Should -Be 0 -Because $result.Output
            $seen = $null
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($seen -ne $version -and [DateTime]::UtcNow -lt $deadline) {
                try { $seen = & $commit } catch { Start-Sleep -Milliseconds 500 }
            }
            $seen | Should -Be $version
        }
    }

    Context 'kubelet and kubeadm against the emulator' -Skip:(-not $script:emulatorConfiguration) {
        BeforeAll {
            Import-Module (Join-Path $PSScriptRoot '../TestCluster.psm1') -Force
            $script:cluster = Start-TestCluster -Workers 1 -ControlPlanes 1 -Configuration $script:emulatorConfiguration `
                -ExtraArgument '--node-grace-seconds', '12'
            $kubeconfig = Get-Content -Raw $script:cluster.KubeConfig
            $caPem = [Text.Encoding]::ASCII.GetString([Convert]::FromBase64String(
                    [regex]::Match($kubeconfig, 'certificate-authority-data:\s*(\S+)').Groups[1].Value))
            # The team-a context has full access; its token is the simplest credential to use here.
            $userToken = [regex]::Match($kubeconfig, '(?ms)- name: team-a\s+user:\s+token:\s*(\S+)').Groups[1].Value
            $script:api = @{ Headers = @{ Authorization = "Bearer $userToken" }; SkipCertificateCheck = $true; ContentType = 'application/json' }

            # What kubeadm token create does: a bootstrap token Secret for authentication and signing.
            # The emulator has cluster-info as kubeadm init left it, and its bootstrap signer signs it
            # for this token (detached JWS, HS256), as kube-controller-manager does.
            $script:tokenId = 'fleet1'
            $tokenSecret = 'abcdef0123456789'
            $script:joinToken = "$script:tokenId.$tokenSecret"
            $b64 = { param([string]$text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)) }
            Invoke-RestMethod @script:api -Method Post -Uri "$($script:cluster.Url)/api/v1/namespaces/kube-system/secrets" -Body (@{
                    apiVersion = 'v1'; kind = 'Secret'; type = 'bootstrap.kubernetes.io/token'
                    metadata   = @{ name = "bootstrap-token-$script:tokenId"; namespace = 'kube-system' }
                    # kubeadm's group, which its CSR auto-approval binds: the kubelet trades the token for a client certificate.
                    data       = @{ 'token-id' = (& $b64 $script:tokenId); 'token-secret' = (& $b64 $tokenSecret); 'usage-bootstrap-authentication' = (& $b64 'true')
                        'usage-bootstrap-signing' = (& $b64 'true'); 'auth-extra-groups' = (& $b64 'system:bootstrappers:kubeadm:default-node-token') }
                } | ConvertTo-Json) | Out-Null

            $ca = [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($caPem)
            $script:caCertHash = 'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($ca.PublicKey.ExportSubjectPublicKeyInfo())).ToLowerInvariant()
            $script:endpoint = ([uri]$script:cluster.Url).Authority
            $script:joiner = $script:nodes[0]
            $script:joinedName = "fleet-$($script:joiner.Name)"
            $script:getNode = { Invoke-RestMethod @script:api -Uri "$($script:cluster.Url)/api/v1/nodes/$script:joinedName" }
            $script:readyStatus = { ((& $script:getNode).status.conditions | Where-Object type -EQ Ready).status }
        }

        AfterAll {
            if ($script:cluster) { Stop-TestCluster -Cluster $script:cluster }
        }

        It 'refuses to join with a CA hash that does not match the cluster' {
            $result = Invoke-NodeCommand -Node $script:joiner -Command "sudo kubeadm join $script:endpoint --token $script:joinToken --discovery-token-ca-cert-hash sha256:$('0' * 64)"
            $result.ExitCode | Should -Not -Be 0
            $result.Output | Should -Match 'none of the public keys .* are pinned'
        }

        It 'joins with kubeadm and its kubelet registers the node as the API describes it' {
            $result = Invoke-NodeCommand -Node $script:joiner -Command "sudo kubeadm join $script:endpoint --token $script:joinToken --discovery-token-ca-cert-hash $script:caCertHash --node-name $script:joinedName"
            $result.ExitCode | Should -Be 0 -Because $result.Output
            $result.Output | Should -Match 'This node has joined the cluster'

            $node = & $script:getNode
            $node.metadata.labels.'kubernetes.io/hostname' | Should -Be $script:joinedName
            $node.metadata.annotations.'emulator.clustermanagement.io/external-heartbeat' | Should -Be 'true'
            ($node.status.addresses | Where-Object type -EQ InternalIP).address | Should -Be $script:joiner.Address
            $node.status.nodeInfo.kubeletVersion | Should -Be 'v1.32.4'
            # No dockershim: the kubelet runs pods on what answers CRI on its socket, containerd's CRI plugin (on in Debian's containerd).
            $node.status.nodeInfo.containerRuntimeVersion | Should -Match '^containerd://1\.6\.20'
            $node.status.nodeInfo.osImage | Should -Be 'Debian GNU/Linux 12 (bookworm)'
            $ready = $node.status.conditions | Where-Object type -EQ Ready
            $ready.status | Should -Be 'False'
            $ready.reason | Should -Be 'KubeletNotReady'
            $ready.message | Should -Be 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'

            Add-FleetCniConfig -Name $script:joiner.Name
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((& $script:readyStatus) -ne 'True' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
            & $script:readyStatus | Should -Be 'True'
        }

        It 'keeps its Lease, renewed every 10 s, and posts an unchanged status only every 5 minutes, as a 1.32 kubelet does' {
            $lease = { Invoke-RestMethod @script:api -Uri "$($script:cluster.Url)/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/$script:joinedName" }
            $readyHeartbeat = { ((& $script:getNode).status.conditions | Where-Object type -EQ Ready).lastHeartbeatTime }
            $first = & $lease
            $first.spec.holderIdentity | Should -Be $script:joinedName
            $first.spec.leaseDurationSeconds | Should -Be 40
            $first.metadata.ownerReferences[0].kind | Should -Be 'Node'
            $first.metadata.ownerReferences[0].uid | Should -Be (& $script:getNode).metadata.uid
            $heartbeat = & $readyHeartbeat

            $deadline = [DateTime]::UtcNow.AddSeconds(25)
            do {
                Start-Sleep -Seconds 1
                $renewed = & $lease
            } while ($renewed.spec.renewTime -eq $first.spec.renewTime -and [DateTime]::UtcNow -lt $deadline)

            $renewed.spec.renewTime | Should -Not -Be $first.spec.renewTime
            & $readyHeartbeat | Should -Be $heartbeat
            & $script:readyStatus | Should -Be 'True'
        }

        It 'never starts a kubelet whose CRI socket does not answer, with the real kubelet''s error in its journal' {
            $result = Invoke-NodeCommand -Node $script:joiner -Command "sudo sed -i 's|^containerRuntimeEndpoint: .*|containerRuntimeEndpoint: unix:///run/cri-dockerd.sock|' /var/lib/kubelet/config.yaml && sudo systemctl restart kubelet; sleep 2; sudo journalctl -u kubelet --no-pager -n 5; sudo systemctl is-active kubelet"
            $result.Output | Should -Match ([regex]::Escape('"command failed" err="failed to run Kubelet: validate service connection: validate CRI v1 runtime API for endpoint \"unix:///run/cri-dockerd.sock\": rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial unix /run/cri-dockerd.sock: connect: no such file or directory\""'))
            $result.Output | Should -Match '(?m)^(activating|failed)$'
            $restore = Invoke-NodeCommand -Node $script:joiner -Command "sudo sed -i 's|^containerRuntimeEndpoint: .*|containerRuntimeEndpoint: unix:///var/run/containerd/containerd.sock|' /var/lib/kubelet/config.yaml && sudo systemctl restart kubelet"
            $restore.ExitCode | Should -Be 0 -Because $restore.Output
        }

        It 'never starts a kubelet on a host with swap on unless failSwapOn is false, as the real kubelet' {
            Set-FleetNodeCondition -Name $script:joiner.Name -Condition SwapOn
            try {
                $refused = Invoke-NodeCommand -Node $script:joiner -Command 'sudo systemctl restart kubelet; sleep 2; sudo journalctl -u kubelet --no-pager -n 5; sudo systemctl is-active kubelet'
                $refused.Output | Should -Match ([regex]::Escape('"command failed" err="failed to run Kubelet: running with swap on is not supported, please disable swap or set --fail-swap-on flag to false. /proc/swaps contained: [/swapfile'))
                $refused.Output | Should -Match '(?m)^(activating|failed)$'

                $allowed = Invoke-NodeCommand -Node $script:joiner -Command "printf '\nfailSwapOn: false\n' | sudo tee -a /var/lib/kubelet/config.yaml > /dev/null && sudo systemctl restart kubelet; sleep 2; sudo systemctl is-active kubelet"
                $allowed.Output | Should -Match '(?m)^active$'
            }
            finally {
                Set-FleetNodeCondition -Name $script:joiner.Name -Condition SwapOn -Clear
                $restore = Invoke-NodeCommand -Node $script:joiner -Command "sudo sed -i '/^failSwapOn: false$/d' /var/lib/kubelet/config.yaml && sudo systemctl restart kubelet"
                $restore.ExitCode | Should -Be 0 -Because $restore.Output
            }
        }

        It 'goes NotReady once its kubelet stops, and kubeadm reset keeps the Node object' {
            (Invoke-NodeCommand -Node $script:joiner -Command 'sudo systemctl stop kubelet').ExitCode | Should -Be 0
            $status = 'True'
            $deadline = [DateTime]::UtcNow.AddSeconds(45)
            while ($status -eq 'True' -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Seconds 1
                $status = & $script:readyStatus
            }
            $status | Should -Not -Be 'True'

            $reset = Invoke-NodeCommand -Node $script:joiner -Command 'sudo kubeadm reset -f && test ! -e /etc/kubernetes/kubelet.conf'
            $reset.ExitCode | Should -Be 0 -Because $reset.Output
            (& $script:getNode).metadata.name | Should -Be $script:joinedName
        }
    }

    It 'writes an inventory with every host' {
        $path = Join-Path $TestDrive 'nodes.json'
        Export-FleetInventory -Path $path
        $hosts = Get-Content -Raw $path | ConvertFrom-Json
        $hosts.Count | Should -Be 2
        foreach ($node in $script:nodes) {
            $entry = $hosts | Where-Object name -EQ $node.Name
            $entry.address | Should -Be $node.Address
            $entry.sshPort | Should -Be $node.SshPort
            $entry.user | Should -Be 'cmadmin'
            $entry.keyPath | Should -Be $node.KeyPath
            $entry.hostKeyFingerprint | Should -Be $node.HostKeyFingerprint
        }
    }
}
