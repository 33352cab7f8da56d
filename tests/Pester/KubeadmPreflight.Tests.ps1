#Requires -Version 7.4
# A host kubeadm join would refuse (issue 17): one fleet node started with swap on, IPv4 forwarding
# off and the kubelet's port taken, and one emulator. The stand-in kubeadm refuses it as kubeadm
# does; New-ClusterNode refuses what it does not own before changing anything, and sets what it
# owns (IPv4 forwarding) before it joins. Starts fleet nodes: run under /tmp/cm-fleet-tests.lock.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $script:fleetSkipReason = Get-FleetSkipReason -Suite 'the kubeadm preflight tests'
}

Describe 'kubeadm preflight on a fleet host' -Skip:([bool]$script:fleetSkipReason) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot '../Fleet/Fleet.psm1') -Force
        Import-Module (Get-ModuleUnderTest) -Force
        $script:cluster = Start-SuiteCluster -Workers 0 -ControlPlanes 0
        $env:KUBECONFIG = $script:cluster.KubeConfig
        $script:engine = Start-FleetEngine
        # An address apart from the other suites' fleets.
        $script:node = Start-FleetNode -Name kp-1 -Address 127.0.0.181 -SshPort 2381 -Variant Docker -CniConfig -Condition SwapOn, IpForwardOff, Port10250Taken
        $script:access = @{ SshUser = 'cmadmin'; SshKeyPath = $script:engine.KeyPath; KnownHostsPath = (Join-Path $TestDrive 'known_hosts') }
        $script:endpoint = ([uri]$script:cluster.Url).Authority
        $script:kubectl = { param([string[]]$Arguments) Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments $Arguments }

        function Invoke-Node([string]$Command) { Invoke-FleetHostCommand -FleetHost $script:node -Command $Command }

        # kubeadm join with a JoinConfiguration (JSON, which kubeadm reads as YAML) and a short discovery timeout.
        function Invoke-Join([hashtable]$Discovery, [hashtable]$Extra = @{}, [string]$Flags = '') {
            $config = @{ apiVersion = 'kubeadm.k8s.io/v1beta4'; kind = 'JoinConfiguration'; discovery = @{ bootstrapToken = $Discovery }; timeouts = @{ discovery = '6s' } } + $Extra
            $json = ($config | ConvertTo-Json -Depth 5 -Compress).Replace("'", "'\''")
            Invoke-Node "printf '%s' '$json' > /tmp/join.json && sudo kubeadm join --config /tmp/join.json $Flags; echo exit=`$?"
        }

        function New-BootstrapToken([string]$Id) {
            $b64 = { param([string]$text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)) }
            @{
                apiVersion = 'v1'; kind = 'Secret'; type = 'bootstrap.kubernetes.io/token'
                metadata   = @{ name = "bootstrap-token-$Id"; namespace = 'kube-system' }
                data       = @{ 'token-id' = (& $b64 $Id); 'token-secret' = (& $b64 '0123456789abcdef'); 'usage-bootstrap-authentication' = (& $b64 'true')
                    'usage-bootstrap-signing' = (& $b64 'true'); 'auth-extra-groups' = (& $b64 'system:bootstrappers:kubeadm:default-node-token') }
            } | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $TestDrive "token-$Id.json")
            & $script:kubectl 'create', '--validate=false', '-f', (Join-Path $TestDrive "token-$Id.json") | Out-Null
            "$Id.0123456789abcdef"
        }
    }

    AfterAll {
        Stop-Fleet -Confirm:$false
        if ($script:cluster) { Stop-TestCluster $script:cluster }
        Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    }

    It 'New-ClusterNode refuses swap and the taken kubelet port before it changes anything, naming the checks and the process' {
        $err = { New-ClusterNode -Name kp-1 -Address $script:node.Address -Port $script:node.SshPort @script:access -AcceptNewHostKey -Force -KubernetesVersion 1.32 -Timeout 120 } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'HostSwapEnabled,*'
        $err.Exception.Message | Should -BeLike '*swap is on (/swapfile; kubeadm preflight check Swap)*swapoff -a*'
        $err.Exception.Message | Should -Match 'port 10250, the kubelet''s, is in use by perl \(pid \d+\) \(kubeadm preflight check Port-10250\)'
        $err.Exception.Message | Should -BeLike '*Nothing was changed*'
        # Forwarding can be set on this host, so it is not a refusal: the join would fix it.
        $err.Exception.Message | Should -Not -BeLike '*ip_forward*'

        Invoke-Node 'dpkg-query -W kubelet kubeadm 2>&1; cat /proc/sys/net/ipv4/ip_forward' | Should -Match '(?s)no packages found matching kubelet.*\n0$'
        Invoke-Node 'ls /etc/sysctl.d /etc/modules-load.d' | Should -Not -Match 'clustermanagement'
        @((& $script:kubectl '-n', 'kube-system', 'get', 'secrets', '-o', 'json' | ConvertFrom-Json).items | Where-Object type -EQ 'bootstrap.kubernetes.io/token').Count | Should -Be 0
    }

    It 'the stand-in kubeadm refuses as kubeadm does, and --ignore-preflight-errors turns a check into a warning' {
        # The packages only, from the fleet's repository: nothing else is set up on the host.
        Invoke-Node 'sudo apt-get update -qq >/dev/null 2>&1; sudo apt-get install -y -qq kubelet=1.32.4-1.1 kubeadm=1.32.4-1.1 >/dev/null 2>&1; echo exit=$?' | Should -Match 'exit=0'
        $unknownToken = @{ apiServerEndpoint = $script:endpoint; token = 'nosuch.0123456789abcdef'; unsafeSkipCAVerification = $true }

        $refused = Invoke-Join $unknownToken
        $refused | Should -Match '\[WARNING Swap\]: swap is supported for cgroup v2 only'
        $refused | Should -Match '\[preflight\] Some fatal errors occurred:'
        $refused | Should -Match '\t\[ERROR Port-10250\]: Port 10250 is in use'
        $refused | Should -Match '\t\[ERROR FileContent--proc-sys-net-ipv4-ip_forward\]: /proc/sys/net/ipv4/ip_forward contents are not set to 1'
        $refused | Should -Match 'make a check non-fatal with `--ignore-preflight-errors=...`'
        $refused | Should -Match 'error execution phase preflight: preflight checks failed'
        $refused | Should -Match 'exit=1'

        $ignored = Invoke-Join $unknownToken -Flags '--ignore-preflight-errors=port-10250,FileContent--proc-sys-net-ipv4-ip_forward'
        $ignored | Should -Match '\[WARNING Port-10250\]: Port 10250 is in use'
        $ignored | Should -Not -Match '\[ERROR'
        # Past preflight, discovery finds no signature for a token the cluster does not have.
        $ignored | Should -Match 'couldn''t validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID "nosuch"'
        $ignored | Should -Match 'exit=1'
    }

    It 'the stand-in kubeadm fails as kubeadm does without kubeadm-config, cluster-info or control-plane certificates' {
        $token = New-BootstrapToken 'kpjoin'
        $discovery = @{ apiServerEndpoint = $script:endpoint; token = $token; unsafeSkipCAVerification = $true }
        $saved = Join-Path $TestDrive 'kubeadm-config.json'
        & $script:kubectl '-n', 'kube-system', 'get', 'configmap', 'kubeadm-config', '-o', 'json' | Set-Content $saved
        & $script:kubectl '-n', 'kube-system', 'delete', 'configmap', 'kubeadm-config' | Out-Null
        try {
            $noConfig = Invoke-Join $discovery -Flags '--ignore-preflight-errors=all'
        }
        finally {
            $restored = Get-Content $saved -Raw | ConvertFrom-Json
            $restored.metadata.PSObject.Properties.Remove('resourceVersion')
            $restored.metadata.PSObject.Properties.Remove('uid')
            $restored | ConvertTo-Json -Depth 5 | Set-Content $saved
            & $script:kubectl 'create', '--validate=false', '-f', $saved | Out-Null
        }
        $noConfig | Should -Match 'error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: failed to get config map: configmaps "kubeadm-config" not found'

        $controlPlane = Invoke-Join $discovery -Extra @{ controlPlane = @{} } -Flags '--ignore-preflight-errors=all'
        $controlPlane | Should -Match 'One or more conditions for hosting a new control plane instance is not satisfied\.'
        $controlPlane | Should -Match 'failure loading certificate for CA'
        $controlPlane | Should -Match '\* The certificates that must be shared among control plane instances are provided\.'
        $badKey = Invoke-Join $discovery -Extra @{ controlPlane = @{ certificateKey = 'a' * 64 } } -Flags '--ignore-preflight-errors=all'
        $badKey | Should -Match 'error execution phase control-plane-prepare/download-certs: error downloading certs: error downloading the secret: secrets "kubeadm-certs" not found'

        # kubeadm-certs sealed with one key, one entry neither a key nor a certificate. A control plane
        # about to join needs no static Pod manifests yet (RunInitNodeChecks; its port checks are the
        # same ss test as Port-10250's).
        $key = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).ToLowerInvariant()
        $wrongKey = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).ToLowerInvariant()
        $certsFile = Join-Path $TestDrive 'kubeadm-certs.json'
        New-KubeadmCertsSecret -CertificateKey $key -KubeConfig $script:cluster.KubeConfig -Path $certsFile -Unreadable 'etcd-ca.key'
        & $script:kubectl 'create', '--validate=false', '-f', $certsFile | Out-Null
        Invoke-Node 'sudo install -d /etc/kubernetes/manifests && sudo touch /etc/kubernetes/manifests/etcd.yaml' | Out-Null
        try {
            $hostConditions = '--ignore-preflight-errors=Port-10250,FileContent--proc-sys-net-ipv4-ip_forward'
            $busy = Invoke-Join $discovery -Extra @{ controlPlane = @{ certificateKey = $key } } -Flags $hostConditions
            $wrong = Invoke-Join $discovery -Extra @{ controlPlane = @{ certificateKey = $wrongKey } } -Flags '--ignore-preflight-errors=all'
            $unreadable = Invoke-Join $discovery -Extra @{ controlPlane = @{ certificateKey = $key } } -Flags "$hostConditions,FileAvailable--etc-kubernetes-manifests-etcd.yaml"
        }
        finally {
            Invoke-Node 'sudo rm -rf /etc/kubernetes/manifests; sudo kubeadm reset -f >/dev/null 2>&1' | Out-Null
            & $script:kubectl '-n', 'kube-system', 'delete', 'secret', 'kubeadm-certs' | Out-Null
        }
        $busy | Should -Match '\[preflight\] Running pre-flight checks before initializing the new control plane instance'
        $busy | Should -Match '\t\[ERROR FileAvailable--etc-kubernetes-manifests-etcd\.yaml\]: /etc/kubernetes/manifests/etcd\.yaml already exists'
        $busy | Should -Match 'error execution phase preflight: preflight checks failed'
        $busy | Should -Not -Match 'download-certs'
        # A key of the right form that did not seal the Secret fails as gcm.Open does, before anything is written.
        $wrong | Should -Match 'error execution phase control-plane-prepare/download-certs: error downloading certs: error decoding secret data with provided key: cipher: message authentication failed'
        $wrong | Should -Match 'exit=1'
        # The right key opens every entry; the one that is neither a key nor a certificate stops the join.
        $unreadable | Should -Match '\[WARNING FileAvailable--etc-kubernetes-manifests-etcd\.yaml\]: /etc/kubernetes/manifests/etcd\.yaml already exists'
        $unreadable | Should -Match '\[download-certs\] Saving the certificates to the folder: "/etc/kubernetes/pki"'
        $unreadable | Should -Match 'error execution phase control-plane-prepare/download-certs: unknown data found in Secret entry'

        # Node and module without cluster-info: the module refuses before it touches the host.
        $savedInfo = Join-Path $TestDrive 'cluster-info.json'
        & $script:kubectl '-n', 'kube-public', 'get', 'configmap', 'cluster-info', '-o', 'json' | Set-Content $savedInfo
        & $script:kubectl '-n', 'kube-public', 'delete', 'configmap', 'cluster-info' | Out-Null
        try {
            $noInfo = Invoke-Join $discovery -Flags '--ignore-preflight-errors=all'
            $err = { New-ClusterNode -Name kp-1 -Address $script:node.Address -Port $script:node.SshPort @script:access -Force -KubernetesVersion 1.32 -Timeout 120 } |
                Should -Throw -PassThru
        }
        finally {
            $info = Get-Content $savedInfo -Raw | ConvertFrom-Json
            $info.metadata.PSObject.Properties.Remove('resourceVersion')
            $info.metadata.PSObject.Properties.Remove('uid')
            $info | ConvertTo-Json -Depth 5 | Set-Content $savedInfo
            & $script:kubectl 'create', '--validate=false', '-f', $savedInfo | Out-Null
        }
        $noInfo | Should -Match 'couldn''t validate the identity of the API Server: failed to request the cluster-info ConfigMap: configmaps "cluster-info" not found'
        $err.FullyQualifiedErrorId | Should -BeLike 'ClusterInfoNotFound,*'
        $err.Exception.Message | Should -BeLike '*kubeadm init phase bootstrap-token*'
        # None of these runs wrote anything a later join would trip over.
        Invoke-Node 'ls /etc/kubernetes 2>&1' | Should -Not -Match 'kubelet.conf|pki'
    }

    It 'New-ClusterNode sets the IPv4 forwarding it owns and joins once the admin has turned swap off and freed the port' {
        Set-FleetNodeCondition -Name kp-1 -Condition SwapOn, Port10250Taken -Clear

        $node = New-ClusterNode -Name kp-1 -Address $script:node.Address -Port $script:node.SshPort @script:access -Force -KubernetesVersion 1.32 -Timeout 120 -ErrorAction Stop

        $node.Readiness | Should -Be 'Ready'
        Invoke-Node 'cat /proc/sys/net/ipv4/ip_forward' | Should -Be '1'
        Invoke-Node 'cat /etc/sysctl.d/99-clustermanagement-kubernetes.conf /etc/modules-load.d/99-clustermanagement-kubernetes.conf' |
            Should -Match '(?s)net\.ipv4\.ip_forward = 1.*br_netfilter'
    }

    It 'refuses a join over the Ready node of the same name, the stand-in kubeadm as kubeadm does and New-ClusterNode before it touches any host' {
        $token = New-BootstrapToken 'kpredo'
        $tokensBefore = @((& $script:kubectl '-n', 'kube-system', 'get', 'secrets', '-o', 'json' | ConvertFrom-Json).items | Where-Object type -EQ 'bootstrap.kubernetes.io/token').Count

        $again = Invoke-Join @{ apiServerEndpoint = $script:endpoint; token = $token; unsafeSkipCAVerification = $true } -Flags '--ignore-preflight-errors=all --node-name kp-1'
        $err = { New-ClusterNode -Name kp-1 -Address 127.0.0.182 -Port 2382 @script:access -Force -KubernetesVersion 1.32 -Timeout 60 } | Should -Throw -PassThru

        $again | Should -Match 'error execution phase kubelet-start: a Node with name "kp-1" and status "Ready" already exists in the cluster\. You must delete the existing Node or change the name of this new joining Node'
        $again | Should -Match 'exit=1'
        Invoke-Node 'ls /etc/kubernetes' | Should -Not -Match 'bootstrap-kubelet\.conf'
        (Get-ClusterNode -Name kp-1).Readiness | Should -Be 'Ready'
        $err.FullyQualifiedErrorId | Should -BeLike 'NodeAlreadyExists,*'
        $err.TargetObject | Should -Be 'kp-1'
        $err.Exception.Message | Should -BeLike "*A Ready Node named kp-1 (*$($script:node.Address)*) already exists and is not the host 127.0.0.182:2382*Nothing was changed.*"
        @((& $script:kubectl '-n', 'kube-system', 'get', 'secrets', '-o', 'json' | ConvertFrom-Json).items | Where-Object type -EQ 'bootstrap.kubernetes.io/token').Count | Should -Be $tokensBefore
    }
}
