#Requires -Version 7.4
# Every pair of cmdlets whose output and input types meet, against the emulator only: what the
# producer's objects bind to in the consumer, and that the consumer acts on what they mean (a pod
# means its node, a claim its bound volume), never on an object that only shares the piped one's
# Name. Node-host consumers are checked for binding alone: emulated nodes have no host access data,
# so NodeHostAccessMissing names the node that was bound, before any connection.
# Also: parameter sets that exclude each other, and confirmation in a non-interactive session.

BeforeDiscovery {
    # Producers of node references: a pod (its node), a node (its Name), a plain name.
    $nodeProducers = @(
        @{ Producer = 'Get-NodePod -Node worker-1'; Binds = 'InputObject: the pod''s node'; Produce = { Get-NodePod -Node worker-1 } }
        @{ Producer = 'Get-ClusterNode worker-1'; Binds = 'the node''s Name by property'; Produce = { Get-ClusterNode -Name worker-1 } }
        @{ Producer = '''worker-1'''; Binds = 'the string by value'; Produce = { 'worker-1' } }
    )
    $hostConsumers = @(
        @{ Consumer = 'Get-NodeDocker'; With = @{} }
        @{ Consumer = 'Update-NodeDocker'; With = @{ Version = '20.10'; Force = $true } }
        @{ Consumer = 'Get-ClusterUpgradePlan'; With = @{} }
        @{ Consumer = 'Update-ClusterNode'; With = @{ KubernetesVersion = '1.32'; Force = $true } }
        @{ Consumer = 'Get-NodeService'; With = @{} }
        @{ Consumer = 'Start-NodeService'; With = @{ Name = 'kubelet'; Force = $true } }
        @{ Consumer = 'Stop-NodeService'; With = @{ Name = 'kubelet'; Force = $true } }
        @{ Consumer = 'Restart-NodeService'; With = @{ Name = 'kubelet'; Force = $true } }
        @{ Consumer = 'Backup-ClusterNode'; With = @{ Destination = 'TESTDRIVE/backups' } }
        @{ Consumer = 'Remove-ClusterNode'; With = @{ Force = $true } }
        @{ Consumer = 'Get-NodeNetwork'; With = @{} }
        @{ Consumer = 'New-NodeNetwork'; With = @{ Name = 'test-net'; Subnet = '198.18.0.0/24' } }
        @{ Consumer = 'Get-NodeRoute'; With = @{} }
        @{ Consumer = 'Add-NodeRoute'; With = @{ Destination = '198.18.0.0/24'; Gateway = '127.0.0.1' } }
    )
    $hostPairs = foreach ($p in $nodeProducers) { foreach ($c in $hostConsumers) { $p + $c } }
    # Remove-NodeNetwork and Remove-NodeRoute take -Node by property name beside the network or route
    # (Get-NodeNetwork's and Get-NodeRoute's objects), and by value: a pod's Node, a node (its name) and a
    # plain name all bind, the node's Context going with it.
    $removeConsumers = @(
        @{ Consumer = 'Remove-NodeNetwork'; With = @{ Name = 'test-net'; Force = $true } }
        @{ Consumer = 'Remove-NodeRoute'; With = @{ Destination = '198.18.0.0/24'; Force = $true } }
    )
    $removePairs = foreach ($p in $nodeProducers) { foreach ($c in $removeConsumers) { $p + $c } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    # The sample app default/web, for the app pipes.
    $script:cluster = Start-SuiteCluster -Workers 2 -ExtraArgument '--sample-app'
    $env:KUBECONFIG = $script:cluster.KubeConfig
    $key = Join-Path $TestDrive 'id_ed25519'
    Set-Content -Path $key -Value 'not used'
    # A credential and -AcceptNewHostKey, so only the missing host access data can stop a node-host cmdlet.
    $script:access = @{ SshUser = 'cmadmin'; SshKeyPath = $key; KnownHostsPath = (Join-Path $TestDrive 'known_hosts'); AcceptNewHostKey = $true }
    # A pod the scheduler has not placed: Node is null.
    $template = Get-NodePod -Node worker-1 | Select-Object -First 1
    $script:unscheduledPod = [ClusterManagement.Nodes.NodePod]@{
        Namespace = 'default'; Name = 'unplaced'; Node = $null; Phase = 'Pending'; Ready = '0/1'; Restarts = 0
        Age = 'PT0S'; Created = [DateTime]::UtcNow; IsMirror = $false; HasLocalStorage = $false; IsTerminating = $false
        Uid = [guid]::NewGuid().ToString(); Labels = $template.Labels
    }
}

AfterAll {
    if ($script:cluster) { Stop-TestCluster $script:cluster }
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Pipes into the node cmdlets' {
    It '<Producer> | Get-ClusterNode binds <Binds>: worker-1, once' -ForEach $nodeProducers {
        $nodes = @(& $Produce | Get-ClusterNode)
        $nodes.Name | Should -Be @('worker-1')
    }

    It '<Producer> | Suspend-ClusterNode, then | Resume-ClusterNode, bind <Binds>: worker-1 is cordoned and uncordoned' -ForEach $nodeProducers {
        try {
            $suspended = @(& $Produce | Suspend-ClusterNode -Force -PassThru)
            $suspended.Name | Should -Be @('worker-1')
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeTrue
            (Get-ClusterNode -Name worker-2).Unschedulable | Should -BeFalse
            $resumed = @(& $Produce | Resume-ClusterNode -Force -PassThru)
            $resumed.Name | Should -Be @('worker-1')
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse
        }
        finally {
            Resume-ClusterNode -Name worker-1 -Force
        }
    }

    It 'Get-ClusterNode worker-1 | Get-NodePod binds the node''s Name to -Node: the pods of worker-1' {
        $pods = @(Get-ClusterNode -Name worker-1 | Get-NodePod)
        $pods.Count | Should -BeGreaterThan 0
        $pods.Node | Sort-Object -Unique | Should -Be @('worker-1')
    }

    It 'keeps taking a name by position in every node cmdlet' {
        try {
            (Suspend-ClusterNode worker-2 -Force -PassThru).Name | Should -Be 'worker-2'
            (Get-ClusterNode worker-2).Unschedulable | Should -BeTrue
            (Resume-ClusterNode worker-2 -Force -PassThru).Name | Should -Be 'worker-2'
            (Get-ClusterNode worker-2).Unschedulable | Should -BeFalse
        }
        finally {
            Resume-ClusterNode -Name worker-2 -Force
        }
    }

    It 'keeps binding a list of names by value: ''worker-1'', ''worker-2'' | Get-ClusterNode' {
        ('worker-1', 'worker-2' | Get-ClusterNode).Name | Should -Be @('worker-1', 'worker-2')
    }

    It 'refuses a pod not scheduled on any node with PodNotScheduled, in <_>, and acts on no node' -ForEach @('Get-ClusterNode', 'Suspend-ClusterNode', 'Resume-ClusterNode', 'Remove-ClusterNode') {
        $force = $_ -eq 'Get-ClusterNode' ? @{} : @{ Force = $true }
        $output = @($script:unscheduledPod | & $_ @force -ErrorVariable problems -ErrorAction SilentlyContinue)
        $output | Should -BeNullOrEmpty
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PodNotScheduled*'
        $problems[0].Exception.Message | Should -Match 'default/unplaced is not scheduled'
        (Get-ClusterNode).Unschedulable | Should -Not -Contain $true
    }

    It '<Producer> | <Consumer> binds <Binds>: NodeHostAccessMissing names worker-1, once' -ForEach $hostPairs {
        $parameters = @{}
        foreach ($entry in $With.GetEnumerator()) { $parameters[$entry.Key] = $entry.Value -is [string] ? ($entry.Value -replace '^TESTDRIVE', $TestDrive) : $entry.Value }
        # Update-NodeDocker stops its rollout on a node it cannot prepare (terminating); the others write one error per node.
        $stream = @(& { try { & $Produce | & $Consumer @parameters @script:access -ErrorAction Continue } catch { $_ } } 2>&1)
        $errors = @($stream | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($errors).Count | Should -Be 1 -Because ($stream | Out-String)
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NodeHostAccessMissing*'
        $errors[0].Exception.Message | Should -Match '^Node worker-1 has no host access data'
        (Get-ClusterNode).Name | Should -Contain 'worker-1'
    }

    It '<Producer> | <Consumer> binds <Binds>: every error names worker-1' -ForEach $removePairs {
        $stream = @(& $Produce | & $Consumer @With @script:access -ErrorAction Continue 2>&1)
        $errors = @($stream | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($errors).Count | Should -BeGreaterThan 0
        foreach ($e in $errors) {
            $e.FullyQualifiedErrorId | Should -BeLike 'NodeHostAccessMissing*'
            $e.Exception.Message | Should -Match '^Node worker-1 has no host access data'
        }
    }
}

Describe 'Pipes into the volume cmdlets' {
    BeforeAll {
        $provisioner = (Get-StorageClass -Name standard).Provisioner
        $null = New-StorageClass -Name late -Provisioner $provisioner -VolumeBindingMode WaitForFirstConsumer
        $script:bound = New-CsiVolumeClaim -Name data1 -Size 1Gi -StorageClass standard -Wait
        $script:pending = New-CsiVolumeClaim -Name waiting -Size 1Gi -StorageClass late
    }

    It 'has a bound claim whose volume is not named like the claim, and a pending one' {
        $script:bound.Volume | Should -Not -BeNullOrEmpty
        $script:bound.Volume | Should -Not -Be 'data1'
        (Get-CsiVolumeClaim -Name waiting).Status | Should -Be 'Pending'
    }

    It 'Get-CsiVolumeClaim | Get-CsiVolume binds InputObject: the claim''s bound volume' {
        $volumes = @(Get-CsiVolumeClaim -Name data1 | Get-CsiVolume)
        $volumes.Name | Should -Be @($script:bound.Volume)
    }

    It 'Get-CsiVolumeClaim | Set-CsiVolume binds InputObject: the bound volume gets the policy' {
        $changed = @(Get-CsiVolumeClaim -Name data1 | Set-CsiVolume -ReclaimPolicy Retain -Force -PassThru)
        $changed.Name | Should -Be @($script:bound.Volume)
        (Get-CsiVolume -Name $script:bound.Volume).ReclaimPolicy | Should -Be 'Retain'
        (Get-CsiVolumeClaim -Name data1).ReclaimPolicy | Should -Be 'Retain'
    }

    It 'Get-CsiVolume | Set-CsiVolume binds the volume''s Name by property' {
        $changed = @(Get-CsiVolume -Name $script:bound.Volume | Set-CsiVolume -ReclaimPolicy Delete -Force -PassThru)
        $changed.Name | Should -Be @($script:bound.Volume)
        $changed.ReclaimPolicy | Should -Be 'Delete'
    }

    It 'refuses a pending claim with ClaimNotBound in <_>, and acts on no volume' -ForEach @('Get-CsiVolume', 'Set-CsiVolume') {
        $policies = @(Get-CsiVolume).ForEach({ "$($_.Name)=$($_.ReclaimPolicy)" })
        $extra = $_ -eq 'Set-CsiVolume' ? @{ ReclaimPolicy = 'Retain'; Force = $true; PassThru = $true } : @{}
        $output = @(Get-CsiVolumeClaim -Name waiting | & $_ @extra -ErrorVariable problems -ErrorAction SilentlyContinue)
        $output | Should -BeNullOrEmpty
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ClaimNotBound*'
        $problems[0].Exception.Message | Should -Match 'default/waiting is Pending'
        @(Get-CsiVolume).ForEach({ "$($_.Name)=$($_.ReclaimPolicy)" }) | Should -Be $policies
    }

    It 'Get-CsiVolumeClaim | Remove-CsiVolumeClaim binds Name and Namespace by property' {
        $null = New-CsiVolumeClaim -Name throwaway -Size 1Gi -StorageClass late
        Get-CsiVolumeClaim -Name throwaway | Remove-CsiVolumeClaim -Force
        # The deletion reached default/throwaway: the pvc-protection controller finishes it a moment later, as in a
        # real cluster, so the claim is gone or, for that moment, Terminating.
        @(Get-CsiVolumeClaim -Name throwaway -ErrorAction SilentlyContinue | Where-Object Status -ne Terminating) | Should -BeNullOrEmpty
        Get-CsiVolumeClaim -Name data1 | Should -Not -BeNullOrEmpty
    }

    It 'Get-StorageClass | Set-StorageClass binds the class''s Name by property' {
        (Get-StorageClass -Name late | Set-StorageClass -AllowVolumeExpansion -PassThru).Name | Should -Be 'late'
        (Get-StorageClass -Name late).AllowVolumeExpansion | Should -BeTrue
        (Get-StorageClass -Name standard).Name | Should -Be 'standard'
    }
}

Describe 'Pipes into the app and context cmdlets' {
    It 'Get-ClusterApp | Get-AppRevision binds the app''s Name and Namespace by property: the revisions of web' {
        $revisions = @(Get-ClusterApp -Name web | Get-AppRevision)
        $revisions.Count | Should -BeGreaterThan 0
        $revisions.App | Sort-Object -Unique | Should -Be @('web')
    }

    It 'Get-ClusterApp | Suspend-AppRollout, then | Resume-AppRollout: web is paused and resumed' {
        try {
            (Get-ClusterApp -Name web | Suspend-AppRollout -Force -PassThru).Name | Should -Be 'web'
            (Get-ClusterApp -Name web).Paused | Should -BeTrue
            (Get-ClusterApp -Name web | Resume-AppRollout -Force -PassThru).Name | Should -Be 'web'
            (Get-ClusterApp -Name web).Paused | Should -BeFalse
        }
        finally {
            Resume-AppRollout -Name web -Force
        }
    }

    It 'Get-ClusterApp | Set-AppReplicaCount binds the app, not its replica count: -Replicas from the command line' {
        $before = (Get-ClusterApp -Name web).Replicas
        try {
            Get-ClusterApp -Name web | Set-AppReplicaCount -Replicas ($before + 1) -Force
            (Get-ClusterApp -Name web).Replicas | Should -Be ($before + 1)
        }
        finally {
            Set-AppReplicaCount -Name web -Replicas $before -Force
        }
    }

    It 'Get-ClusterApp | Wait-AppRollout binds the app: web''s rollout' {
        (Get-ClusterApp -Name web | Wait-AppRollout -Timeout 60).App | Should -Be 'web'
    }

    It 'Get-ClusterContext | Use-ClusterContext binds the context''s Name by property' {
        try {
            (Get-ClusterContext -Name sandbox-token | Use-ClusterContext -PassThru).Name | Should -Be 'sandbox-token'
            (Get-ClusterContext | Where-Object IsCurrent).Name | Should -Be 'sandbox-token'
        }
        finally {
            Use-ClusterContext -Reset
        }
    }
}

Describe 'Parameters that exclude each other' {
    It '<_> refuses -AllNamespaces with -Namespace as a binding error' -ForEach @('Get-ClusterApp', 'Get-CsiVolumeClaim', 'Get-ClusterEvent') {
        $failure = { & $_ -AllNamespaces -Namespace kube-system } | Should -Throw -PassThru
        $failure.Exception | Should -BeOfType ([System.Management.Automation.ParameterBindingException])
        $failure.FullyQualifiedErrorId | Should -BeLike 'AmbiguousParameterSet*'
    }

    It '<_> still takes -AllNamespaces or -Namespace alone' -ForEach @('Get-ClusterApp', 'Get-CsiVolumeClaim', 'Get-ClusterEvent') {
        { & $_ -AllNamespaces } | Should -Not -Throw
        { & $_ -Namespace kube-system } | Should -Not -Throw
    }

    It 'Get-ClusterNetwork -Summary writes only the summary' {
        @(Get-ClusterNetwork -Summary -WarningAction SilentlyContinue).ForEach({ $_.GetType().Name }) | Should -Be @('ClusterNetworkSummary')
        @(Get-ClusterNetwork -WarningAction SilentlyContinue).ForEach({ $_.GetType().Name }) | Sort-Object -Unique | Should -Be @('NodeNetwork')
    }
}

Describe 'Confirmation in a non-interactive session' {
    BeforeAll {
        $script:environment = @{ KUBECONFIG = $script:cluster.KubeConfig }
        $script:import = "Import-Module '$(Get-ModuleUnderTest)'; "
    }

    It 'names the switches to add instead of PowerShell''s NonInteractive error, and changes nothing' {
        $script = $script:import + '$ConfirmPreference = ''Low''; try { Suspend-ClusterNode -Name worker-2 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId; $_.Exception.Message; exit 3 }'
        $run = Invoke-FreshPwsh -Script $script -Environment $script:environment
        $run.ExitCode | Should -Be 3 -Because "stdout: $($run.Output) stderr: $($run.Error)"
        $run.Output | Should -Match 'ConfirmationNotPossible,ClusterManagement\.Commands\.Nodes\.SuspendClusterNodeCommand'
        $run.Output | Should -Match 'Suspend-ClusterNode needs confirmation to Cordon on Node worker-2'
        $run.Output | Should -Match 'Add -Force or -Confirm:\$false'
        $run.Output | Should -Not -Match 'NonInteractive mode'
        (Get-ClusterNode -Name worker-2).Unschedulable | Should -BeFalse
    }

    It 'says so for a High-impact cmdlet at the default preference: Remove-StorageClass' {
        $null = New-StorageClass -Name confirm-me -Provisioner (Get-StorageClass -Name standard).Provisioner
        $script = $script:import + 'try { Remove-StorageClass -Name confirm-me -ErrorAction Stop } catch { $_.FullyQualifiedErrorId; $_.Exception.Message; exit 3 }'
        $run = Invoke-FreshPwsh -Script $script -Environment $script:environment
        $run.ExitCode | Should -Be 3 -Because "stdout: $($run.Output) stderr: $($run.Error)"
        $run.Output | Should -Match 'ConfirmationNotPossible'
        $run.Output | Should -Match 'Remove-StorageClass needs confirmation'
        Get-StorageClass -Name confirm-me | Should -Not -BeNullOrEmpty
    }

    It 'goes ahead with -Confirm:$false' {
        $run = Invoke-FreshPwsh -Script ($script:import + 'Remove-StorageClass -Name confirm-me -Confirm:$false -ErrorAction Stop') -Environment $script:environment
        $run.ExitCode | Should -Be 0 -Because $run.Error
        Get-StorageClass -Name confirm-me -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
