# The API server misbehaving under a running operation: gone for a while (an outage), answering
# 409 Conflict on writes, 429 on evictions, 410 Expired on watches. Each test injects the fault
# through the emulator's control API, checks that it really fired (hit counts, the expired-watch
# counter) and that the module either finished or ended with an error that says what was done and
# what was not. Every command runs under a watchdog, so a hang fails its test, not the run.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 8
    $env:KUBECONFIG = $cluster.KubeConfig
    $kubectlCache = Join-Path ([IO.Path]::GetTempPath()) "cm-apifaults-kubectl-$PID"
    $conflictMessage = 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again'

    function kc {
        <# The real kubectl against the suite's emulator; throws on failure. #>
        $output = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir $kubectlCache --request-timeout 30s @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "kubectl $args failed: $output" }
        $output
    }

    function New-ClusterObject {
        <# Creates objects as JSON (kubectl create -f), which the emulator reads. #>
        param([Parameter(Mandatory)] [object[]] $Object)
        $file = Join-Path $TestDrive "objects-$([guid]::NewGuid().ToString('n')).json"
        @{ apiVersion = 'v1'; kind = 'List'; items = $Object } | ConvertTo-Json -Depth 12 | Set-Content $file
        $null = kc create -f $file
    }

    # The slow pods' controller: an object that exists (the garbage collector deletes pods whose owner
    # does not) and that no controller reconciles, so an evicted pod is not replaced.
    $podOwnerUid = kc create configmap pod-owner -o 'jsonpath={.metadata.uid}'

    function New-SlowPod {
        <# A controller-owned pod on a node that takes $Grace seconds to go once evicted. #>
        param([string] $Name, [string] $Node, [int] $Grace = 0, [hashtable] $Labels = @{})
        [ordered]@{
            apiVersion = 'v1'; kind = 'Pod'
            metadata   = [ordered]@{ name = $Name; namespace = 'default'; labels = $Labels
                ownerReferences = @(@{ apiVersion = 'v1'; kind = 'ConfigMap'; name = 'pod-owner'; uid = $podOwnerUid; controller = $true }) }
            spec       = [ordered]@{ nodeName = $Node; terminationGracePeriodSeconds = $Grace; containers = @(@{ name = 'main'; image = 'registry.k8s.io/pause:3.10' }) }
        }
    }

    function New-App {
        <# A Deployment whose rollout is complete before the test starts. #>
        param([string] $Name, [int] $Replicas = 2)
        New-ClusterObject @([ordered]@{
                apiVersion = 'apps/v1'; kind = 'Deployment'
                metadata   = @{ name = $Name; namespace = 'default'; labels = @{ app = $Name } }
                spec       = @{
                    replicas = $Replicas
                    selector = @{ matchLabels = @{ app = $Name } }
                    # Its pods land on the nodes other tests drain: they must go at once.
                    template = @{ metadata = @{ labels = @{ app = $Name } }; spec = @{ terminationGracePeriodSeconds = 0; containers = @(@{ name = $Name; image = 'nginx:1.27' }) } }
                }
            })
        $null = Wait-AppRollout $Name -Timeout 60 -ErrorAction Stop
    }

    function Add-Fault {
        <# Adds a fault rule; returns its id. #>
        param([hashtable] $Rule)
        (Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body $Rule).id
    }

    function Get-Fault { param([string] $Id) Invoke-EmulatorControl -Cluster $cluster -Path "faults/$Id" }

    function Set-EmulatorSetting { param([hashtable] $Setting) $null = Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path settings -Body $Setting }

    function Wait-OutageOver {
        <# Later tests need the server back: waits (bounded) until the outage rule has expired. #>
        param([string] $Id)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-Fault $Id).active) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "outage $Id did not end" }
            Start-Sleep -Milliseconds 200
        }
    }

    function Start-ControlLater {
        <#
        In the background: once the server has logged a request whose path is like $AfterRequest (or at
        once), waits $Delay seconds, runs kubectl $Kubectl if given, then calls the control API. Bounded.
        #>
        param([string] $AfterRequest, [double] $Delay = 0, [string[]] $Kubectl, [string] $Method = 'POST', [string] $Path, [hashtable] $Body)
        # Only requests from now on count, and a short log keeps each look at it quick.
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        Start-ThreadJob -ArgumentList (Get-RepoRoot), $cluster, $kubectlCache, $AfterRequest, $Delay, $Kubectl, $Method, $Path, $Body -ScriptBlock {
            param($Root, $Cluster, $Cache, $AfterRequest, $Delay, $Kubectl, $Method, $Path, $Body)
            Import-Module (Join-Path $Root 'tests/TestCluster.psm1')
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($AfterRequest -and -not (@(Invoke-EmulatorControl -Cluster $Cluster -Path requests) | ForEach-Object { $_ } | Where-Object path -Like $AfterRequest)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "no request like $AfterRequest" }
                Start-Sleep -Milliseconds 100
            }
            Start-Sleep -Milliseconds ($Delay * 1000)
            if ($Kubectl) { $null = & kubectl --kubeconfig $Cluster.KubeConfig --cache-dir $Cache @Kubectl 2>&1 }
            if ($Body) { Invoke-EmulatorControl -Cluster $Cluster -Method $Method -Path $Path -Body $Body } else { Invoke-EmulatorControl -Cluster $Cluster -Method $Method -Path $Path }
        }
    }

    function Invoke-Bounded {
        <#
        Runs $Command (with $Arguments as $p) in a thread of its own and fails the test if it is not
        done within $Seconds. Returns its output, errors, verbose lines and duration.
        #>
        param([scriptblock] $Command, [hashtable] $Arguments = @{}, [int] $Seconds = 90)
        $job = Start-ThreadJob -ArgumentList (Get-ModuleUnderTest), $Command.ToString(), $Arguments -ScriptBlock {
            param($Module, $Text, $p)
            Import-Module $Module
            $ConfirmPreference = 'None'
            $errors = [System.Collections.Generic.List[object]]::new()
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $records = try { & ([scriptblock]::Create($Text)) $p 4>&1 2>&1 } catch { $errors.Add($_) }
            $clock.Stop()
            $records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $errors.Add($_) }
            [pscustomobject]@{
                Output  = @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.VerboseRecord] })
                Errors  = @($errors)
                Verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
                Elapsed = $clock.Elapsed
            }
        }
        if (-not (Wait-Job $job -Timeout $Seconds)) {
            Stop-Job $job
            Remove-Job $job -Force
            throw "The command did not finish within $Seconds s: $Command"
        }
        try { Receive-Job $job -ErrorAction Stop } finally { Remove-Job $job -Force }
    }

    function Get-ExpiredWatchCount { [int] (Invoke-EmulatorControl -Cluster $cluster -Path status).expiredWatches }
}

AfterAll {
    Get-Job | Remove-Job -Force
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
    Remove-Item $kubectlCache -Recurse -Force -ErrorAction Ignore
}

Describe 'The API server goes away during a drain' {
    AfterEach {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path faults | Out-Null
    }

    It 'resumes when the server is back within the drain timeout (a 10 s outage)' {
        New-ClusterObject @(1..3 | ForEach-Object { New-SlowPod -Name "outage-$_" -Node worker-3 -Grace 3 })
        $outage = Start-ControlLater -AfterRequest '/api/v1/namespaces/default/pods/outage-*/eviction' -Path outage -Body @{ seconds = 10 }

        $run = Invoke-Bounded { Suspend-ClusterNode -Name worker-3 -Drain -IgnoreDaemonSets -Timeout 45 -Verbose }
        $id = ($outage | Wait-Job | Receive-Job).id

        $run.Errors | Should -BeNullOrEmpty
        $drain = $run.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'ClusterManagement.Nodes.NodeDrainResult' }
        $drain.Completed | Should -BeTrue
        $drain.Evicted | Should -Be @('default/outage-1', 'default/outage-2', 'default/outage-3')
        (Get-Fault $id).hits | Should -BeGreaterThan 0
        $run.Elapsed.TotalSeconds | Should -BeGreaterThan 9
        ($run.Verbose -match 'answers again').Count | Should -BeGreaterThan 0
        Wait-OutageOver $id
    }

    It 'ends at its timeout when the outage outlasts it: the error names the pods, the server and that the node stays cordoned' {
        New-ClusterObject @(1..2 | ForEach-Object { New-SlowPod -Name "lost-$_" -Node worker-4 -Grace 30 })
        $outage = Start-ControlLater -AfterRequest '/api/v1/namespaces/default/pods/lost-*/eviction' -Path outage -Body @{ seconds = 10 }

        $run = Invoke-Bounded { Suspend-ClusterNode -Name worker-4 -Drain -IgnoreDaemonSets -Timeout 6 -ErrorAction Continue }
        $id = ($outage | Wait-Job | Receive-Job).id

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DrainIncomplete*'
        $message = $run.Errors[0].Exception.Message
        $message | Should -Match 'Node worker-4 cannot be drained\. The node stays cordoned'
        $message | Should -Match 'default/lost-1: .*the API server could not be reached'
        $run.Elapsed.TotalSeconds | Should -BeLessThan 10
        (Get-Fault $id).hits | Should -BeGreaterThan 0
        Wait-OutageOver $id
        (Get-ClusterNode worker-4).Unschedulable | Should -BeTrue
    }

    It 'a cordon the server never confirms ends with DrainInterrupted: the node may be cordoned, and the error says so' {
        New-ClusterObject @(New-SlowPod -Name 'unconfirmed' -Node worker-5)
        $id = Add-Fault @{ method = 'PATCH'; path = '/api/v1/nodes/worker-5'; abort = $true }

        $run = Invoke-Bounded { Suspend-ClusterNode -Name worker-5 -Drain -IgnoreDaemonSets -Timeout 20 -ErrorAction Continue }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DrainInterrupted*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $run.Errors[0].Exception.Message | Should -Match 'Node worker-5 may be cordoned: the API server did not confirm the cordon\..*No pod was evicted; check the node with Get-ClusterNode'
        (Get-Fault $id).hits | Should -BeGreaterThan 0
        Get-NodePod -Node worker-5 | Where-Object Name -eq 'unconfirmed' | Should -Not -BeNullOrEmpty
    }
}

Describe 'The API server goes away during Wait-AppRollout' {
    AfterEach {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path faults | Out-Null
        Set-EmulatorSetting @{ podReadySeconds = 1 }
    }

    It 'follows the rollout again once the server is back within -Timeout (a 10 s outage)' {
        New-App -Name outage-app
        Set-EmulatorSetting @{ podReadySeconds = 4 }
        Publish-AppVersion outage-app -Image nginx:1.28 -ErrorAction Stop | Out-Null
        # The request log holds a request once it is answered: the list before the watch, here.
        $outage = Start-ControlLater -AfterRequest '/apis/apps/v1/namespaces/default/deployments?fieldSelector=*outage-app*' -Delay 1 -Path outage -Body @{ seconds = 10 }

        $run = Invoke-Bounded { Wait-AppRollout outage-app -Timeout 45 -Verbose }
        $id = ($outage | Wait-Job | Receive-Job).id

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Status | Should -Be 'Complete'
        $run.Output.Images | Should -Be @('nginx:1.28')
        (Get-Fault $id).hits | Should -BeGreaterThan 0
        $run.Elapsed.TotalSeconds | Should -BeGreaterThan 9
        Wait-OutageOver $id
    }

    It 'ends with an error naming the app, its last state and the lost server when the outage outlasts -Timeout' {
        New-App -Name lost-app
        Publish-AppVersion lost-app -Image web:broken -ErrorAction Stop | Out-Null
        $outage = Start-ControlLater -AfterRequest '/apis/apps/v1/namespaces/default/deployments?fieldSelector=*lost-app*' -Delay 0.5 -Path outage -Body @{ seconds = 6 }

        $run = Invoke-Bounded { Wait-AppRollout lost-app -Timeout 3 -ErrorAction Continue }
        $id = ($outage | Wait-Job | Receive-Job).id

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AppRolloutWaitInterrupted*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $message = $run.Errors[0].Exception.Message
        $message | Should -Match 'Stopped waiting for .*lost-app.* the API server has not answered'
        $message | Should -Match 'Last seen of .*lost-app.*: Waiting for deployment "lost-app" rollout to finish'
        $message | Should -Match 'The rollout itself goes on'
        (Get-Fault $id).hits | Should -BeGreaterThan 0
        Wait-OutageOver $id
    }
}

Describe '409 Conflict on every write path' {
    BeforeAll {
        New-App -Name conflict-app
        Publish-AppVersion conflict-app -Image nginx:1.28 -Wait -Timeout 60 -ErrorAction Stop | Out-Null
        New-StorageClass -Name conflict-class -Provisioner hostpath.csi.k8s.io -ErrorAction Stop | Out-Null
        New-CsiVolumeClaim -Name conflict-grow -Size 1Gi -Wait -ErrorAction Stop | Out-Null
        New-CsiVolumeClaim -Name conflict-drop -Size 1Gi -Wait -ErrorAction Stop | Out-Null
    }

    AfterEach {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path faults | Out-Null
    }

    It '<What>: retried after a fresh read, the fault fired <Times> times' -ForEach @(
        @{ What = 'cordon'; Times = 2; Method = 'PATCH'; Path = '/api/v1/nodes/worker-1'
            Command = { Suspend-ClusterNode -Name worker-1 -ErrorAction Stop }; Check = { (Get-ClusterNode worker-1).Unschedulable | Should -BeTrue } }
        @{ What = 'uncordon'; Times = 1; Method = 'PATCH'; Path = '/api/v1/nodes/worker-1'
            Command = { Resume-ClusterNode -Name worker-1 -ErrorAction Stop }; Check = { (Get-ClusterNode worker-1).Unschedulable | Should -BeFalse } }
        @{ What = 'Publish-AppVersion'; Times = 2; Method = 'PATCH'; Path = '/apis/apps/v1/namespaces/default/deployments/conflict-app'
            Command = { Publish-AppVersion conflict-app -Image nginx:1.29 -ErrorAction Stop }; Check = { (Get-ClusterApp conflict-app).Images | Should -Be @('nginx:1.29') } }
        @{ What = 'scale'; Times = 1; Method = 'PATCH'; Path = '/apis/apps/v1/namespaces/default/deployments/conflict-app/scale'
            Command = { Set-AppReplicaCount conflict-app -Replicas 3 -ErrorAction Stop }; Check = { (Get-ClusterApp conflict-app).Replicas | Should -Be 3 } }
        @{ What = 'scale with -CurrentReplicas'; Times = 1; Method = 'PUT'; Path = '/apis/apps/v1/namespaces/default/deployments/conflict-app/scale'
            Command = { Set-AppReplicaCount conflict-app -Replicas 2 -CurrentReplicas 3 -ErrorAction Stop }; Check = { (Get-ClusterApp conflict-app).Replicas | Should -Be 2 } }
        @{ What = 'pause'; Times = 1; Method = 'PATCH'; Path = '/apis/apps/v1/namespaces/default/deployments/conflict-app'
            Command = { Suspend-AppRollout conflict-app -ErrorAction Stop }; Check = { (Get-ClusterApp conflict-app).Paused | Should -BeTrue } }
        @{ What = 'resume'; Times = 1; Method = 'PATCH'; Path = '/apis/apps/v1/namespaces/default/deployments/conflict-app'
            Command = { Resume-AppRollout conflict-app -ErrorAction Stop }; Check = { (Get-ClusterApp conflict-app).Paused | Should -BeFalse } }
        @{ What = 'restart'; Times = 1; Method = 'PATCH'; Path = '/apis/apps/v1/namespaces/default/deployments/conflict-app'
            Command = { Restart-App conflict-app -ErrorAction Stop }; Check = { (Get-ClusterApp conflict-app).Images | Should -Be @('nginx:1.29') } }
        @{ What = 'rollback'; Times = 1; Method = 'PATCH'; Path = '/apis/apps/v1/namespaces/default/deployments/conflict-app'
            Command = { Invoke-AppRollback conflict-app -ToRevision 1 -Force -ErrorAction Stop }; Check = { (Get-ClusterApp conflict-app).Images | Should -Be @('nginx:1.27') } }
        @{ What = 'Set-StorageClass'; Times = 1; Method = 'PATCH'; Path = '/apis/storage.k8s.io/v1/storageclasses/conflict-class'
            Command = { Set-StorageClass -Name conflict-class -AllowVolumeExpansion -ErrorAction Stop }; Check = { (Get-StorageClass conflict-class).AllowVolumeExpansion | Should -BeTrue } }
        @{ What = 'New-StorageClass -Default (clearing the old default)'; Times = 1; Method = 'PATCH'; Path = '/apis/storage.k8s.io/v1/storageclasses/standard'
            Command = { New-StorageClass -Name conflict-default -Provisioner hostpath.csi.k8s.io -Default -ErrorAction Stop }
            Check = { @(Get-StorageClass | Where-Object IsDefault).Name | Should -Be @('conflict-default') } }
        @{ What = 'Resize-CsiVolumeClaim'; Times = 1; Method = 'PATCH'; Path = '/api/v1/namespaces/default/persistentvolumeclaims/conflict-grow'
            Command = { Resize-CsiVolumeClaim -Name conflict-grow -Size 2Gi -Force -ErrorAction Stop }; Check = { (Get-CsiVolumeClaim conflict-grow).RequestedSize | Should -Be '2Gi' } }
        @{ What = 'Set-CsiVolume'; Times = 1; Method = 'PATCH'; Path = '/api/v1/persistentvolumes/*'
            Command = { Set-CsiVolume -Name (Get-CsiVolumeClaim -Name conflict-grow).Volume -ReclaimPolicy Retain -Force -ErrorAction Stop }
            Check = { (Get-CsiVolume (Get-CsiVolumeClaim -Name conflict-grow).Volume).ReclaimPolicy | Should -Be 'Retain' } }
        @{ What = 'Remove-CsiVolumeClaim'; Times = 1; Method = 'DELETE'; Path = '/api/v1/namespaces/default/persistentvolumeclaims/conflict-drop'
            Command = { Remove-CsiVolumeClaim -Name conflict-drop -Force -ErrorAction Stop }; Check = { Get-CsiVolumeClaim -Name conflict-drop -ErrorAction SilentlyContinue | Should -BeNullOrEmpty } }
    ) {
        $id = Add-Fault @{ method = $Method; path = $Path; statusCode = 409; message = $conflictMessage; times = $Times }

        $run = Invoke-Bounded $Command -Seconds 60

        $run.Errors | Should -BeNullOrEmpty
        $fault = Get-Fault $id
        $fault.hits | Should -Be $Times
        $fault.remaining | Should -Be 0
        & $Check
    }

    It 'gives up after a bounded number of tries with a Conflict error naming the object' {
        $id = Add-Fault @{ method = 'PATCH'; path = '/api/v1/nodes/worker-2'; statusCode = 409; message = $conflictMessage }

        $run = Invoke-Bounded { Suspend-ClusterNode -Name worker-2 -ErrorAction Continue } -Seconds 60

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NodeConflict*'
        $run.Errors[0].Exception.Message | Should -Match "Node 'worker-2' kept changing under us; gave up after 5 attempts"
        (Get-Fault $id).hits | Should -Be 5
        (Get-ClusterNode worker-2).Unschedulable | Should -BeFalse
    }
}

Describe '429 from evictions: a disruption budget' {
    AfterEach {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path faults | Out-Null
    }

    It 'refusing until the timeout: DrainIncomplete names the node, the pod and the budget; the node stays cordoned' {
        New-ClusterObject @(
            New-SlowPod -Name 'guarded' -Node worker-6 -Labels @{ app = 'guarded' }
            [ordered]@{ apiVersion = 'policy/v1'; kind = 'PodDisruptionBudget'; metadata = @{ name = 'guard'; namespace = 'default' }
                spec = [ordered]@{ minAvailable = 1; selector = @{ matchLabels = @{ app = 'guarded' } } } }
        )
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-NodePod -Node worker-6 | Where-Object Name -eq 'guarded').Phase -ne 'Running') {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'guarded did not start' }
            Start-Sleep -Milliseconds 200
        }
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null

        $run = Invoke-Bounded { Suspend-ClusterNode -Name worker-6 -Drain -IgnoreDaemonSets -Timeout 3 -ErrorAction Continue }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DrainIncomplete*'
        $message = $run.Errors[0].Exception.Message
        $message | Should -Match 'Node worker-6 cannot be drained\. The node stays cordoned'
        $message | Should -Match "default/guarded: not evicted before the timeout: Cannot evict pod as it would violate the pod's disruption budget.*The disruption budget guard needs 1 healthy pods"
        $refused = @(Invoke-EmulatorControl -Cluster $cluster -Path requests) | ForEach-Object { $_ } |
            Where-Object { $_.path -eq '/api/v1/namespaces/default/pods/guarded/eviction' -and $_.status -eq 429 }
        @($refused).Count | Should -BeGreaterThan 0
        (Get-ClusterNode worker-6).Unschedulable | Should -BeTrue
    }

    It 'released in the middle of the wait: the drain completes' {
        New-ClusterObject @(New-SlowPod -Name 'released' -Node worker-7)
        $id = Add-Fault @{ method = 'POST'; path = '/api/v1/namespaces/default/pods/released/eviction'; statusCode = 429
            message = "Cannot evict pod as it would violate the pod's disruption budget." }
        $release = Start-ControlLater -AfterRequest '/api/v1/namespaces/default/pods/released/eviction' -Delay 1 -Method DELETE -Path "faults/$id"

        $run = Invoke-Bounded { Suspend-ClusterNode -Name worker-7 -Drain -IgnoreDaemonSets -Timeout 30 -Verbose }
        $release | Wait-Job | Remove-Job

        $run.Errors | Should -BeNullOrEmpty
        ($run.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'ClusterManagement.Nodes.NodeDrainResult' }).Evicted | Should -Contain 'default/released'
        ($run.Verbose -match 'Cannot evict pod default/released yet').Count | Should -BeGreaterThan 0
    }
}

Describe '410 Expired on watches' {
    AfterEach {
        Set-EmulatorSetting @{ podReadySeconds = 1 }
    }

    It 'Wait-AppRollout lists again and completes' {
        New-App -Name expired-app
        Set-EmulatorSetting @{ podReadySeconds = 5 }
        Publish-AppVersion expired-app -Image nginx:1.28 -ErrorAction Stop | Out-Null
        $before = Get-ExpiredWatchCount
        # Something changes after the watch started, so the resourceVersion it resumes from is older than the compaction.
        $compact = Start-ControlLater -AfterRequest '/apis/apps/v1/namespaces/default/deployments?fieldSelector=*expired-app*' -Delay 1 -Kubectl label, node, worker-1, 'touched=wait', '--overwrite' -Path 'watch/compact'

        $run = Invoke-Bounded { Wait-AppRollout expired-app -Timeout 45 -Verbose }
        $compact | Wait-Job | Remove-Job

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Status | Should -Be 'Complete'
        (Get-ExpiredWatchCount) | Should -BeGreaterThan $before
        ($run.Verbose -match 'expired \(410\); listing again').Count | Should -BeGreaterThan 0
    }

    It "the drain's wait for pods to go lists again and completes" {
        # The pods take long enough to go that the compaction surely comes while the drain still waits.
        New-ClusterObject @(1..2 | ForEach-Object { New-SlowPod -Name "expiring-$_" -Node worker-8 -Grace 10 })
        $before = Get-ExpiredWatchCount
        $compact = Start-ControlLater -AfterRequest '/api/v1/namespaces/default/pods/expiring-*/eviction' -Delay 0.5 -Kubectl label, node, worker-1, 'touched=drain', '--overwrite' -Path 'watch/compact'

        $run = Invoke-Bounded { Suspend-ClusterNode -Name worker-8 -Drain -IgnoreDaemonSets -Timeout 45 -Verbose }
        $compact | Wait-Job | Remove-Job

        $run.Errors | Should -BeNullOrEmpty
        ($run.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'ClusterManagement.Nodes.NodeDrainResult' }).Completed | Should -BeTrue
        (Get-ExpiredWatchCount) | Should -BeGreaterThan $before
        ($run.Verbose -match 'expired \(410\); listing again').Count | Should -BeGreaterThan 0
    }
}
