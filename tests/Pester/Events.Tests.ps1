#Requires -Version 7.4
# Get-ClusterEvent against the emulator, which serves the events the kubelets, the scheduler and the controllers
# record through core/v1 and events.k8s.io/v1 (one object in both): the fallback to core/v1 when events.k8s.io
# answers 404, series, filters, objects piped in (read by field selector), -Watch (several objects on one watch).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3 -ExtraArgument '--sample-app'
    $env:KUBECONFIG = $cluster.KubeConfig

    function kc {
        <# The real kubectl against the suite's emulator, with its own discovery cache. #>
        $cache = Join-Path ([IO.Path]::GetTempPath()) "cm-events-kubectl-$PID"
        $output = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir $cache @args 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($output | ForEach-Object { "$_" }) -join "`n" }
    }

    function New-FromJson {
        <# kubectl create -f with a JSON file: kubectl would send protobuf for its own generators, which the emulator does not read. #>
        param([hashtable] $Object)
        $file = Join-Path ([IO.Path]::GetTempPath()) "cm-events-$([guid]::NewGuid()).json"
        Set-Content -Path $file -Value ($Object | ConvertTo-Json -Depth 10)
        try { $created = kc create -f $file } finally { Remove-Item $file -ErrorAction Ignore }
        if ($created.ExitCode -ne 0) { throw "kubectl create failed: $($created.Text)" }
    }

    function New-TestEvent {
        <# An event as a component would record it about an object of any kind (the emulator records events about pods, workloads and claims, none about nodes, volumes, classes or drivers; a reason of its own keeps the count exact). #>
        param([string] $Kind, [string] $ApiVersion, [string] $Name, [string] $Namespace, [string] $Reason, [string] $Type = 'Normal', [string] $EventNamespace = 'default', [string] $Uid)
        $now = [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')
        $involved = @{ kind = $Kind; apiVersion = $ApiVersion; name = $Name }
        if ($Namespace) { $involved.namespace = $Namespace }
        if ($Uid) { $involved.uid = $Uid }
        New-FromJson @{
            apiVersion = 'v1'; kind = 'Event'
            metadata = @{ name = "$($Name.ToLowerInvariant()).$([guid]::NewGuid().ToString('N').Substring(0, 12))"; namespace = $EventNamespace }
            involvedObject = $involved; reason = $Reason; message = "$Reason on $Kind $Name"; type = $Type
            source = @{ component = 'events-test' }; firstTimestamp = $now; lastTimestamp = $now; count = 1
        }
    }

    function Get-UidOf {
        <# The uid a real recorder puts in involvedObject. #>
        param([string] $Kind, [string] $Name, [string] $Namespace)
        $scope = if ($Namespace) { @('-n', $Namespace) } else { @() }
        (kc get $Kind.ToLowerInvariant() $Name @scope -o 'jsonpath={.metadata.uid}').Text
    }

    function Get-Requests { @(Invoke-EmulatorControl -Cluster $cluster -Path requests) | ForEach-Object { $_ } }

    function Start-EventWriter {
        <# After a pause, records one event per node (reason $Reason) with the real kubectl, from a thread job. #>
        param([string[]] $Node, [string] $Reason)
        $kubectl = (Get-Command kubectl).Source
        Start-ThreadJob -ArgumentList $kubectl, $cluster.KubeConfig, $Node, $Reason -ScriptBlock {
            param($kubectl, $kubeconfig, $nodes, $reason)
            Start-Sleep -Seconds 3
            foreach ($node in $nodes) {
                $now = [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')
                $uid = & $kubectl --kubeconfig $kubeconfig get node $node -o 'jsonpath={.metadata.uid}'
                $file = Join-Path ([IO.Path]::GetTempPath()) "cm-events-watch-$([guid]::NewGuid()).json"
                Set-Content $file (@{ apiVersion = 'v1'; kind = 'Event'; metadata = @{ name = "$node.watch$([guid]::NewGuid().ToString('N').Substring(0, 8))"; namespace = 'default' }
                        involvedObject = @{ kind = 'Node'; name = $node; apiVersion = 'v1'; uid = $uid }; reason = $reason; message = "seen live on $node"; type = 'Normal'
                        source = @{ component = 'events-test' }; firstTimestamp = $now; lastTimestamp = $now; count = 1 } | ConvertTo-Json -Depth 5)
                & $kubectl --kubeconfig $kubeconfig create -f $file 2>&1
                Remove-Item $file
            }
        }
    }

    function Wait-Until {
        <# Polls a condition, bounded: the events come from controllers and kubelets a moment later. #>
        param([scriptblock] $Condition, [int] $Seconds = 45)
        $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ([datetime]::UtcNow -gt $deadline) { throw "Not within $Seconds s: $Condition" }
            Start-Sleep -Milliseconds 500
        }
    }

    # An app whose image the registry does not have: the kubelet reports Failed/BackOff about its pods.
    Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path images -Body @{ image = 'registry.example/shop:404'; pull = 'NotFound' } | Out-Null
    New-FromJson @{
        apiVersion = 'apps/v1'; kind = 'Deployment'
        metadata   = @{ name = 'shop'; labels = @{ app = 'shop' } }
        spec       = @{
            replicas = 1
            selector = @{ matchLabels = @{ app = 'shop' } }
            template = @{ metadata = @{ labels = @{ app = 'shop' } }; spec = @{ containers = @(@{ name = 'shop'; image = 'registry.example/shop:404' }) } }
        }
    }
    Wait-Until { @(Get-ClusterEvent -Reason Failed | Where-Object Object -like 'pod/shop-*').Count -gt 0 }
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Get-ClusterEvent' {
    It 'reads events.k8s.io/v1 where the server serves it, and nothing through core/v1' {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        @(Get-ClusterEvent) | Should -Not -BeNullOrEmpty
        $requests = Get-Requests
        # The probe and the list.
        @($requests | Where-Object path -like '/apis/events.k8s.io/v1/namespaces/default/events*' | Where-Object status -eq 200).Count | Should -BeGreaterOrEqual 2
        $requests | Where-Object path -like '/api/v1/*events*' | Should -BeNullOrEmpty
    }

    It 'reads core/v1 events when the server does not serve events.k8s.io/v1, says so, and reads the same events' {
        $viaEventsV1 = @(Get-ClusterEvent -Reason Failed | Where-Object Object -like 'pod/shop-*')
        $fault = (Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body @{ path = '/apis/events.k8s.io/v1/*'; statusCode = 404 }).id
        try {
            Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
            $output = @(Get-ClusterEvent -Reason Failed -Verbose 4>&1)
            "$($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'does not serve events.k8s.io/v1'
            (Invoke-EmulatorControl -Cluster $cluster -Path "faults/$fault").hits | Should -Be 1
            $requests = Get-Requests
            $probe = @($requests | Where-Object path -like '/apis/events.k8s.io/v1/*')
            $probe.Count | Should -Be 1
            $probe.status | Should -Be 404
            $requests | Where-Object path -like '/api/v1/namespaces/default/events*' | Should -Not -BeNullOrEmpty
            $viaCore = @($output | Where-Object { $_ -is [ClusterManagement.Events.ClusterEvent] } | Where-Object Object -like 'pod/shop-*')
        }
        finally {
            Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path "faults/$fault" | Out-Null
        }
        # Both APIs' forms of one Event map to the same object. The kubelet keeps failing the pull, so an Event
        # may be new in the second read: the ones both reads hold are compared.
        $common = @($viaEventsV1 | Where-Object Name -in $viaCore.Name)
        $common.Count | Should -BeGreaterThan 0
        $common.Count | Should -Be $viaEventsV1.Count -Because 'an Event read through events.k8s.io/v1 is still there for the core/v1 read'
        foreach ($v1 in $common) {
            $core = @($viaCore | Where-Object Name -eq $v1.Name)[0]
            $core.Message | Should -Be $v1.Message
            $core.FirstSeen | Should -Be $v1.FirstSeen
            $core.InvolvedObject.Uid | Should -Be $v1.InvolvedObject.Uid
            $core.Source | Should -Be $v1.Source
        }
    }

    It 'shows the app''s failed pull as the kubelet reported it, with the object it concerns' {
        # The kubelet reports two Failed events for a pod whose image cannot be pulled, the pull's error and then
        # "Error: ImagePullBackOff"; in either order in a list.
        $failed = @(Get-ClusterEvent -Reason Failed | Where-Object Object -like 'pod/shop-*' | Where-Object Message -like 'Failed to pull image*')[0]
        $failed.Type | Should -Be ([ClusterManagement.Events.ClusterEventType]::Warning)
        $failed.Message | Should -BeLike 'Failed to pull image "registry.example/shop:404"*not found'
        $failed.InvolvedObject.Kind | Should -Be 'Pod'
        $failed.InvolvedObject.Namespace | Should -Be 'default'
        $failed.InvolvedObject.FieldPath | Should -Be 'spec.containers{shop}'
        $failed.Source | Should -BeLike 'kubelet, worker-*'
        $failed.Object | Should -Be "pod/$($failed.InvolvedObject.Name)"
    }

    It 'gives each series once, with the count and times kubectl get events shows' {
        # The kubelet retries the pull: BackOff repeats as one Event with a growing count.
        Wait-Until { @(Get-ClusterEvent -Reason BackOff | Where-Object { $_.Object -like 'pod/shop-*' -and $_.Count -gt 1 }).Count -gt 0 }
        $mine = @(Get-ClusterEvent)
        $theirs = ((kc get events -o json).Text | ConvertFrom-Json -DateKind Utc).items
        foreach ($event in $theirs) {
            $same = @($mine | Where-Object Name -eq $event.metadata.name)
            if (-not $same) { continue } # recorded between the two reads
            $same.Count | Should -Be 1
            # The scheduler's events.k8s.io events count in their series and start at eventTime; the others count and start in the old fields.
            $same[0].Count | Should -BeGreaterOrEqual ($event.series.count ?? $event.count ?? 1)
            $same[0].FirstSeen | Should -Be ([datetime]($event.firstTimestamp ?? $event.eventTime ?? $event.metadata.creationTimestamp)).ToUniversalTime()
        }
        $mine.Count | Should -BeGreaterOrEqual (@($theirs).Count - 5)
        $mine | Where-Object Count -gt 1 | Should -Not -BeNullOrEmpty
        $lastSeen = $mine.LastSeen
        $lastSeen | Should -Be ($lastSeen | Sort-Object)
    }

    It 'filters by -Type and by -Reason with wildcards, case-insensitively as PowerShell does' {
        $warnings = @(Get-ClusterEvent -Type Warning)
        $warnings | Should -Not -BeNullOrEmpty
        $warnings.Type | Sort-Object -Unique | Should -Be 'Warning'
        $scaling = @(Get-ClusterEvent -Reason 'scaling*')
        $scaling.Reason | Sort-Object -Unique | Should -Be 'ScalingReplicaSet'
        @(Get-ClusterEvent -Reason Failed, BackOff).Reason | Sort-Object -Unique | Should -Be @('BackOff', 'Failed')
        @(Get-ClusterEvent -Type Normal -Reason Failed) | Should -BeNullOrEmpty
    }

    It 'keeps to -Namespace, and reads every namespace with -AllNamespaces' {
        New-TestEvent -Kind ConfigMap -ApiVersion v1 -Name settings -Namespace team-a -Reason TeamPing -EventNamespace team-a
        @(Get-ClusterEvent -Reason TeamPing) | Should -BeNullOrEmpty
        @(Get-ClusterEvent -Namespace team-a -Reason TeamPing).Namespace | Should -Be 'team-a'
        @(Get-ClusterEvent -AllNamespaces -Reason TeamPing).Count | Should -Be 1
    }

    It 'takes -Since as how long ago or as a point in time' {
        $all = @(Get-ClusterEvent)
        $cut = ($all.LastSeen | Sort-Object)[[int]($all.Count / 2)]
        $since = @(Get-ClusterEvent -Since $cut)
        $since.Count | Should -BeLessOrEqual $all.Count
        $since.LastSeen | Where-Object { $_ -lt $cut } | Should -BeNullOrEmpty
        @(Get-ClusterEvent -Since ([datetime]::UtcNow.AddMinutes(5))) | Should -BeNullOrEmpty
        @(Get-ClusterEvent -Since (New-TimeSpan -Hours 1)).Count | Should -Be @(Get-ClusterEvent).Count
        @(Get-ClusterEvent -Since 600).Count | Should -BeGreaterThan 0
    }

    It 'refuses a -Since in the future given as a negative span, before reading anything' {
        { Get-ClusterEvent -Since (New-TimeSpan -Minutes -5) } | Should -Throw '*lies in the future*'
    }

    It 'refuses -Timeout without -Watch with EventWatchTimeoutInvalid' {
        $failure = { Get-ClusterEvent -Timeout 5 -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'EventWatchTimeoutInvalid*'
    }

    It 'refuses a module object it has no events for (an event itself) with EventObjectUnsupported' {
        $event = @(Get-ClusterEvent)[0]
        $failure = { $event | Get-ClusterEvent -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'EventObjectUnsupported*'
    }

    It 'takes no plain name from the pipeline: -Object wants a module object' {
        $failure = { 'shop' | Get-ClusterEvent -ErrorAction Stop } | Should -Throw -PassThru
        $failure.Exception | Should -BeOfType ([System.Management.Automation.ParameterBindingException])
    }

    It 'refuses -AllNamespaces with -Namespace as a binding error' {
        $failure = { Get-ClusterEvent -AllNamespaces -Namespace kube-system } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'AmbiguousParameterSet*'
    }
}

Describe 'Objects piped into Get-ClusterEvent' {
    It 'Get-ClusterApp shop | Get-ClusterEvent: the Deployment''s, its ReplicaSet''s and its pods'' events, no one else''s' {
        $events = @(Get-ClusterApp shop | Get-ClusterEvent)
        $kinds = $events.InvolvedObject.Kind | Sort-Object -Unique
        $kinds | Should -Be @('Deployment', 'Pod', 'ReplicaSet')
        ($events | Where-Object { $_.InvolvedObject.Kind -eq 'Deployment' }).Reason | Should -Contain 'ScalingReplicaSet'
        ($events | Where-Object { $_.InvolvedObject.Kind -eq 'ReplicaSet' }).Reason | Should -Contain 'SuccessfulCreate'
        ($events | Where-Object { $_.InvolvedObject.Kind -eq 'Pod' }).Reason | Should -Contain 'Failed'
        $events.Object | Where-Object { $_ -notlike '*/shop*' } | Should -BeNullOrEmpty
        # The sample app's events are not the shop's.
        @(Get-ClusterApp web | Get-ClusterEvent).Object | Where-Object { $_ -like '*/shop*' } | Should -BeNullOrEmpty
    }

    It 'reads a piped object''s events with field selectors, not its whole namespace, and leaves out an earlier object of the same name' {
        New-TestEvent -Kind Deployment -ApiVersion apps/v1 -Name shop -Namespace default -Reason FormerShop -Uid 'd0d0d0d0-0000-4000-8000-000000000001'
        New-TestEvent -Kind Deployment -ApiVersion apps/v1 -Name shop -Namespace default -Reason CurrentShop -Uid (Get-UidOf -Kind Deployment -Name shop -Namespace default)
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $events = @(Get-ClusterApp shop | Get-ClusterEvent)
        $events.Reason | Should -Contain 'CurrentShop'
        $events.Reason | Should -Not -Contain 'FormerShop'
        $reads = @(Get-Requests | Where-Object path -like '/apis/events.k8s.io/v1/*' | Where-Object path -notmatch '[?&]limit=1(&|$)')
        # One read per object: the Deployment, its ReplicaSet, its pod.
        $reads.Count | Should -BeGreaterOrEqual 3
        $reads.path | Where-Object { $_ -notmatch 'fieldSelector=regarding\.kind(%3D|=)' } | Should -BeNullOrEmpty
    }

    It 'Get-AppRevision shop | Get-ClusterEvent: the revision''s ReplicaSet and its pods' {
        $revision = Get-AppRevision shop | Where-Object IsCurrent
        $events = @($revision | Get-ClusterEvent)
        $events.InvolvedObject.Kind | Sort-Object -Unique | Should -Be @('Pod', 'ReplicaSet')
        ($events | Where-Object { $_.InvolvedObject.Kind -eq 'ReplicaSet' }).InvolvedObject.Name | Sort-Object -Unique | Should -Be $revision.ReplicaSet
    }

    It '<Producer> | Get-ClusterEvent: the events about <Kind> <Name>' -ForEach @(
        @{ Producer = 'Get-ClusterNode worker-2'; Kind = 'Node'; ApiVersion = 'v1'; Name = 'worker-2'; Produce = { Get-ClusterNode worker-2 } }
        @{ Producer = 'Get-StorageClass standard'; Kind = 'StorageClass'; ApiVersion = 'storage.k8s.io/v1'; Name = 'standard'; Produce = { Get-StorageClass standard } }
        @{ Producer = 'Get-CsiDriver'; Kind = 'CSIDriver'; ApiVersion = 'storage.k8s.io/v1'; Name = $null; Produce = { @(Get-CsiDriver)[0] } }
        @{ Producer = 'Get-CsiVolumeClaim evt-data'; Kind = 'PersistentVolumeClaim'; ApiVersion = 'v1'; Name = 'evt-data'; Namespace = 'default'; Produce = { Get-CsiVolumeClaim evt-data } }
        @{ Producer = 'Get-CsiVolume'; Kind = 'PersistentVolume'; ApiVersion = 'v1'; Name = $null; Produce = { Get-CsiVolumeClaim evt-data | Get-CsiVolume } }
    ) {
        if (-not (Get-CsiVolumeClaim -Name evt-data -ErrorAction Ignore)) {
            $null = New-CsiVolumeClaim -Name evt-data -Size 1Gi -StorageClass standard -Wait -Timeout 60
        }
        $object = & $Produce
        $object | Should -Not -BeNullOrEmpty
        $objectName = $Name ?? $object.Name
        $reason = "Ping$Kind"
        New-TestEvent -Kind $Kind -ApiVersion $ApiVersion -Name $objectName -Namespace $Namespace -Reason $reason -Type Warning -Uid (Get-UidOf -Kind $Kind -Name $objectName -Namespace $Namespace)
        # Another object's event of the same kind stays out.
        New-TestEvent -Kind $Kind -ApiVersion $ApiVersion -Name "$objectName-other" -Namespace $Namespace -Reason $reason
        $events = @($object | Get-ClusterEvent -Reason $reason)
        $events.Count | Should -Be 1
        $events[0].InvolvedObject.Kind | Should -Be $Kind
        $events[0].InvolvedObject.Name | Should -Be $objectName
        $events[0].Object | Should -Be "$($Kind.ToLowerInvariant())/$objectName"
    }
}

Describe 'Get-ClusterEvent -Watch' {
    It 'writes an event recorded while it watches, and stops when the pipeline stops it' {
        $job = Start-EventWriter -Node worker-1 -Reason WatchPing
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $seen = Get-ClusterEvent -Watch -Reason WatchPing -Timeout 40 | Select-Object -First 1
            $clock.Stop()
            $seen.Message | Should -Be 'seen live on worker-1'
            $seen.Object | Should -Be 'node/worker-1'
            # Select-Object -First stopped it as Ctrl+C does, long before the -Timeout.
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        }
        finally {
            $job | Wait-Job -Timeout 30 | Receive-Job | Out-Null
            $job | Remove-Job -Force
        }
    }

    It 'watches several piped objects together, on one watch' {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $job = Start-EventWriter -Node worker-2, worker-3 -Reason TogetherPing
        try {
            $seen = @(Get-ClusterNode worker-2, worker-3 | Get-ClusterEvent -Watch -Reason TogetherPing -Timeout 40 | Select-Object -First 2)
            $seen.Object | Sort-Object | Should -Be @('node/worker-2', 'node/worker-3')
            # One after the other, the first watch would have run to its -Timeout before the second began.
            @(Get-Requests | Where-Object path -like '/apis/events.k8s.io/v1/*' | Where-Object path -match '[?&]watch=(true|1)').Count | Should -Be 1
        }
        finally {
            $job | Wait-Job -Timeout 30 | Receive-Job | Out-Null
            $job | Remove-Job -Force
        }
    }

    It 'writes the events there are first and ends at -Timeout when nothing more comes' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $seen = @(Get-ClusterEvent -Watch -Reason ScalingReplicaSet -Timeout 3)
        # .NET's timers count whole milliseconds of a coarser clock than the Stopwatch: one fired at 2.99999 s.
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.95
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        $seen.Count | Should -Be @(Get-ClusterEvent -Reason ScalingReplicaSet).Count
    }
}
