#Requires -Version 7.4
# The stand-in kubeadm's upgrade commands on fleet hosts (issue 21): a control plane and a worker joined at
# v1.31.4 to an emulator started at v1.31.4; kubeadm upgrade apply refuses what kubeadm refuses, then
# moves the control plane (manifests, kubeadm-config, the API server's /version) one minor; upgrade node
# follows on the worker; a kubelet with a flag it does not know does not start. Starts fleet nodes: run
# under /tmp/cm-fleet-tests.lock.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $script:fleetSkipReason = Get-FleetSkipReason -Suite 'the kubeadm upgrade tests'
}

Describe 'kubeadm upgrade on fleet hosts' -Skip:([bool]$script:fleetSkipReason) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot '../Fleet/Fleet.psm1') -Force
        Import-Module (Get-ModuleUnderTest) -Force
        # Addresses apart from the other suites' fleets.
        $script:fleet = Start-SuiteFleetCluster -ControlPlane ku-cp-1 -Worker ku-w-1 -FirstOctet 186 -WorkDir $TestDrive
        $script:cluster = $script:fleet.Cluster
        $script:engine = $script:fleet.Engine
        $script:cp, $script:worker = $script:fleet.Nodes
        $env:KUBECONFIG = $script:cluster.KubeConfig
        $script:kubectl = { param([string[]]$Arguments) Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments $Arguments }

        function Invoke-Node($FleetHost, [string]$Command) { Invoke-FleetHostCommand -FleetHost $FleetHost -Command $Command }
        function Install-Package($FleetHost, [string]$Packages) {
            Invoke-Node $FleetHost "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades --allow-change-held-packages $Packages >/dev/null 2>&1; echo exit=`$?" |
                Should -Match 'exit=0' -Because "apt-get installs $Packages"
        }
        function Get-ServerVersion { (& $script:kubectl 'get', '--raw', '/version' | ConvertFrom-Json).gitVersion }
        function Get-ClusterConfigurationVersion {
            $configuration = (& $script:kubectl '-n', 'kube-system', 'get', 'configmap', 'kubeadm-config', '-o', 'json' | ConvertFrom-Json).data.ClusterConfiguration
            [regex]::Match($configuration, '(?m)^kubernetesVersion: (\S+)').Groups[1].Value
        }
        # Bounded wait on the Node's Ready condition, as the emulator's lifecycle controller reports it.
        function Wait-NodeReady([string]$Name, [string]$Status, [int]$TimeoutSec = 60) {
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
            do {
                $node = & $script:kubectl 'get', 'node', $Name, '-o', 'json' | ConvertFrom-Json
                $ready = ($node.status.conditions | Where-Object type -EQ 'Ready').status
                if ($ready -eq $Status) { return }
                Start-Sleep -Seconds 1
            } while ([DateTime]::UtcNow -lt $deadline)
            throw "Node $Name did not turn Ready=$Status within $TimeoutSec s (last: $ready)"
        }
    }

    AfterAll {
        Stop-FleetCluster $script:fleet
        Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    }

    It 'a joined control plane has what kubeadm''s control-plane-prepare phases write: a working admin.conf and its manifests at the cluster version' {
        $files = Invoke-Node $script:cp 'sudo grep -h "image:" /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/kube-controller-manager.yaml /etc/kubernetes/manifests/kube-scheduler.yaml'
        $files | Should -Match 'registry\.k8s\.io/kube-apiserver:v1\.31\.4'
        $files | Should -Match 'registry\.k8s\.io/kube-scheduler:v1\.31\.4'
        $subject = Invoke-Node $script:cp 'sudo sed -n "s/^ *client-certificate-data: //p" /etc/kubernetes/admin.conf | base64 -d | openssl x509 -noout -subject; sudo stat -c %a /etc/kubernetes/admin.conf'
        $subject | Should -Match 'O ?= ?kubeadm:cluster-admins, CN ?= ?kubernetes-admin'
        $subject | Should -Match '(?m)^600$'
    }

    It 'upgrade plan shows the next minor; upgrade apply refuses a target newer than kubeadm, a skipped minor and an unanswered confirmation, and changes nothing' {
        $newer = Invoke-Node $script:cp 'sudo kubeadm upgrade apply v1.32.4 -y 2>&1; echo exit=$?'
        # kubeadm 1.31 words apply as before its phases (1.32): no phase named in its failures.
        $newer | Should -Match '\[upgrade/version\] You have chosen to change the cluster version to "v1\.32\.4"'
        $newer | Should -Match '\[upgrade/versions\] Cluster version: v1\.31\.4'
        $newer | Should -Match '(?m)^\[upgrade/version\] FATAL: the --version argument is invalid due to these fatal errors:'
        $newer | Should -Match '\t- Specified version to upgrade to "v1\.32\.4" is at least one minor release higher than the kubeadm minor release \(32 > 31\)\. Such an upgrade is not supported'
        $newer | Should -Match 'exit=1'

        Install-Package $script:cp 'kubeadm=1.33.4-1.1'
        $skip = Invoke-Node $script:cp 'sudo kubeadm upgrade apply v1.33.4 -y 2>&1; echo exit=$?'
        $skip | Should -Match 'error execution phase preflight: \[upgrade/version\] FATAL: the --version argument is invalid due to these fatal errors:'
        $skip | Should -Match '\t- Specified version to upgrade to "v1\.33\.4" is too high; kubeadm can upgrade only 1 minor version at a time'
        $skip | Should -Match 'Please fix the misalignments highlighted above and try upgrading again'
        $skip | Should -Match 'exit=1'
        # A newer kubeadm may apply an older minor only with --force.
        $older = Invoke-Node $script:cp 'sudo kubeadm upgrade apply v1.32.4 -y 2>&1; echo exit=$?'
        $older | Should -Match '\t- Kubeadm version v1\.33\.4 can only be used to upgrade to Kubernetes version 1\.33'
        $older | Should -Match 'Can be bypassed if you pass the --force flag'

        Install-Package $script:cp 'kubeadm=1.32.4-1.1'
        # The plan: its target is this kubeadm's own version (no internet), one row per kubelet and per control-plane component.
        $plan = Invoke-Node $script:cp 'sudo kubeadm upgrade plan -o json 2>/dev/null' | ConvertFrom-Json
        $plan.apiVersion | Should -Be 'output.kubeadm.k8s.io/v1alpha3'
        $plan.availableUpgrades[0].description | Should -Be 'stable version'
        $rows = $plan.availableUpgrades[0].components | ForEach-Object { "$($_.name)/$($_.nodeName)/$($_.currentVersion)/$($_.newVersion)" }
        $rows | Should -Contain 'kubelet/ku-w-1/v1.31.4/v1.32.4'
        $rows | Should -Contain 'kube-apiserver/ku-cp-1/v1.31.4/v1.32.4'
        $text = Invoke-Node $script:cp 'sudo kubeadm upgrade plan v1.33.4 2>&1'
        $text | Should -Match 'kubelet\s+ku-cp-1\s+v1\.31\.4\s+v1\.33\.4'
        $text | Should -Match '\tkubeadm upgrade apply v1\.33\.4'
        $text | Should -Match 'Note: Before you can perform this upgrade, you have to update kubeadm to v1\.33\.4\.'
        # ssh without a terminal: kubeadm's question reads nothing, which is no.
        $unanswered = Invoke-Node $script:cp 'sudo kubeadm upgrade apply v1.32.4 </dev/null 2>&1; echo exit=$?'
        $unanswered | Should -Match '\[upgrade\] Are you sure you want to proceed\? \[y/N\]: '
        $unanswered | Should -Match "error execution phase preflight: won't proceed; the user didn't answer \(Y\|y\) in order to continue"
        $unanswered | Should -Match 'exit=1'

        Get-ServerVersion | Should -Be 'v1.31.4'
        Get-ClusterConfigurationVersion | Should -Be 'v1.31.4'
        Invoke-Node $script:cp 'sudo grep -h "image:" /etc/kubernetes/manifests/kube-apiserver.yaml; sudo ls /etc/kubernetes/tmp 2>&1' |
            Should -Match '(?s)kube-apiserver:v1\.31\.4.*No such file'
    }

    It 'upgrade apply refuses while a control plane is NotReady, unless told to ignore the check' {
        Invoke-Node $script:cp 'sudo systemctl stop kubelet' | Out-Null
        $null = Invoke-EmulatorControl -Cluster $script:cluster -Method PUT -Path settings -Body @{ nodeGraceSeconds = 4 }
        try {
            Wait-NodeReady ku-cp-1 -Status Unknown
            $notReady = Invoke-Node $script:cp 'sudo kubeadm upgrade apply v1.32.4 -y 2>&1; echo exit=$?'
            $ignored = Invoke-Node $script:cp 'sudo kubeadm upgrade apply v1.32.4 --dry-run --ignore-preflight-errors=controlplanenodesready 2>&1; echo exit=$?'
        }
        finally {
            $null = Invoke-EmulatorControl -Cluster $script:cluster -Method PUT -Path settings -Body @{ nodeGraceSeconds = 40 }
            Invoke-Node $script:cp 'sudo systemctl start kubelet' | Out-Null
        }
        $notReady | Should -Match 'error execution phase preflight: \[upgrade/health\] FATAL: \[preflight\] Some fatal errors occurred:'
        $notReady | Should -Match '\t\[ERROR ControlPlaneNodesReady\]: there are NotReady control-planes in the cluster: \[ku-cp-1\]'
        $notReady | Should -Match 'exit=1'
        $ignored | Should -Match '\[WARNING ControlPlaneNodesReady\]: there are NotReady control-planes in the cluster: \[ku-cp-1\]'
        $ignored | Should -Match '\[dryrun\] Finished dryrunning successfully!'
        $ignored | Should -Match 'exit=0'
        Get-ServerVersion | Should -Be 'v1.31.4'
        Wait-NodeReady ku-cp-1 -Status True
    }

    It 'upgrade apply moves the control plane one minor: manifests, kubeadm-config and the API server''s version; a re-run converges' {
        $applied = Invoke-Node $script:cp 'sudo kubeadm upgrade apply v1.32.4 -y 2>&1; echo exit=$?'
        $applied | Should -Match '\[upgrade/staticpods\] Component "kube-apiserver" upgraded successfully!'
        $applied | Should -Match '\[upgrade\] SUCCESS! A control plane node of your cluster was upgraded to "v1\.32\.4"\.'
        $applied | Should -Match 'exit=0'
        Get-ServerVersion | Should -Be 'v1.32.4'
        Get-ClusterConfigurationVersion | Should -Be 'v1.32.4'
        Invoke-Node $script:cp 'sudo grep -h "image:" /etc/kubernetes/manifests/*.yaml; sudo ls /etc/kubernetes/tmp/kubeadm-backup-manifests-*/' |
            Should -Match '(?s)kube-apiserver:v1\.32\.4.*kube-controller-manager:v1\.32\.4.*kube-scheduler:v1\.32\.4.*kube-apiserver\.yaml'
        # The kubelet is the node's own step: it still reports the version it was installed at.
        (& $script:kubectl 'get', 'node', 'ku-cp-1', '-o', 'json' | ConvertFrom-Json).status.nodeInfo.kubeletVersion | Should -Be 'v1.31.4'

        $again = Invoke-Node $script:cp 'sudo kubeadm upgrade apply v1.32.4 -y 2>&1; echo exit=$?'
        $again | Should -Match 'Current and new manifests of kube-apiserver are equal, skipping upgrade'
        $again | Should -Match 'exit=0'
        Invoke-Node $script:cp 'sudo kubeadm upgrade plan 2>&1' | Should -Match "Awesome, you're up-to-date! Enjoy!"
    }

    It 'upgrade node refreshes a worker''s kubelet configuration and refuses a control plane whose kubeadm is older than the cluster' {
        Install-Package $script:worker 'kubeadm=1.32.4-1.1'
        $workerRun = Invoke-Node $script:worker 'sudo kubeadm upgrade node 2>&1; echo exit=$?; sudo cat /var/lib/kubelet/config.yaml'
        $workerRun | Should -Match '\[upgrade/control-plane\] Skipping phase\. Not a control plane node\.'
        $workerRun | Should -Match '\[upgrade/kubelet-config\] The kubelet configuration for this node was successfully upgraded!'
        $workerRun | Should -Match 'exit=0'
        $workerRun | Should -Match '(?m)^clusterDomain: cluster\.local$'
        $workerRun | Should -Match '(?m)^containerRuntimeEndpoint: unix:///var/run/containerd/containerd\.sock$'

        Install-Package $script:cp 'kubeadm=1.31.4-1.1'
        $stale = Invoke-Node $script:cp 'sudo kubeadm upgrade node 2>&1; echo exit=$?'
        $stale | Should -Match 'Specified version to upgrade to "v1\.32\.4" is higher than the kubeadm version "v1\.31\.4"\. Upgrade kubeadm first'
        $stale | Should -Match 'exit=1'
    }

    It 'the kubelet refuses a flag it does not know, and kubectl reports its package version' {
        Install-Package $script:worker 'kubectl=1.32.4-1.1'
        Invoke-Node $script:worker 'kubectl version --client; kubectl version --client -o json' |
            Should -Match '(?s)Client Version: v1\.32\.4.*"gitVersion": "v1\.32\.4"'

        $saved = Invoke-Node $script:worker 'cat /etc/default/kubelet'
        try {
            Invoke-Node $script:worker "echo '$saved --no-such-flag' | sudo tee /etc/default/kubelet >/dev/null; sudo systemctl restart kubelet; sleep 2; sudo journalctl -u kubelet --no-pager -n 20; systemctl is-active kubelet" |
                Should -Match '(?s)"command failed" err="failed to parse kubelet flag: unknown flag: --no-such-flag".*(activating|failed)'
        }
        finally {
            Invoke-Node $script:worker "echo '$saved' | sudo tee /etc/default/kubelet >/dev/null; sudo systemctl reset-failed kubelet; sudo systemctl restart kubelet" | Out-Null
        }
    }
}
