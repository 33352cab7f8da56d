#Requires -Version 7.4
# Kubernetes version upgrades with the module (issue 21): Get-ClusterUpgradePlan and Update-ClusterNode
# -KubernetesVersion on a control plane and a worker of the fleet, joined at v1.31.4 to an emulator started
# at v1.31.4. One cluster for the file, the tests in order: -WhatIf and refusals change nothing; a kubelet
# that does not start after its upgrade stops the run with its journal and leaves its node cordoned; the
# re-run finishes; Ctrl+C stops the next minor's upgrade while kubeadm runs on the control plane, and its re-run
# upgrades both nodes. Starts fleet nodes: run under
# /tmp/cm-fleet-tests.lock.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $script:fleetSkipReason = Get-FleetSkipReason -Suite 'the Kubernetes upgrade tests'
}

Describe 'Kubernetes upgrades of fleet nodes' -Skip:([bool]$script:fleetSkipReason) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot '../Fleet/Fleet.psm1') -Force
        Import-Module (Get-ModuleUnderTest) -Force
        # Addresses apart from the other suites' fleets.
        $script:fleet = Start-SuiteFleetCluster -ControlPlane up-cp-1 -Worker up-w-1 -FirstOctet 191 -WorkDir $TestDrive
        $script:cluster = $script:fleet.Cluster
        $script:engine = $script:fleet.Engine
        $script:cp, $script:worker = $script:fleet.Nodes
        $env:KUBECONFIG = $script:cluster.KubeConfig
        $script:knownHosts = $script:fleet.Access.KnownHostsPath
        $script:access = $script:fleet.Access
        $script:kubectl = { param([string[]]$Arguments) Invoke-KubectlJson -KubeConfig $script:cluster.KubeConfig -Arguments $Arguments }

        function Invoke-Node($FleetHost, [string]$Command) { Invoke-FleetHostCommand -FleetHost $FleetHost -Command $Command }
        # A root shell in the control plane's container, apart from SSH, so that it adds no SSH session of its own.
        function Invoke-CpContainer([string]$Script) {
            $PSNativeCommandUseErrorActionPreference = $false
            ((& docker --host "unix://$($script:engine.Socket)" exec up-cp-1 sh -c $Script 2>&1) | ForEach-Object { "$_" }) -join "`n"
        }
        function Get-ServerVersion { (& $script:kubectl 'get', '--raw', '/version' | ConvertFrom-Json).gitVersion }
        function Get-Node([string]$Name) { & $script:kubectl 'get', 'node', $Name, '-o', 'json' | ConvertFrom-Json }
        # What dpkg has and holds on a host: "kubeadm=1.31.4-1.1 kubelet=1.31.4-1.1 held:kubeadm,kubelet".
        function Get-PackageState($FleetHost) {
            Invoke-Node $FleetHost 'dpkg-query -W -f ''${Package}=${Version} '' kubeadm kubelet 2>/dev/null; echo "held:$(apt-mark showhold | sort | paste -sd, -)"'
        }
        # ShouldProcess writes its "What if:" lines to the host: -WhatIf runs in a fresh pwsh whose standard output is the host.
        function Invoke-WhatIf([string]$Command) {
            $run = Invoke-FreshPwsh -TimeoutSeconds 240 -Script "Import-Module '$(Get-ModuleUnderTest)'; $Command" -Environment @{
                KUBECONFIG = $script:cluster.KubeConfig; CLUSTERMANAGEMENT_SSH_USER = 'cmadmin'; CLUSTERMANAGEMENT_SSH_KEY_PATH = $script:engine.KeyPath
            }
            $run.ExitCode | Should -Be 0 -Because $run.Error
            $run.Output
        }

        $script:before = @{ Cp = Get-PackageState $script:cp; Worker = Get-PackageState $script:worker }
    }

    AfterAll {
        Stop-FleetCluster $script:fleet
        Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    }

    It 'starts from v1.31.4 everywhere, kubelet and kubeadm held as New-ClusterNode left them' {
        Get-ServerVersion | Should -Be 'v1.31.4'
        $script:before.Cp | Should -Match 'kubeadm=1\.31\.4-1\.1 kubelet=1\.31\.4-1\.1 held:.*kubeadm,kubelet'
        $script:before.Worker | Should -Match 'kubeadm=1\.31\.4-1\.1 kubelet=1\.31\.4-1\.1 held:.*kubeadm,kubelet'
    }

    It 'Get-ClusterUpgradePlan shows each node''s step, versions, sources and holds; latest is the next minor' {
        $plan = @(Get-ClusterUpgradePlan @script:access)
        $plan.Node | Should -Be @('up-cp-1', 'up-w-1')
        $plan.Step | Should -Be @('ControlPlaneApply', 'Worker')
        $plan | ForEach-Object {
            $_.KubeletVersion | Should -Be 'v1.31.4'
            $_.KubeadmVersion | Should -Be 'v1.31.4'
            $_.ApiServerVersion | Should -Be 'v1.31.4'
            $_.Target | Should -Be 'v1.32.4'
            $_.Available | Should -Contain '1.33.4-1.1'
            $_.Held | Should -Contain 'kubelet'
            $_.Blockers | Should -BeNullOrEmpty
        }
    }

    It 'Get-ClusterUpgradePlan to a minor two ahead warns with the upgrades to run and blocks every node' {
        $plan = @(Get-ClusterUpgradePlan -KubernetesVersion 1.33 -Node up-w-1 @script:access -WarningVariable warned -WarningAction SilentlyContinue)
        $plan.Node | Should -Be 'up-w-1'
        $plan[0].Target | Should -Be 'v1.33.4'
        $plan[0].Blockers -join "`n" | Should -Match 'v1\.31\.4 to v1\.33\.4 skips a minor'
        "$warned" | Should -Match 'Run -KubernetesVersion 1\.32\.4, then 1\.33\.4'
    }

    It '-WhatIf shows both nodes'' batches and steps and changes nothing' {
        $text = Invoke-WhatIf "Update-ClusterNode -KubernetesVersion 1.32 -KnownHostsPath '$script:knownHosts' -WhatIf"
        $text | Should -Match 'What if: Performing the operation "Batch 1 of 2: ControlPlaneApply: cordon, drain, install kubeadm 1\.32\.4-1\.1, kubeadm upgrade apply v1\.32\.4 --yes, install kubelet 1\.32\.4-1\.1 \(held\), restart the kubelet, wait for v1\.32\.4 and Ready, uncordon" on target "up-cp-1"'
        $text | Should -Match 'Batch 2 of 2: Worker: cordon, drain, install kubeadm 1\.32\.4-1\.1, kubeadm upgrade node, .*" on target "up-w-1"'
        Get-ServerVersion | Should -Be 'v1.31.4'
        Get-PackageState $script:cp | Should -Be $script:before.Cp
        Get-PackageState $script:worker | Should -Be $script:before.Worker
        (Get-ClusterNode -Name up-cp-1, up-w-1).Unschedulable | Should -Not -Contain $true
    }

    It 'refuses a skip of two minors with the sequence to run, before any change' {
        $err = { Update-ClusterNode -KubernetesVersion 1.33 -Force @script:access -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'KubernetesUpgradeSkipsMinor,*'
        $err.Exception.Message | Should -Match 'Nothing was changed\. Run -KubernetesVersion 1\.32\.4, then 1\.33\.4; or add -Stepwise'
        Get-ServerVersion | Should -Be 'v1.31.4'
        Get-PackageState $script:cp | Should -Be $script:before.Cp
    }

    It 'refuses while a PodDisruptionBudget would block the worker''s drain, naming both, and changes nothing' {
        $manifest = Join-Path $TestDrive 'guarded.yaml'
        Set-Content $manifest @'
apiVersion: apps/v1
kind: Deployment
metadata: { name: guarded, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: guarded } }
  template:
    metadata: { labels: { app: guarded } }
    spec:
      nodeName: up-w-1
      containers: [ { name: main, image: registry.k8s.io/pause:3.10 } ]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: guarded, namespace: default }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: guarded } }
'@
        & $script:kubectl 'apply', '-f', $manifest | Out-Null
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not (& $script:kubectl 'get', 'pods', '-l', 'app=guarded', '-o', 'json' | ConvertFrom-Json).items -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
            $err = { Update-ClusterNode -KubernetesVersion 1.32 -Force @script:access -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'KubernetesUpgradeBlocked,*'
            $err.Exception.Message | Should -Match 'up-w-1: PodDisruptionBudget default/guarded allows no disruption now and selects default/guarded-'
            $err.Exception.Message | Should -Match 'nothing was changed'
            (Get-ClusterNode -Name up-w-1).Unschedulable | Should -BeFalse
            Get-ServerVersion | Should -Be 'v1.31.4'
        }
        finally {
            & $script:kubectl 'delete', '-f', $manifest, '--wait=false' | Out-Null
            # No kubelet runs these pods: they go at once, so that no pod is left Terminating on the worker for the drains below.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            do {
                & $script:kubectl 'delete', 'pods', '-l', 'app=guarded', '--grace-period=0', '--force', '--ignore-not-found' 2>$null | Out-Null
                $left = (& $script:kubectl 'get', 'pods', '-l', 'app=guarded', '-o', 'json' | ConvertFrom-Json).items
            } while ($left -and [DateTime]::UtcNow -lt $deadline)
        }
    }

    It 'a kubelet that does not start after its upgrade stops the run with its journal and leaves its node cordoned' {
        # The fault: a flag the kubelet refuses, in the file its unit reads, taking effect at the restart the upgrade does.
        $script:kubeletDefaults = Invoke-Node $script:worker 'cat /etc/default/kubelet'
        Invoke-Node $script:worker "echo '$script:kubeletDefaults --no-such-flag' | sudo tee /etc/default/kubelet >/dev/null" | Out-Null
        $results = [Collections.Generic.List[object]]::new()
        $err = {
            Update-ClusterNode -KubernetesVersion 1.32 -Force -Timeout 240 @script:access -ErrorAction Stop | ForEach-Object { $results.Add($_) }
        } | Should -Throw -PassThru

        $results | ForEach-Object { "$($_.Node) $($_.Step) $($_.Status)" } | Should -Be @('up-cp-1 ControlPlaneApply Upgraded', 'up-w-1 Worker Failed')
        $err.FullyQualifiedErrorId | Should -BeLike 'KubeletStartFailed,*'
        # The fault fired: the kubelet's own refusal, from its journal, is in the error.
        $err.Exception.Message | Should -Match 'unknown flag: --no-such-flag'
        $err.Exception.Message | Should -Match 'journalctl -u kubelet -n 20'
        $err.Exception.Message | Should -Match 'up-w-1 stays cordoned'
        $node = Get-Node up-w-1
        $node.spec.unschedulable | Should -BeTrue
        $node.metadata.annotations.'clustermanagement.io/kubernetes-upgrade-cordoned' | Should -Not -BeNullOrEmpty
        # The control plane went first and is done: the API server and its kubelet are at the target, uncordoned.
        Get-ServerVersion | Should -Be 'v1.32.4'
        $cpNode = Get-Node up-cp-1
        $cpNode.status.nodeInfo.kubeletVersion | Should -Be 'v1.32.4'
        $cpNode.spec.unschedulable | Should -Not -BeTrue
        $results[0].UnavailableFor | Should -Match '^PT'
    }

    It 'the re-run after the failure converges: the control plane is Current, the worker finished and uncordoned, packages held at the target' {
        Invoke-Node $script:worker "echo '$script:kubeletDefaults' | sudo tee /etc/default/kubelet >/dev/null" | Out-Null
        $results = @(Update-ClusterNode -KubernetesVersion 1.32 -Force -Timeout 240 @script:access)
        $results | ForEach-Object { "$($_.Node) $($_.Step) $($_.Status)" } | Should -Be @('up-cp-1 None Current', 'up-w-1 Worker Upgraded')
        $node = Get-Node up-w-1
        $node.status.nodeInfo.kubeletVersion | Should -Be 'v1.32.4'
        $node.spec.unschedulable | Should -Not -BeTrue
        $node.metadata.annotations.'clustermanagement.io/kubernetes-upgrade-cordoned' | Should -BeNullOrEmpty
        Get-PackageState $script:worker | Should -Match 'kubeadm=1\.32\.4-1\.1 kubelet=1\.32\.4-1\.1 held:.*kubeadm,kubelet'
    }

    It 'Ctrl+C in the middle of Update-ClusterNode while kubeadm upgrade apply runs: ends within 5 s, says the control plane stays cordoned, closes its SSH session' {
        # A kubeadm ahead of the real one in sudo's secure_path: "upgrade apply" tells the test and waits, so the stop
        # comes while kubeadm runs; once the test kills its sleep it exits without running the real one.
        Invoke-CpContainer @'
cat > /usr/local/sbin/kubeadm <<'WRAPPER'
#!/bin/sh
if [ "$1 $2" = "upgrade apply" ]; then touch /root/kubeadm-waiting; sleep 47 || exit 1; fi
exec /usr/bin/kubeadm "$@"
WRAPPER
chmod 0755 /usr/local/sbin/kubeadm; rm -f /root/kubeadm-waiting
'@ | Out-Null
        try {
            $stopped = Invoke-StoppedNodeRun -Node up-cp-1 -Command 'Update-ClusterNode -KubernetesVersion latest -Force -Timeout 240' -Midway {
                $deadline = [DateTime]::UtcNow.AddSeconds(150)
                while ((Invoke-CpContainer 'test -e /root/kubeadm-waiting && echo yes') -ne 'yes') {
                    if ([DateTime]::UtcNow -gt $deadline) { throw 'Update-ClusterNode never reached kubeadm upgrade apply.' }
                    Start-Sleep -Milliseconds 300
                }
            } -SessionCount { Invoke-CpContainer "pgrep -c -f '^sshd: cmadmin' || true" } -KubeConfig $script:cluster.KubeConfig `
                -KeyPath $script:engine.KeyPath -KnownHostsPath $script:knownHosts -WorkDir $TestDrive
        }
        finally {
            Invoke-CpContainer "pkill -KILL -f '^sleep 47$'; rm -f /usr/local/sbin/kubeadm /root/kubeadm-waiting; true" | Out-Null
        }

        Assert-StoppedInTime $stopped
        $stopped.Output | Should -Match 'WARNING: Stopped upgrading Kubernetes of up-cp-1 while running kubeadm upgrade apply v1\.33\.4 --yes: up-cp-1 stays cordoned\. To finish, run Update-ClusterNode -KubernetesVersion again'
        $node = Get-Node up-cp-1
        $node.spec.unschedulable | Should -BeTrue
        $node.metadata.annotations.'clustermanagement.io/kubernetes-upgrade-cordoned' | Should -Not -BeNullOrEmpty
        Get-ServerVersion | Should -Be 'v1.32.4' -Because 'kubeadm upgrade apply never ran'
        (Get-Node up-w-1).spec.unschedulable | Should -Not -BeTrue -Because 'the worker''s batch never started'
    }

    It 'the re-run after the stop upgrades the two-node cluster one more minor: API server, kubelets, held packages, nodes uncordoned' {
        $results = @(Update-ClusterNode -KubernetesVersion latest -Force -Timeout 240 @script:access)
        $results | ForEach-Object { "$($_.Node) $($_.Batch) $($_.Step) $($_.Status) $($_.From) $($_.To)" } |
            Should -Be @('up-cp-1 1 ControlPlaneApply Upgraded v1.32.4 v1.33.4', 'up-w-1 2 Worker Upgraded v1.32.4 v1.33.4')
        $results.Drained | Should -Be @($true, $true)
        Get-ServerVersion | Should -Be 'v1.33.4'
        foreach ($name in 'up-cp-1', 'up-w-1') {
            $node = Get-Node $name
            $node.status.nodeInfo.kubeletVersion | Should -Be 'v1.33.4'
            $node.spec.unschedulable | Should -Not -BeTrue
        }
        foreach ($fleetHost in $script:cp, $script:worker) {
            Get-PackageState $fleetHost | Should -Match 'kubeadm=1\.33\.4-1\.1 kubelet=1\.33\.4-1\.1 held:.*kubeadm,kubelet'
        }
        (Get-ClusterUpgradePlan @script:access).Step | Should -Be @('None', 'None')
    }
}
