BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 9
    $env:KUBECONFIG = $cluster.KubeConfig
    $kubectlCache = Join-Path ([IO.Path]::GetTempPath()) "cm-maint-kubectl-$PID"

    function Invoke-Kubectl {
        # The real kubectl; returns exit code and both streams, so tests can read its messages.
        # A simple function on purpose: $args passes kubectl's -o and -p through untouched.
        $Arguments = $args
        $errorFile = [IO.Path]::GetTempFileName()
        try {
            $out = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir $kubectlCache --request-timeout 30s @Arguments 2>$errorFile
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out -join "`n"); Error = (Get-Content $errorFile -Raw) ?? '' }
        }
        finally { Remove-Item $errorFile -ErrorAction Ignore }
    }

    # Managed pods are controlled by this ConfigMap, as an operator's object controls its pods: the
    # garbage collector deletes pods whose owner does not exist, no controller replaces an evicted
    # one, and drain treats every controller kind but DaemonSet alike (kubectl's unreplicatedFilter).
    $podOwnerUid = (Invoke-Kubectl create configmap pod-owner -o 'jsonpath={.metadata.uid}').Output
    if (-not $podOwnerUid) { throw 'the pods'' owner could not be created' }

    function New-PodSpec {
        <# A pod bound to a node, owned as drain cares about: by a controller, a DaemonSet, nothing, or mirrored. #>
        param(
            [string] $Name, [string] $Node, [string] $Namespace = 'default',
            [ValidateSet('Controller', 'DaemonSet', 'None', 'Mirror')] [string] $Owner = 'Controller',
            [hashtable] $Labels = @{}, [switch] $EmptyDir, [int] $Grace = 0, [string[]] $Finalizers = @()
        )
        $metadata = [ordered]@{ name = $Name; namespace = $Namespace; labels = $Labels }
        switch ($Owner) {
            'Controller' { $metadata.ownerReferences = @(@{ apiVersion = 'v1'; kind = 'ConfigMap'; name = 'pod-owner'; uid = $podOwnerUid; controller = $true }) }
            'DaemonSet' { $metadata.ownerReferences = @(@{ apiVersion = 'apps/v1'; kind = 'DaemonSet'; name = 'kube-proxy'; uid = '6f1c2a8e-2d7b-4c1e-9a51-0d3b7f2e8c41'; controller = $true }) }
            'Mirror' { $metadata.annotations = @{ 'kubernetes.io/config.mirror' = 'abc123'; 'kubernetes.io/config.source' = 'file' } }
        }
        if ($Finalizers) { $metadata.finalizers = $Finalizers }
        $spec = [ordered]@{ nodeName = $Node; terminationGracePeriodSeconds = $Grace; containers = @(@{ name = 'main'; image = 'registry.k8s.io/pause:3.10' }) }
        if ($EmptyDir) { $spec.volumes = @(@{ name = 'scratch'; emptyDir = @{} }) }
        [ordered]@{ apiVersion = 'v1'; kind = 'Pod'; metadata = $metadata; spec = $spec }
    }

    function New-ClusterObject {
        param([Parameter(Mandatory)] [object[]] $Object)
        $file = Join-Path $TestDrive "objects-$([guid]::NewGuid().ToString('n')).json"
        @{ apiVersion = 'v1'; kind = 'List'; items = $Object } | ConvertTo-Json -Depth 12 | Set-Content $file
        $result = Invoke-Kubectl create -f $file
        if ($result.ExitCode -ne 0) { throw "kubectl create failed: $($result.Error)" }
    }

    function Wait-PodsRunning {
        <# The emulator's kubelet starts new pods after a short delay; budgets count only ready pods. #>
        param([string] $Node)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (@(Get-NodePod -Node $Node | Where-Object Phase -ne 'Running').Count -gt 0) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "pods on $Node did not start" }
            Start-Sleep -Milliseconds 200
        }
    }

    function New-PdbSpec {
        param([string] $Name, [hashtable] $Selector, [int] $MinAvailable)
        [ordered]@{ apiVersion = 'policy/v1'; kind = 'PodDisruptionBudget'; metadata = @{ name = $Name; namespace = 'default' }
            spec = [ordered]@{ minAvailable = $MinAvailable; selector = @{ matchLabels = $Selector } } }
    }

    function Get-Request {
        param([string] $Method, [string] $Like)
        @(Invoke-EmulatorControl -Cluster $cluster -Path 'requests') | ForEach-Object { $_ } | Where-Object { $_.method -eq $Method -and $_.path -like $Like }
    }

    function Get-PodName { param([string] $Node) @(Get-NodePod -Node $Node | ForEach-Object { "$($_.Namespace)/$($_.Name)" } | Sort-Object) }
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    Remove-Item $kubectlCache -Recurse -Force -ErrorAction Ignore
}

Describe 'Suspend-ClusterNode and Resume-ClusterNode (cordon)' {
    AfterEach { Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'faults' | Out-Null }

    It 'cordons with the strategic merge patch kubectl sends, then uncordons' {
        $node = Suspend-ClusterNode -Name worker-1 -PassThru
        $node.Unschedulable | Should -BeTrue
        $node.Status | Should -Be 'Ready,SchedulingDisabled'
        (Invoke-Kubectl get node worker-1).Output | Should -Match 'worker-1\s+Ready,SchedulingDisabled'
        $back = Resume-ClusterNode -Name worker-1 -PassThru
        $back.Unschedulable | Should -BeFalse
        (Invoke-Kubectl get node worker-1).Output | Should -Match 'worker-1\s+Ready\s'
    }

    It 'writes nothing for a node already in that state, and says so with -Verbose' {
        Suspend-ClusterNode -Name worker-1
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'requests' | Out-Null
        $verbose = Suspend-ClusterNode -Name worker-1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'already cordoned'
        Get-Request -Method PATCH -Like '/api/v1/nodes/*' | Should -BeNullOrEmpty
        Resume-ClusterNode -Name worker-1
        $again = Resume-ClusterNode -Name worker-1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($again.Message -join "`n") | Should -Match 'already uncordoned'
    }

    It 'agrees with kubectl cordon and uncordon on the same nodes' {
        (Invoke-Kubectl cordon worker-2).Output | Should -Be 'node/worker-2 cordoned'
        (Invoke-Kubectl cordon worker-2).Output | Should -Be 'node/worker-2 already cordoned'
        (Get-ClusterNode worker-2).Unschedulable | Should -BeTrue
        Resume-ClusterNode worker-2
        (Invoke-Kubectl uncordon worker-2).Output | Should -Be 'node/worker-2 already uncordoned'
    }

    It 'reports an unknown node as ObjectNotFound naming it and still processes the others in the pipeline' {
        $changed = 'worker-3', 'no-such-node', 'worker-4' | Suspend-ClusterNode -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue
        $changed.Name | Should -Be @('worker-3', 'worker-4')
        $problems.Count | Should -Be 1
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'no-such-node'
        $problems[0].Exception.Message | Should -Match 'no-such-node'
        Get-ClusterNode worker-3, worker-4 | Resume-ClusterNode
        (Get-ClusterNode worker-3).Unschedulable | Should -BeFalse
    }

    It 'changes nothing with -WhatIf' {
        Suspend-ClusterNode -Name worker-3 -WhatIf
        (Get-ClusterNode worker-3).Unschedulable | Should -BeFalse
    }

    It 'retries a 409 Conflict on the cordon patch' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'PATCH'; path = '/api/v1/nodes/worker-3'; statusCode = 409; times = 2 } | Out-Null
        (Suspend-ClusterNode -Name worker-3 -PassThru).Unschedulable | Should -BeTrue
        Resume-ClusterNode -Name worker-3
    }

    It 'reports a conflict that persists, and leaves the node as it was' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'PATCH'; path = '/api/v1/nodes/worker-3'; statusCode = 409; times = 20 } | Out-Null
        Suspend-ClusterNode -Name worker-3 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $problems[0].Exception.Message | Should -Match 'gave up after'
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'faults' | Out-Null
        (Get-ClusterNode worker-3).Unschedulable | Should -BeFalse
    }

    It 'completes node names' {
        $line = 'Suspend-ClusterNode -Name worker-'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'worker-9'
        $line = 'Resume-ClusterNode cp'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('cp-1')
    }
}

Describe 'Get-NodePod' {
    BeforeAll {
        New-ClusterObject @(
            New-PodSpec -Name 'list-web' -Node worker-5
            New-PodSpec -Name 'list-bare' -Node worker-5 -Owner None -EmptyDir
            New-PodSpec -Name 'list-static' -Node worker-5 -Owner Mirror -Namespace kube-system
        )
        Wait-PodsRunning -Node worker-5
    }

    It 'lists the same pods as kubectl get pods --field-selector spec.nodeName' {
        $kubectl = (Invoke-Kubectl get pods -A --field-selector spec.nodeName=worker-5 -o json).Output | ConvertFrom-Json
        $expected = @($kubectl.items | ForEach-Object { "$($_.metadata.namespace)/$($_.metadata.name)" } | Sort-Object)
        Get-PodName -Node worker-5 | Should -Be $expected
    }

    It 'shows what drain decides on: controller, mirror pod, local storage' {
        $pods = Get-NodePod -Node worker-5
        $web = $pods | Where-Object Name -eq 'list-web'
        $web.ControllerKind | Should -Be 'ConfigMap'
        $web.ControllerName | Should -Be 'pod-owner'
        $web.Ready | Should -Be '1/1'
        $bare = $pods | Where-Object Name -eq 'list-bare'
        $bare.ControllerKind | Should -BeNullOrEmpty
        $bare.HasLocalStorage | Should -BeTrue
        ($pods | Where-Object Name -eq 'list-static').IsMirror | Should -BeTrue
        ($pods | Where-Object Name -like 'kube-proxy-*').ControllerKind | Should -Be 'DaemonSet'
        (Get-NodePod -Node worker-5 -Namespace kube-system).Namespace | Sort-Object -Unique | Should -Be 'kube-system'
    }

    It 'takes nodes from Get-ClusterNode, and reports an unknown node' {
        (Get-ClusterNode worker-5 | Get-NodePod).Count | Should -Be @(Get-NodePod worker-5).Count
        Get-NodePod -Node 'ghost' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'serializes to JSON' {
        $json = Get-NodePod worker-5 | Select-Object -First 1 | ConvertTo-Json -Depth 4 -WarningAction Stop
        ($json | ConvertFrom-Json).Node | Should -Be 'worker-5'
    }
}

Describe 'Suspend-ClusterNode -Drain' {
    AfterEach { Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'faults' | Out-Null }

    It 'refuses, as kubectl does, what needs a switch; names every pod; changes nothing' {
        New-ClusterObject @(
            New-PodSpec -Name 'refuse-web' -Node worker-6
            New-PodSpec -Name 'refuse-bare' -Node worker-6 -Owner None
            New-PodSpec -Name 'refuse-scratch' -Node worker-6 -EmptyDir
        )
        $before = Get-PodName -Node worker-6
        Suspend-ClusterNode -Name worker-6 -Drain -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DrainBlocked*'
        $message = $problems[0].Exception.Message
        $message | Should -Match 'Pods that declare no controller \(use -DeleteUnmanagedPods to override\): default/refuse-bare'
        $message | Should -Match 'Pods with local storage \(use -DeleteEmptyDirData to override\): default/refuse-scratch'
        $message | Should -Match 'DaemonSet-managed Pods \(use -IgnoreDaemonSets to ignore\): kube-system/kube-proxy-'
        $message | Should -Not -Match 'refuse-web'
        (Get-ClusterNode worker-6).Unschedulable | Should -BeFalse
        Get-PodName -Node worker-6 | Should -Be $before
    }

    It '-WhatIf lists exactly what would be evicted and left, and changes nothing' {
        $before = Get-PodName -Node worker-6
        $script = "Import-Module '$(Get-ModuleUnderTest)'; Suspend-ClusterNode -Name worker-6 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -DeleteUnmanagedPods -Force -WhatIf"
        $run = Invoke-FreshPwsh -Script $script -Environment @{ KUBECONFIG = $cluster.KubeConfig }
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Match 'Drain node worker-6: cordon it, evict 3 pod\(s\), leave 1 pod\(s\) running'
        $run.Output | Should -Match 'evict default/refuse-bare \(deleting Pods that declare no controller\)'
        $run.Output | Should -Match 'evict default/refuse-scratch'
        $run.Output | Should -Match 'evict default/refuse-web'
        $run.Output | Should -Match 'leave kube-system/kube-proxy-\w+ \(ignoring DaemonSet-managed Pods\)'
        (Get-ClusterNode worker-6).Unschedulable | Should -BeFalse
        Get-PodName -Node worker-6 | Should -Be $before
    }

    It 'evicts through the Eviction API, leaves DaemonSet and mirror pods, and writes a NodeDrainResult' {
        New-ClusterObject @(New-PodSpec -Name 'static-web' -Node worker-6 -Owner Mirror -Namespace kube-system)
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'requests' | Out-Null
        $result = Suspend-ClusterNode -Name worker-6 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -DeleteUnmanagedPods -Force -WarningVariable warnings -WarningAction SilentlyContinue
        $result.PSObject.TypeNames[0] | Should -Be 'ClusterManagement.Nodes.NodeDrainResult'
        $result.Completed | Should -BeTrue
        $result.Evicted | Should -Be @('default/refuse-bare', 'default/refuse-scratch', 'default/refuse-web')
        $result.Skipped.Count | Should -Be 2
        ($result.Skipped | Where-Object Name -eq 'static-web').Reason | Should -Match 'mirror'
        ($result.Skipped | Where-Object Name -like 'kube-proxy-*').Reason | Should -Be 'ignoring DaemonSet-managed Pods'
        ($warnings -join "`n") | Should -Match 'deleting Pods that declare no controller: default/refuse-bare'
        ($warnings -join "`n") | Should -Not -Match 'deprecated' -Because 'the switch is named, so -Force means only "do not ask"'
        @(Get-Request -Method POST -Like '/api/v1/namespaces/default/pods/*/eviction').Count | Should -Be 3
        Get-PodName -Node worker-6 | Where-Object { $_ -like 'default/*' } | Should -BeNullOrEmpty
        (Get-ClusterNode worker-6).Unschedulable | Should -BeTrue
        ($result | ConvertTo-Json -Depth 4 -WarningAction Stop | ConvertFrom-Json).Node | Should -Be 'worker-6'
    }

    It 'waits for a PodDisruptionBudget that blocks, then allows (429 retried every 5 s)' {
        New-ClusterObject @(
            New-PodSpec -Name 'budget-a' -Node worker-7 -Labels @{ app = 'budget' }
            New-PdbSpec -Name 'budget' -Selector @{ app = 'budget' } -MinAvailable 1
        )
        Wait-PodsRunning -Node worker-7
        $relax = Start-ThreadJob -ScriptBlock {
            param($KubeConfig, $Cache)
            Start-Sleep -Seconds 3
            & kubectl --kubeconfig $KubeConfig --cache-dir $Cache patch pdb budget --type=merge -p '{"spec":{"minAvailable":0}}' 2>&1
        } -ArgumentList $cluster.KubeConfig, $kubectlCache
        try {
            $result = Suspend-ClusterNode -Name worker-7 -Drain -IgnoreDaemonSets -Timeout 60 -Verbose 4>&1
            $verbose = $result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $drain = $result | Where-Object { $_.PSObject.TypeNames[0] -eq 'ClusterManagement.Nodes.NodeDrainResult' }
            $drain.Evicted | Should -Be @('default/budget-a')
            # The healthy count in the message is the budget's status, which the server may not have caught up on yet.
            ($verbose.Message -join "`n") | Should -Match "Cannot evict pod as it would violate the pod's disruption budget\..*The disruption budget budget needs 1 healthy pods and has \d+ currently"
            @(Get-Request -Method POST -Like '/api/v1/namespaces/default/pods/budget-a/eviction').Count | Should -BeGreaterThan 1
        }
        finally {
            $relax | Wait-Job | Remove-Job
        }
    }

    It 'ends a drain that cannot finish with an error naming each blocking pod; the node stays cordoned; a second run continues' {
        New-ClusterObject @(
            New-PodSpec -Name 'stuck-guarded' -Node worker-8 -Labels @{ app = 'stuck' }
            New-PodSpec -Name 'stuck-finalized' -Node worker-8 -Finalizers 'example.com/hold'
            New-PodSpec -Name 'stuck-free' -Node worker-8
            New-PdbSpec -Name 'stuck' -Selector @{ app = 'stuck' } -MinAvailable 1
        )
        Wait-PodsRunning -Node worker-8
        $result = Suspend-ClusterNode -Name worker-8 -Drain -IgnoreDaemonSets -Timeout 6 -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.Completed | Should -BeFalse
        $result.Evicted | Should -Be @('default/stuck-free')
        $result.Failed.Name | Should -Be @('stuck-finalized', 'stuck-guarded')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DrainIncomplete*'
        $problems[0].Exception.Message | Should -Match 'default/stuck-guarded: not evicted before the timeout: .*disruption budget stuck needs 1 healthy pods'
        $problems[0].Exception.Message | Should -Match 'default/stuck-finalized: evicted, but still terminating'
        $diagnosis = $problems[0].Exception.Diagnosis
        $diagnosis.Cause | Should -Be 'DrainBlockedByDisruptionBudget'
        ($diagnosis.Affected | Where-Object Name -eq 'stuck-guarded').State | Should -Be 'held by PodDisruptionBudget default/stuck'
        ($diagnosis.Affected | Where-Object Name -eq 'stuck-finalized').State | Should -Match '^evicted, but still terminating'
        ($diagnosis.Evidence | Where-Object Source -eq 'PodDisruptionBudget').Message | Should -Match '^currentHealthy \d+, desiredHealthy 1, disruptionsAllowed 0'
        $problems[0].Exception.Message | Should -Match '(?m)^Cause: '
        (Get-ClusterNode worker-8).Unschedulable | Should -BeTrue
        Get-PodName -Node worker-8 | Should -Contain 'default/stuck-guarded'

        # What blocked is released; the second run takes over where the first stopped.
        (Invoke-Kubectl patch pdb stuck --type=merge -p '{"spec":{"minAvailable":0}}').ExitCode | Should -Be 0
        (Invoke-Kubectl patch pod stuck-finalized --type=merge -p '{"metadata":{"finalizers":null}}').ExitCode | Should -Be 0
        $second = Suspend-ClusterNode -Name worker-8 -Drain -IgnoreDaemonSets -Timeout 30 -PassThru
        ($second | Where-Object { $_.PSObject.TypeNames[0] -eq 'ClusterManagement.Nodes.NodeDrainResult' }).Completed | Should -BeTrue
        ($second | Where-Object { $_.PSObject.TypeNames[0] -eq 'ClusterManagement.Nodes.ClusterNode' }).Status | Should -Be 'Ready,SchedulingDisabled'
        Get-PodName -Node worker-8 | Where-Object { $_ -like 'default/*' } | Should -BeNullOrEmpty
    }

    It 'retries 500s and a dropped connection mid-drain, and finishes' {
        New-ClusterObject @(1..4 | ForEach-Object { New-PodSpec -Name "flaky-$_" -Node worker-9 })
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'POST'; path = '/api/v1/namespaces/default/pods/flaky-1/eviction'; statusCode = 500; times = 2 } | Out-Null
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'POST'; path = '/api/v1/namespaces/default/pods/flaky-2/eviction'; abort = $true; times = 1 } | Out-Null
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'GET'; path = '/api/v1/pods'; abort = $true; times = 1 } | Out-Null
        $result = Suspend-ClusterNode -Name worker-9 -Drain -IgnoreDaemonSets -Timeout 60
        $result.Completed | Should -BeTrue
        $result.Evicted | Should -Be @('default/flaky-1', 'default/flaky-2', 'default/flaky-3', 'default/flaky-4')
    }

    It 'reports a pod the server keeps failing to evict, never a silent partial drain' {
        Resume-ClusterNode -Name worker-9
        New-ClusterObject @(New-PodSpec -Name 'broken' -Node worker-9; New-PodSpec -Name 'fine' -Node worker-9)
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'POST'; path = '/api/v1/namespaces/default/pods/broken/eviction'; statusCode = 500; message = 'etcd is sulking' } | Out-Null
        $result = Suspend-ClusterNode -Name worker-9 -Drain -IgnoreDaemonSets -Timeout 60 -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.Evicted | Should -Be @('default/fine')
        $result.Failed.Name | Should -Be @('broken')
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DrainIncomplete*'
        $problems[0].Exception.Message | Should -Match 'default/broken: eviction failed: .*etcd is sulking'
        (Get-ClusterNode worker-9).Unschedulable | Should -BeTrue
    }

    It 'agrees with kubectl drain on the same pods, with and without the switches' {
        # A DaemonSet whose pods lose it: the garbage collector deletes them and they stay for their
        # grace period, as on a cluster, while drain finds their DaemonSet gone.
        foreach ($node in 'worker-2', 'worker-3') {
            (Invoke-Kubectl label node $node example.com/agent=on).ExitCode | Should -Be 0
            New-ClusterObject @(
                New-PodSpec -Name "same-$node-web" -Node $node
                New-PodSpec -Name "same-$node-bare" -Node $node -Owner None
                New-PodSpec -Name "same-$node-scratch" -Node $node -EmptyDir
            )
        }
        New-ClusterObject @([ordered]@{ apiVersion = 'apps/v1'; kind = 'DaemonSet'; metadata = @{ name = 'gone-agent'; namespace = 'default' }
                spec = @{ selector = @{ matchLabels = @{ app = 'gone-agent' } }; updateStrategy = @{ type = 'OnDelete' }
                    template = @{ metadata = @{ labels = @{ app = 'gone-agent' } }
                        spec = @{ nodeSelector = @{ 'example.com/agent' = 'on' }; terminationGracePeriodSeconds = 60; containers = @(@{ name = 'agent'; image = 'registry.k8s.io/pause:3.10' }) } } } })
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while (@((Invoke-Kubectl get pods -l app=gone-agent -o 'jsonpath={.items[*].spec.nodeName}').Output.Split(' ', [StringSplitOptions]::RemoveEmptyEntries)).Count -lt 2) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'the DaemonSet did not start its pods' }
            Start-Sleep -Milliseconds 200
        }
        (Invoke-Kubectl delete daemonset gone-agent).ExitCode | Should -Be 0
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while (@((Invoke-Kubectl get pods -l app=gone-agent -o 'jsonpath={.items[*].metadata.deletionTimestamp}').Output.Split(' ', [StringSplitOptions]::RemoveEmptyEntries)).Count -lt 2) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'the orphaned DaemonSet pods were not deleted' }
            Start-Sleep -Milliseconds 200
        }
        $kubectl = Invoke-Kubectl drain worker-2
        $kubectl.ExitCode | Should -Be 1
        Suspend-ClusterNode -Name worker-3 -Drain -ErrorVariable problems -ErrorAction SilentlyContinue
        foreach ($pair in @(
                @('cannot delete Pods that declare no controller', 'same-NODE-bare'),
                @('cannot delete Pods with local storage', 'same-NODE-scratch'),
                @('cannot delete DaemonSet-managed Pods', 'kube-system/kube-proxy-'))) {
            $kubectl.Error | Should -Match ([regex]::Escape($pair[0]) + '.*' + ($pair[1] -replace 'NODE', 'worker-2'))
            $problems[0].Exception.Message | Should -Match ([regex]::Escape($pair[0]) + '.*' + ($pair[1] -replace 'NODE', 'worker-3'))
        }
        $kubectl.Error | Should -Match 'daemonsets.apps "gone-agent" not found: default/gone-agent-\w{5}'
        $problems[0].Exception.Message | Should -Match 'daemonsets.apps "gone-agent" not found: default/gone-agent-\w{5}'

        # A grace period of 1 s ends the orphans' long one (an eviction may only bring the end closer).
        $kubectl = Invoke-Kubectl drain worker-2 --ignore-daemonsets --delete-emptydir-data --force --grace-period 1
        $kubectl.ExitCode | Should -Be 0
        $kubectl.Output | Should -Match 'node/worker-2 drained'
        $moduleRun = Suspend-ClusterNode -Name worker-3 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -DeleteUnmanagedPods -GracePeriod 1 -Force -WarningAction SilentlyContinue -Verbose 4>&1
        $module = $moduleRun | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        # Each eviction is logged in kubectl's words: the same lines, node name aside.
        $kubectlLines = @(($kubectl.Output + "`n" + $kubectl.Error) -split '\r?\n' | Where-Object { $_ -match '^(evicting pod default/same-|pod/same-\S+ evicted$)' } | ForEach-Object { $_ -replace 'worker-2', 'NODE' } | Sort-Object -Unique)
        $moduleLines = @($moduleRun | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message | Where-Object { $_ -match '^(evicting pod default/same-|pod/same-\S+ evicted$)' } | ForEach-Object { $_ -replace 'worker-3', 'NODE' } | Sort-Object -Unique)
        $kubectlLines.Count | Should -Be 6
        $moduleLines | Should -Be $kubectlLines
        # Only the pods made for this test: the seeded CoreDNS runs on worker-2, and its ReplicaSet may start the replacement anywhere.
        $kubectlEvicted = @([regex]::Matches($kubectl.Output, 'pod/(same-\S+) evicted') | ForEach-Object { $_.Groups[1].Value -replace 'worker-2', 'NODE' } | Sort-Object)
        $moduleEvicted = @($module.Evicted | Where-Object { $_ -like 'default/same-*' } | ForEach-Object { ($_ -split '/')[1] -replace 'worker-3', 'NODE' } | Sort-Object)
        $kubectlEvicted.Count | Should -Be 3
        $moduleEvicted | Should -Be $kubectlEvicted
        # The orphans go with the switches, under the names their DaemonSet gave them.
        $kubectl.Output | Should -Match 'pod/gone-agent-\w{5} evicted'
        @($module.Evicted | Where-Object { $_ -like 'default/gone-agent-*' }).Count | Should -Be 1
        $kubectl.Error | Should -Match 'ignoring DaemonSet-managed Pods: kube-system/kube-proxy-'
        (Get-ClusterNode worker-2).Status | Should -Be (Get-ClusterNode worker-3).Status
        foreach ($node in 'worker-2', 'worker-3') { (Invoke-Kubectl label node $node example.com/agent-).ExitCode | Should -Be 0 }
    }
}

Describe 'Suspend-ClusterNode -Force only skips the prompt' {
    # worker-4: only the cordon tests touch it, and they uncordon it again.
    AfterEach { Resume-ClusterNode -Name worker-4 }

    It '-DeleteUnmanagedPods deletes pods without a controller; -Force -DeleteUnmanagedPods:$false refuses them, without a deprecation warning' {
        New-ClusterObject @(New-PodSpec -Name 'force-bare-1' -Node worker-4 -Owner None)
        Suspend-ClusterNode -Name worker-4 -Drain -IgnoreDaemonSets -DeleteUnmanagedPods:$false -Force -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DrainBlocked*'
        $problems[0].Exception.Message | Should -Match 'use -DeleteUnmanagedPods to override\): default/force-bare-1'
        $warnings | Should -BeNullOrEmpty
        Get-PodName -Node worker-4 | Should -Contain 'default/force-bare-1'

        $result = Suspend-ClusterNode -Name worker-4 -Drain -IgnoreDaemonSets -DeleteUnmanagedPods -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Evicted | Should -Contain 'default/force-bare-1'
        ($warnings -join "`n") | Should -Not -Match 'deprecated'
    }

    It '-Force alone still deletes them for one release, and warns once, naming -DeleteUnmanagedPods' {
        New-ClusterObject @(New-PodSpec -Name 'force-bare-2' -Node worker-4 -Owner None; New-PodSpec -Name 'force-bare-3' -Node worker-4 -Owner None)
        $result = Suspend-ClusterNode -Name worker-4 -Drain -IgnoreDaemonSets -Force -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Evicted | Should -Be @('default/force-bare-2', 'default/force-bare-3')
        $deprecation = @($warnings | Where-Object { "$_" -match 'deprecated' })
        $deprecation.Count | Should -Be 1
        "$($deprecation[0])" | Should -Match '-Force on Suspend-ClusterNode also deletes pods that declare no controller.*add -DeleteUnmanagedPods to keep it, or -DeleteUnmanagedPods:\$false'
    }

    It '-Force alone says nothing of the old meaning when no pod needs it' {
        New-ClusterObject @(New-PodSpec -Name 'force-web' -Node worker-4)
        $result = Suspend-ClusterNode -Name worker-4 -Drain -IgnoreDaemonSets -Force -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Evicted | Should -Be @('default/force-web')
        ($warnings -join "`n") | Should -Not -Match 'deprecated'
    }

    It 'counts each eviction on the progress bar as it happens, and logs it as kubectl does' {
        New-ClusterObject @(1..3 | ForEach-Object { New-PodSpec -Name "progress-$_" -Node worker-4 })
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$(Get-ModuleUnderTest)'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'; Suspend-ClusterNode -Name worker-4 -Drain -IgnoreDaemonSets -GracePeriod 0 -Force -Verbose").Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $statuses = @($shell.Streams.Progress | Where-Object { $_.Activity -eq 'Draining node worker-4' -and $_.RecordType -eq 'Processing' } | ForEach-Object StatusDescription)
            $statuses | Should -Be @('0 of 3 pods evicted', '1 of 3 pods evicted', '2 of 3 pods evicted', '3 of 3 pods evicted')
            @($shell.Streams.Progress | Where-Object { $_.Activity -eq 'Draining node worker-4' -and $_.RecordType -eq 'Completed' }).Count | Should -Be 1
            $verbose = @($shell.Streams.Verbose | ForEach-Object Message)
            foreach ($name in 1..3 | ForEach-Object { "progress-$_" }) {
                $verbose | Should -Contain "evicting pod default/$name"
                $verbose | Should -Contain "pod/$name evicted"
                [array]::IndexOf($verbose, "evicting pod default/$name") | Should -BeLessThan ([array]::IndexOf($verbose, "pod/$name evicted"))
            }
        }
        finally { $shell.Dispose() }
    }
}
