#Requires -Version 7.4
# A rollout that fails or runs out explains itself: each cause the emulator's kubelets, scheduler and
# controllers produce (as a real cluster words them) is provoked here and read back as the Diagnosis on the
# error record and on the result, through each of the four waiting app cmdlets and Publish-ClusterManifest -Wait. Progress deadlines of a few
# seconds (progressDeadlineSeconds) end the waits, so the file stays short.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3
    $env:KUBECONFIG = $cluster.KubeConfig

    function kc {
        <# The real kubectl against the suite's emulator, with its own discovery cache. #>
        $cache = Join-Path ([IO.Path]::GetTempPath()) "cm-diagnostics-kubectl-$PID"
        $output = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir $cache @args 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($output | ForEach-Object { "$_" }) -join "`n" }
    }

    function New-FromJson {
        <# kubectl create -f with a JSON file (kubectl would send protobuf for its own generators). #>
        param([hashtable] $Object)
        $file = Join-Path ([IO.Path]::GetTempPath()) "cm-diagnostics-$([guid]::NewGuid()).json"
        Set-Content -Path $file -Value ($Object | ConvertTo-Json -Depth 12)
        try { $created = kc create -f $file } finally { Remove-Item $file -ErrorAction Ignore }
        if ($created.ExitCode -ne 0) { throw "kubectl create failed: $($created.Text)" }
    }

    function New-DiagnosedApp {
        <# A Deployment (to create) whose container the test shapes; a short progress deadline makes a stuck rollout Failed soon. #>
        param([string] $Name, [string] $Image, [int] $Replicas = 1, [int] $Deadline = 5, [string] $Namespace = 'default', [hashtable] $Container = @{}, [hashtable] $PodSpec = @{})
        $spec = @{ containers = @(@{ name = $Name; image = $Image } + $Container) } + $PodSpec
        @{
            apiVersion = 'apps/v1'; kind = 'Deployment'
            metadata   = @{ name = $Name; namespace = $Namespace; labels = @{ app = $Name } }
            spec       = @{
                replicas = $Replicas; progressDeadlineSeconds = $Deadline
                selector = @{ matchLabels = @{ app = $Name } }
                template = @{ metadata = @{ labels = @{ app = $Name } }; spec = $spec }
            }
        }
    }

    function Set-Image {
        param([hashtable] $Behaviour)
        Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path images -Body $Behaviour | Out-Null
    }

    Set-Image @{ image = 'registry.example/shop:9.9'; pull = 'NotFound' }
    Set-Image @{ image = 'registry.example/crash:1'; exitCode = 3; terminationMessage = 'config file /etc/crash.yaml missing' }
    Set-Image @{ image = 'registry.example/probe:1'; readinessFailure = 'HTTP probe failed with statuscode: 503' }

    # Created together (one kubectl call), so that their deadlines run out side by side.
    New-FromJson @{
        apiVersion = 'v1'; kind = 'List'
        items      = @(
            New-DiagnosedApp -Name shop -Image nginx:1.27 -Replicas 2 -Deadline 30
            New-DiagnosedApp -Name crash -Image registry.example/crash:1
            New-DiagnosedApp -Name hungry -Image nginx:1.27 -Container @{ resources = @{ requests = @{ cpu = '64' } } }
            New-DiagnosedApp -Name picky -Image nginx:1.27 -PodSpec @{ nodeSelector = @{ disktype = 'nvme' } }
            New-DiagnosedApp -Name unready -Image registry.example/probe:1 -Container @{ readinessProbe = @{ httpGet = @{ path = '/healthz'; port = 80 }; periodSeconds = 1 } }
            @{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = 'diag-quota' } }
            New-DiagnosedApp -Name limited -Image nginx:1.27 -Replicas 2 -Namespace diag-quota -Deadline 600
        )
    }
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'A rollout that does not complete explains itself' {
    It 'Publish-AppVersion -Wait: an image the registry does not have is ImagePullFailed, with the image and the kubelet''s error' {
        $null = Wait-AppRollout shop -Timeout 60
        (kc patch deploy shop -p '{"spec":{"progressDeadlineSeconds":5}}').ExitCode | Should -Be 0

        $rollout = Publish-AppVersion shop registry.example/shop:9.9 -Wait -Timeout 60 -Force -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AppProgressDeadlineExceeded,*'
        $lines = "$failed" -split '\r?\n'
        $lines[0] | Should -Be 'deployment "shop" exceeded its progress deadline'
        $lines[1] | Should -BeLike 'Cause: image "registry.example/shop:9.9" cannot be pulled (*on 1 of 1 new pods): Failed to pull image "registry.example/shop:9.9": *not found'
        $diagnosis = $failed[0].Exception.Diagnosis
        $diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::ImagePullFailed)
        $rollout.Status | Should -Be 'Failed'
        $rollout.Diagnosis.Summary | Should -Be $diagnosis.Summary
        $diagnosis.Affected.Kind | Should -Be 'Pod'
        $diagnosis.Affected[0].Name | Should -BeLike 'shop-*'
        $diagnosis.Affected[0].State | Should -BeIn 'ErrImagePull', 'ImagePullBackOff'
        $diagnosis.Evidence | Where-Object { $_.Source -eq 'Condition' -and $_.Reason -eq 'ProgressDeadlineExceeded' -and $_.Object -eq 'deployment/shop' } | Should -Not -BeNullOrEmpty
        $diagnosis.Evidence | Where-Object { $_.Source -eq 'Event' -and $_.Reason -eq 'Failed' -and $_.Message -like 'Failed to pull image "registry.example/shop:9.9"*' } | Should -Not -BeNullOrEmpty
        $diagnosis.Evidence | Where-Object { $_.Source -eq 'ContainerState' -and $_.Reason -in 'ErrImagePull', 'ImagePullBackOff' } | Should -Not -BeNullOrEmpty
        # The list view shows each part; JSON keeps the cause by name.
        $view = $diagnosis | Format-List | Out-String -Width 160
        $view | Should -Match 'Cause\s+: ImagePullFailed'
        $view | Should -Match "Affected\s+: Pod default/$($diagnosis.Affected[0].Name): "
        $view | Should -Match 'Evidence\s+: Condition deployment/shop ProgressDeadlineExceeded: '
        ($rollout | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Diagnosis.Cause | Should -Be 'ImagePullFailed'
    }

    It 'Wait-AppRollout: a container that keeps exiting is CrashLoop, with its last exit code and termination message' {
        $rollout = Wait-AppRollout crash -Timeout 60 -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AppProgressDeadlineExceeded,*'
        $diagnosis = $failed[0].Exception.Diagnosis
        $diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::CrashLoop)
        $diagnosis.Summary | Should -BeLike 'container "crash" keeps crashing (*on 1 of 1 new pods, * restart*): last exit code 3: config file /etc/crash.yaml missing'
        $state = $diagnosis.Evidence | Where-Object Source -eq 'ContainerState'
        $state.Message | Should -Be 'last exit code 3: config file /etc/crash.yaml missing'
        $state.Count | Should -BeGreaterOrEqual 1
        $rollout.Diagnosis.Cause | Should -Be 'CrashLoop'
    }

    It 'Restart-App -Wait: a pod that fits no node is Unschedulable, with the scheduler''s taint and cpu reasons' {
        $rollout = Restart-App hungry -Wait -Timeout 60 -Force -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AppProgressDeadlineExceeded,*'
        $diagnosis = $failed[0].Exception.Diagnosis
        $diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::Unschedulable)
        $diagnosis.Summary | Should -BeLike '1 of 1 new pods cannot be scheduled: 0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu.*'
        $diagnosis.Affected[0].State | Should -Be 'Pending (Unschedulable)'
        $diagnosis.Evidence | Where-Object { $_.Source -eq 'Condition' -and $_.Reason -eq 'Unschedulable' -and $_.Message -like '*Insufficient cpu*' } | Should -Not -BeNullOrEmpty
        $diagnosis.Evidence | Where-Object { $_.Source -eq 'Event' -and $_.Reason -eq 'FailedScheduling' } | Should -Not -BeNullOrEmpty
        $rollout.Diagnosis.Cause | Should -Be 'Unschedulable'
    }

    It 'Wait-AppRollout: a node selector no node matches is Unschedulable, with the selector reason' {
        $null = Wait-AppRollout picky -Timeout 60 -ErrorVariable failed -ErrorAction SilentlyContinue

        $diagnosis = $failed[0].Exception.Diagnosis
        $diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::Unschedulable)
        $diagnosis.Summary | Should -BeLike "*3 node(s) didn't match Pod's node affinity/selector*"
    }

    It 'Wait-AppRollout: a readiness probe that fails is ReadinessProbeFailing, quoting the probe' {
        $null = Wait-AppRollout unready -Timeout 60 -ErrorVariable failed -ErrorAction SilentlyContinue

        $diagnosis = $failed[0].Exception.Diagnosis
        $diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::ReadinessProbeFailing)
        $diagnosis.Summary | Should -Be 'the readiness probe of container "unready" fails (1 of 1 new pods not ready): Readiness probe failed: HTTP probe failed with statuscode: 503'
        $diagnosis.Affected[0].State | Should -Be 'NotReady'
        $diagnosis.Evidence | Where-Object { $_.Source -eq 'Event' -and $_.Reason -eq 'Unhealthy' } | Should -Not -BeNullOrEmpty
    }

    It 'Invoke-AppRollback -Wait: pods a quota refuses are QuotaExceeded, with the API server''s refusal, also when the wait runs out' {
        $null = Wait-AppRollout limited -Namespace diag-quota -Timeout 60
        $null = Publish-AppVersion limited nginx:1.28 -Namespace diag-quota -Wait -Timeout 60 -Force
        New-FromJson @{ apiVersion = 'v1'; kind = 'ResourceQuota'; metadata = @{ name = 'two-pods'; namespace = 'diag-quota' }; spec = @{ hard = @{ pods = '2' } } }

        $rollout = Invoke-AppRollback limited -Namespace diag-quota -Wait -Timeout 6 -Force -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AppRolloutTimeout,*'
        ("$failed" -split '\r?\n')[1] | Should -BeLike 'Cause: new pods are refused by a resource quota (2 of 2 not created): *quota*two-pods*'
        $diagnosis = $failed[0].Exception.Diagnosis
        $diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::QuotaExceeded)
        $diagnosis.Affected[0].Kind | Should -Be 'ReplicaSet'
        $diagnosis.Evidence | Where-Object { $_.Source -eq 'Event' -and $_.Reason -eq 'FailedCreate' -and $_.Message -like 'Error creating: pods "limited-*" is forbidden: *quota*' } | Should -Not -BeNullOrEmpty
        $rollout.Status | Should -Be 'Progressing'
        $rollout.Diagnosis.Cause | Should -Be 'QuotaExceeded'
    }

    It 'Publish-ClusterManifest -Wait: a Deployment past its progress deadline fails at once with the same diagnosis' {
        $file = Join-Path $TestDrive 'manifest-deadline.json'
        Set-Content $file ((New-DiagnosedApp -Name manifested -Image registry.example/shop:9.9) | ConvertTo-Json -Depth 12)
        $clock = [Diagnostics.Stopwatch]::StartNew()

        # A failed wait ends the command: the error is terminating, the applied objects are written before it.
        $failed = $null
        try { Publish-ClusterManifest $file -Wait -Timeout 60 -Force -OutVariable applied | Out-Null } catch { $failed = @($_) }

        $clock.Elapsed.TotalSeconds | Should -BeLessThan 40 -Because 'an exceeded progress deadline ends the wait as kubectl rollout status does'
        $applied.Name | Should -Be 'manifested'
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AppProgressDeadlineExceeded,*'
        $lines = "$failed" -split '\r?\n'
        $lines[0] | Should -Be 'The manifests were applied, but deployment "manifested" exceeded its progress deadline (Deployment ''default/manifested'').'
        $lines[1] | Should -BeLike 'Cause: image "registry.example/shop:9.9" cannot be pulled (*on 1 of 1 new pods): Failed to pull image "registry.example/shop:9.9": *not found'
        $diagnosis = $failed[0].Exception.Diagnosis
        $diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::ImagePullFailed)
        $diagnosis.Affected[0].Name | Should -BeLike 'manifested-*'
        $diagnosis.Evidence | Where-Object { $_.Source -eq 'Event' -and $_.Reason -eq 'Failed' -and $_.Message -like 'Failed to pull image "registry.example/shop:9.9"*' } | Should -Not -BeNullOrEmpty
    }

    It 'Publish-ClusterManifest -Wait: a Deployment still rolling out at -Timeout is ManifestWaitTimeout with the diagnosis' {
        $file = Join-Path $TestDrive 'manifest-timeout.json'
        Set-Content $file ((New-DiagnosedApp -Name manifested-slow -Image registry.example/shop:9.9 -Deadline 600) | ConvertTo-Json -Depth 12)

        $failed = $null
        try { Publish-ClusterManifest $file -Wait -Timeout 6 -Force | Out-Null } catch { $failed = @($_) }

        $failed.Count | Should -Be 1
        ("$failed" -split '\r?\n')[0] | Should -Be 'The manifests were applied, but within 00:00:06 its pods were not ready (Deployment ''default/manifested-slow''). Look at its pods and events, then apply again to keep waiting.'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManifestWaitTimeout,*'
        ("$failed" -split '\r?\n')[1] | Should -BeLike 'Cause: image "registry.example/shop:9.9" cannot be pulled *'
        $failed[0].Exception.Diagnosis.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::ImagePullFailed)
    }

    It 'gives no diagnosis to a rollout that completes' {
        $null = kc create deployment calm --image=nginx:1.27
        (Wait-AppRollout calm -Timeout 60).Diagnosis | Should -BeNullOrEmpty
    }
}
