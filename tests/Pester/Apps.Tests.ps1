BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3 -ExtraArgument '--sample-app'
    $env:KUBECONFIG = $cluster.KubeConfig

    function kc {
        <# The real kubectl against the suite's emulator, with its own discovery cache. #>
        $cache = Join-Path ([IO.Path]::GetTempPath()) "cm-apps-kubectl-$PID"
        $output = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir $cache @args 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($output | ForEach-Object { "$_" }) -join "`n" }
    }

    function New-TestApp {
        <# A fresh Deployment per test, so tests do not depend on each other's history. #>
        param([string] $Name, [string] $Image = 'nginx:1.27', [int] $Replicas = 2, [string] $Namespace = 'default', [hashtable] $Requests, [switch] $NoWait)
        # kubectl create deployment would send protobuf, which the emulator does not read; create -f sends JSON.
        # Requests only when given: the API server drops an empty requests map (omitempty), so kubectl's undo
        # would copy back a template without it, and a template that differs from its ReplicaSet's makes a new one.
        $container = @{ name = $Name; image = $Image }
        if ($Requests) { $container.resources = @{ requests = $Requests } }
        $manifest = @{
            apiVersion = 'apps/v1'; kind = 'Deployment'
            metadata   = @{ name = $Name; labels = @{ app = $Name } }
            spec       = @{
                replicas = $Replicas
                selector = @{ matchLabels = @{ app = $Name } }
                template = @{ metadata = @{ labels = @{ app = $Name } }; spec = @{ containers = @($container) } }
            }
        } | ConvertTo-Json -Depth 10
        $file = Join-Path ([IO.Path]::GetTempPath()) "cm-apps-$Name-$PID.json"
        Set-Content -Path $file -Value $manifest
        try { $created = kc create -n $Namespace -f $file } finally { Remove-Item $file -ErrorAction Ignore }
        if ($created.ExitCode -ne 0) { throw "kubectl create failed: $($created.Text)" }
        if (-not $NoWait) { $null = Wait-AppRollout $Name -Namespace $Namespace -Timeout 60 }
    }

    function Get-Requests {
        @(Invoke-EmulatorControl -Cluster $cluster -Path 'requests') | ForEach-Object { $_ }
    }
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Get-ClusterApp' {
    It 'shows the values of kubectl get deploy -o wide' {
        New-TestApp -Name list-a -Replicas 3
        $header, $rows = (kc get deploy -o wide).Text -split "`n"
        $header | Should -Match '^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR'
        $apps = @(Get-ClusterApp)
        $apps.Count | Should -Be $rows.Count
        foreach ($row in $rows) {
            $cells = $row -split '\s+'
            $app = $apps | Where-Object Name -eq $cells[0]
            $app.Ready | Should -Be $cells[1]
            $app.UpToDate | Should -Be $cells[2]
            $app.Available | Should -Be $cells[3]
            if ($cells[4] -like '*d') {
                # Young apps' ages tick between the two reads; old ones show the derivation.
                [ClusterManagement.Commands.Formatting.Display]::Age($app.Created) | Should -Be $cells[4]
            }
            ($app.Containers -join ',') | Should -Be $cells[5]
            ($app.Images -join ',') | Should -Be $cells[6]
            $app.Selector | Should -Be $cells[7]
        }
        (Get-ClusterApp list-a).Ready | Should -Be '3/3'
    }

    It 'lists every namespace, filters by wildcard and label, and reports a missing name' {
        (Get-ClusterApp -AllNamespaces).Namespace | Should -Contain 'default'
        (Get-ClusterApp -Name 'list-*').Name | Should -Be 'list-a'
        (Get-ClusterApp -LabelSelector 'app=list-a').Name | Should -Be 'list-a'
        Get-ClusterApp -Name 'nothing-*' | Should -BeNullOrEmpty
        $found = Get-ClusterApp -Name web, no-such-app -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'web'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AppNotFound*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'no-such-app'
    }

    It 'serializes to JSON, shows kubectl''s columns in its table and the wide ones in its Wide view' {
        $json = Get-ClusterApp web | ConvertTo-Json -Depth 4 -WarningAction Stop | ConvertFrom-Json -DateKind String
        $json.Name | Should -Be 'web'
        $json.Created | Should -Match '^\d{4}-\d{2}-\d{2}T'
        Get-ClusterApp web | Out-String -Width 250 | Should -Match '(?m)Name\s+Ready\s+UpToDate\s+Available\s+Age\s*$'
        Get-ClusterApp web | Format-Table -View Wide | Out-String -Width 250 | Should -Match 'Name\s+Ready\s+UpToDate\s+Available\s+Age\s+Revision\s+Containers\s+Images\s+Selector'
    }

    It 'completes app names and revisions from the cluster' {
        New-TestApp -Name complete-me
        $line = 'Get-ClusterApp -Name compl'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Be 'complete-me'
        # The Deployment controller makes revision 2's ReplicaSet after the patch returns, as the real one does: wait for it.
        Publish-AppVersion complete-me nginx:1.28 -Wait -Timeout 60 -Force | Out-Null
        $line = 'Invoke-AppRollback -Name complete-me -ToRevision '
        $revisions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $revisions | Should -Be @('1', '2')
    }
}

Describe 'Publish-AppVersion' {
    It 'sets the image with the patch kubectl set image sends, records the change cause and waits' {
        New-TestApp -Name pub-a
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $rollout = Publish-AppVersion pub-a nginx:1.28 -ChangeCause 'to 1.28' -Wait -Timeout 60 -Force
        $rollout.Status | Should -Be 'Complete'
        $rollout.FromRevision | Should -Be 1
        $rollout.ToRevision | Should -Be 2
        $rollout.Images | Should -Be 'nginx:1.28'
        $rollout.Message | Should -Be 'deployment "pub-a" successfully rolled out'
        $patch = Get-Requests | Where-Object { $_.method -eq 'PATCH' -and $_.path -like '*/deployments/pub-a?*' }
        $patch.contentType | Should -BeLike 'application/strategic-merge-patch+json*'
        $body = $patch.body | ConvertFrom-Json
        $body.spec.template.spec.'$setElementOrder/containers'.name | Should -Be 'pub-a'
        $body.spec.template.spec.containers[0].image | Should -Be 'nginx:1.28'
        (kc rollout history deploy/pub-a).Text | Should -Match '(?m)^2\s+to 1\.28\s*$'
        (kc get deploy pub-a -o 'jsonpath={.spec.template.spec.containers[0].image}').Text | Should -Be 'nginx:1.28'
    }

    It 'sets several containers from a hashtable and says Skipped when nothing changes' {
        New-TestApp -Name pub-b
        $twoContainers = '[{"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"sidecar","image":"busybox:1.36"}}]'
        (kc patch deploy pub-b --type=json "-p=$twoContainers").ExitCode | Should -Be 0
        $rollout = Publish-AppVersion pub-b -Image @{ 'pub-b' = 'nginx:1.29'; sidecar = 'busybox:1.37' } -Wait -Force
        $rollout.Images | Should -Be @('nginx:1.29', 'busybox:1.37')
        { Publish-AppVersion pub-b -Image nginx:1.30 -Force -ErrorAction Stop } | Should -Throw -ExpectedMessage '*has 2 containers*'
        (Publish-AppVersion pub-b -Image busybox:1.37 -Container sidecar -Force).Status | Should -Be 'Skipped'
    }

    It 'refuses bad image references and unknown containers before any write' -TestCases @(
        @{ Image = 'Nginx:1.28' }, @{ Image = 'nginx:1.28 ' }, @{ Image = 'nginx::1' }, @{ Image = '' }, @{ Image = 'nginx@sha256:xyz' }
    ) {
        param($Image)
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $failure = { Publish-AppVersion web -Image $Image -Force -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -Match '^(ImageReferenceInvalid|ParameterArgumentValidationError)'
        Get-Requests | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
    }

    It 'reports a container the app does not have with kubectl''s message and changes nothing' {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $failure = { Publish-AppVersion web -Image nginx:2 -Container nope -Force -ErrorAction Stop } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Be 'unable to find container named "nope"'
        $failure.FullyQualifiedErrorId | Should -BeLike 'AppContainerNotFound*'
        Get-Requests | Where-Object method -eq 'PATCH' | Should -BeNullOrEmpty
    }

    It 'reports an unknown app as ObjectNotFound' {
        $failure = { Publish-AppVersion no-such-app -Image nginx:2 -Force -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.TargetObject | Should -Be 'no-such-app'
    }

    It 're-reads and retries when a concurrent update conflicts (409)' {
        New-TestApp -Name pub-c
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body @{ method = 'PATCH'; path = '/apis/apps/v1/namespaces/default/deployments/pub-c'; statusCode = 409; times = 2 } | Out-Null
        $rollout = Publish-AppVersion pub-c nginx:1.28 -Force -Verbose 4>&1 | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $rollout.ToRevision | Should -Be 2
        @(Get-Requests | Where-Object { $_.method -eq 'PATCH' }).Count | Should -Be 3
        @(Get-Requests | Where-Object { $_.method -eq 'GET' -and $_.path -like '*/deployments/pub-c' }).Count | Should -BeGreaterOrEqual 3
    }

    It 'gives up after a bounded number of conflicts with a clear error' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body @{ method = 'PATCH'; path = '/apis/apps/v1/namespaces/default/deployments/web'; statusCode = 409; times = 20 } | Out-Null
        try {
            $failure = { Publish-AppVersion web nginx:1.99 -Force -ErrorAction Stop } | Should -Throw -PassThru
            $failure.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $failure.Exception.Message | Should -Match 'gave up after 5 attempts'
        }
        finally {
            Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path faults | Out-Null
        }
    }

    It 'fails the wait with ProgressDeadlineExceeded when the new version never becomes ready' {
        New-TestApp -Name pub-broken
        (kc patch deploy pub-broken -p '{"spec":{"progressDeadlineSeconds":2}}').ExitCode | Should -Be 0
        $null = Wait-AppRollout pub-broken
        $rollout = Publish-AppVersion pub-broken nginx:broken -Wait -Timeout 60 -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $rollout.Status | Should -Be 'Failed'
        $rollout.Message | Should -Be 'deployment "pub-broken" exceeded its progress deadline'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AppProgressDeadlineExceeded*'
        $status = kc rollout status deploy/pub-broken --timeout=20s
        $status.ExitCode | Should -Be 1
        $status.Text | Should -Match 'error: deployment "pub-broken" exceeded its progress deadline'
        # The old pods kept serving: maxUnavailable let only the surge pod be replaced.
        (Get-ClusterApp pub-broken).Available | Should -Be 2
    }

    It 'fails the same way for an image the registry does not have, which the cluster reports as the kubelet does' {
        Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path images -Body @{ image = 'registry.example/shop:2'; pull = 'NotFound' } | Out-Null
        New-TestApp -Name pub-missing
        (kc patch deploy pub-missing -p '{"spec":{"progressDeadlineSeconds":2}}').ExitCode | Should -Be 0
        $null = Wait-AppRollout pub-missing
        $rollout = Publish-AppVersion pub-missing registry.example/shop:2 -Wait -Timeout 60 -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $rollout.Status | Should -Be 'Failed'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AppProgressDeadlineExceeded*'
        # What a diagnosis will read: the new pod waits on the image, and the kubelet said why.
        $pods = (kc get pods -l app=pub-missing -o json).Text | ConvertFrom-Json
        $waiting = @($pods.items.status.containerStatuses | Where-Object image -eq 'registry.example/shop:2').state.waiting
        $waiting.reason | Should -BeIn 'ErrImagePull', 'ImagePullBackOff'
        $events = (kc get events --field-selector reason=Failed -o json).Text | ConvertFrom-Json
        $events.items.message | Should -Contain ('Failed to pull image "registry.example/shop:2": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example/shop:2": ' +
            'failed to resolve reference "registry.example/shop:2": registry.example/shop:2: not found')
    }

    It 'supports -WhatIf and asks before changing anything' {
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        Publish-AppVersion web nginx:1.99 -WhatIf
        Get-Requests | Where-Object method -eq 'PATCH' | Should -BeNullOrEmpty
        (Get-Command Publish-AppVersion).Parameters.Keys | Should -Contain 'Confirm'
    }
}

Describe 'Get-AppRevision and Invoke-AppRollback' {
    It 'produce the revisions and templates kubectl rollout history and undo produce' {
        New-TestApp -Name hist-a
        Publish-AppVersion hist-a nginx:1.28 -ChangeCause 'release 2' -Wait -Force | Out-Null
        Publish-AppVersion hist-a nginx:1.29 -ChangeCause 'release 3' -Wait -Force | Out-Null
        $revisions = Get-AppRevision hist-a
        $revisions.Revision | Should -Be @(1, 2, 3)
        $revisions.ChangeCause | Should -Be @($null, 'release 2', 'release 3')
        ($revisions | Where-Object IsCurrent).Revision | Should -Be 3
        $history = (kc rollout history deploy/hist-a).Text
        $history | Should -Match '(?m)^1\s+<none>\s*$'
        $history | Should -Match '(?m)^3\s+release 3\s*$'

        $rollout = Invoke-AppRollback hist-a -Force -Wait
        $rollout.FromRevision | Should -Be 3
        $rollout.ToRevision | Should -Be 4
        $rollout.Images | Should -Be 'nginx:1.28'
        (Get-AppRevision hist-a).Revision | Should -Be @(1, 3, 4)
        (Get-AppRevision hist-a -Revision 4).PreviousRevisions | Should -Be 2
        (kc get rs -l app=hist-a -o 'jsonpath={range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/revision-history}{end}').Text | Should -Be '2'
    }

    It 'rolls back to the revision of an AppRevision from the pipeline, and a ClusterApp to its previous one' {
        New-TestApp -Name hist-b
        Publish-AppVersion hist-b nginx:1.28 -Wait -Force | Out-Null
        Publish-AppVersion hist-b nginx:1.29 -Wait -Force | Out-Null
        $rollout = Get-AppRevision hist-b | Where-Object Revision -eq 1 | Invoke-AppRollback -Force -Wait
        $rollout.ToRevision | Should -Be 4
        $rollout.Images | Should -Be 'nginx:1.27'
        $back = Get-ClusterApp hist-b | Invoke-AppRollback -Force -Wait
        $back.Images | Should -Be 'nginx:1.29'
        $back.ToRevision | Should -Be 5
    }

    It 'uses kubectl''s messages for a missing revision, a paused app and a template that already matches' {
        New-TestApp -Name hist-c
        $missing = { Invoke-AppRollback hist-c -ToRevision 7 -Force -ErrorAction Stop } | Should -Throw -PassThru
        $missing.Exception.Message | Should -Be 'unable to find specified revision 7 in history'
        $kubectl = kc rollout undo deploy/hist-c --to-revision=7
        $kubectl.Text | Should -Be "error: $($missing.Exception.Message)"

        $none = { Invoke-AppRollback hist-c -Force -ErrorAction Stop } | Should -Throw -PassThru
        $none.Exception.Message | Should -Be 'no rollout history found for deployment "hist-c"'
        (kc rollout undo deploy/hist-c).Text | Should -Be "error: $($none.Exception.Message)"

        $skipped = Invoke-AppRollback hist-c -ToRevision 1 -Force
        $skipped.Status | Should -Be 'Skipped'
        $skipped.Message | Should -Be 'skipped rollback (current template already matches revision 1)'
        (kc rollout undo deploy/hist-c --to-revision=1).Text | Should -Be "deployment.apps/hist-c $($skipped.Message)"

        Suspend-AppRollout hist-c -Force
        $paused = { Invoke-AppRollback hist-c -ToRevision 1 -Force -ErrorAction Stop } | Should -Throw -PassThru
        $paused.Exception.Message | Should -Be "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
        (kc rollout undo deploy/hist-c --to-revision=1).Text | Should -Be "error: $($paused.Exception.Message)"
        Resume-AppRollout hist-c -Force
    }

    It 'is ConfirmImpact High, describes the rollback under -WhatIf and sends nothing' {
        (Get-Command Invoke-AppRollback).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
        New-TestApp -Name hist-d
        Publish-AppVersion hist-d nginx:1.28 -Wait -Force | Out-Null
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $what = Invoke-AppRollback hist-d -WhatIf 6>&1 | Out-String
        Get-Requests | Where-Object method -eq 'PATCH' | Should -BeNullOrEmpty
        (Get-ClusterApp hist-d).Images | Should -Be 'nginx:1.28'
    }

    It 'sends the JSON patch kubectl rollout undo sends, and kubectl and the module agree on the result' {
        New-TestApp -Name twin-m
        New-TestApp -Name twin-k
        foreach ($step in 'nginx:1.28', 'nginx:1.29', 'undo', 'nginx:1.30', 'undo:3') {
            if ($step -like 'undo*') {
                $to = if ($step -eq 'undo') { 0 } else { [int] $step.Split(':')[1] }
                if ($to) { Invoke-AppRollback twin-m -ToRevision $to -Wait -Force | Out-Null } else { Invoke-AppRollback twin-m -Wait -Force | Out-Null }
                $undo = if ($to) { kc rollout undo deploy/twin-k "--to-revision=$to" } else { kc rollout undo deploy/twin-k }
                $undo.ExitCode | Should -Be 0
            }
            else {
                Publish-AppVersion twin-m $step -Wait -Force | Out-Null
                (kc set image deploy/twin-k "twin-k=$step").ExitCode | Should -Be 0
            }
            (kc rollout status deploy/twin-k --timeout=60s).ExitCode | Should -Be 0
        }
        $module = Get-AppRevision twin-m
        $kubectl = Get-AppRevision twin-k
        $module.Revision | Should -Be $kubectl.Revision
        $module.Images | Should -Be $kubectl.Images
        $module.PreviousRevisions | Should -Be $kubectl.PreviousRevisions
        $m = (kc get deploy twin-m -o json).Text | ConvertFrom-Json
        $k = (kc get deploy twin-k -o json).Text | ConvertFrom-Json
        $m.spec.template.spec.containers[0].image | Should -Be $k.spec.template.spec.containers[0].image
        $m.metadata.annotations.'deployment.kubernetes.io/revision' | Should -Be $k.metadata.annotations.'deployment.kubernetes.io/revision'
    }
}

Describe 'Set-AppReplicaCount' {
    It 'scales through the scale subresource like kubectl scale and returns the app with -PassThru' {
        New-TestApp -Name scale-a
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $app = Set-AppReplicaCount scale-a 4 -PassThru -Force
        $app.Replicas | Should -Be 4
        $patch = Get-Requests | Where-Object method -eq 'PATCH'
        $patch.path | Should -BeLike '/apis/apps/v1/namespaces/default/deployments/scale-a/scale*'
        $patch.body | Should -Be '{"spec":{"replicas":4}}'
        (Set-AppReplicaCount scale-a 1 -Wait -Force).Status | Should -Be 'Complete'
        (kc scale deploy/scale-a --replicas=3).Text | Should -Be 'deployment.apps/scale-a scaled'
        (Get-ClusterApp scale-a).Replicas | Should -Be 3
    }

    It 'honours -CurrentReplicas like --current-replicas' {
        New-TestApp -Name scale-b
        $failure = { Set-AppReplicaCount scale-b 5 -CurrentReplicas 3 -Force -ErrorAction Stop } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Be 'Expected replicas to be 3, was 2'
        (kc scale deploy/scale-b --current-replicas=3 --replicas=5).Text | Should -Be "error: $($failure.Exception.Message)"
        (Get-ClusterApp scale-b).Replicas | Should -Be 2
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body @{ method = 'PUT'; path = '/apis/apps/v1/namespaces/default/deployments/scale-b/scale'; statusCode = 409; times = 1 } | Out-Null
        (Set-AppReplicaCount scale-b 5 -CurrentReplicas 2 -PassThru -Force).Replicas | Should -Be 5
    }

    It 'refuses a negative count before any request' {
        { Set-AppReplicaCount web -Replicas -1 -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Wait-AppRollout' {
    It 'follows a rollout through a watch, not by polling, and reports kubectl''s final message' {
        New-TestApp -Name wait-a
        Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path settings -Body @{ podReadySeconds = 2 } | Out-Null
        try {
            (kc set image deploy/wait-a wait-a=nginx:1.28).ExitCode | Should -Be 0
            Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
            $rollout = Wait-AppRollout wait-a -Timeout 60
            $rollout.Status | Should -Be 'Complete'
            $rollout.Message | Should -Be 'deployment "wait-a" successfully rolled out'
            $reads = @(Get-Requests | Where-Object { $_.method -eq 'GET' -and $_.path -like '*/deployments?*' })
            @($reads | Where-Object path -match 'watch=true').Count | Should -BeGreaterOrEqual 1
            @($reads | Where-Object path -notmatch 'watch=true').Count | Should -Be 1
            ($reads | Where-Object path -match 'watch=true')[0].path | Should -Match 'fieldSelector=metadata.name%3Dwait-a'
        }
        finally {
            Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path settings -Body @{ podReadySeconds = 1 } | Out-Null
        }
    }

    It 'survives an API outage while it waits' {
        New-TestApp -Name wait-b
        (kc set image deploy/wait-b wait-b=nginx:1.28).ExitCode | Should -Be 0
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path faults -Body @{ method = 'GET'; path = '/apis/apps/v1/namespaces/default/deployments'; abort = $true; times = 2 } | Out-Null
        (Wait-AppRollout wait-b -Timeout 60).Status | Should -Be 'Complete'
    }

    It 'ends with a timeout error and Status Progressing, leaving the rollout going' {
        New-TestApp -Name wait-c
        (kc set image deploy/wait-c wait-c=nginx:broken-1).ExitCode | Should -Be 0
        $rollout = Wait-AppRollout wait-c -Timeout 2 -ErrorVariable problems -ErrorAction SilentlyContinue
        $rollout.Status | Should -Be 'Progressing'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AppRolloutTimeout*'
        $problems[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }

    It 'stops waiting on Ctrl+C and leaves the rollout in progress' {
        New-TestApp -Name wait-d
        (kc set image deploy/wait-d wait-d=nginx:broken-2).ExitCode | Should -Be 0
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$(Get-ModuleUnderTest)'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'; Wait-AppRollout wait-d -Timeout 300")
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not (Get-Requests | Where-Object { $_.path -match 'watch=true' -and $_.path -match 'wait-d' }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $shell.Stop()
            $running.IsCompleted | Should -BeTrue
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $shell.Streams.Error | Should -BeNullOrEmpty
        }
        finally {
            $shell.Dispose()
        }
        (Get-ClusterApp wait-d).UpToDate | Should -BeLessThan 2
    }
}

Describe 'Suspend-AppRollout, Resume-AppRollout and Restart-App' {
    It 'pause and resume like kubectl rollout pause/resume, batching template changes' {
        New-TestApp -Name pause-a
        (Suspend-AppRollout pause-a -PassThru -Force).Paused | Should -BeTrue
        Suspend-AppRollout pause-a -Force -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -Match 'already paused'
        Publish-AppVersion pause-a nginx:1.28 -Force | Out-Null
        (Get-AppRevision pause-a).Count | Should -Be 1
        (kc get deploy pause-a -o 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}').Text | Should -Be 'DeploymentPaused'
        { Restart-App pause-a -Force -ErrorAction Stop } | Should -Throw -ExpectedMessage "*can't restart paused deployment*"
        (Resume-AppRollout pause-a -PassThru -Force).Paused | Should -BeFalse
        (Wait-AppRollout pause-a -Timeout 60).Status | Should -Be 'Complete'
        (Get-AppRevision pause-a).Revision | Should -Be @(1, 2)
    }

    It 'restarts with the restartedAt template annotation and a new revision' {
        New-TestApp -Name restart-a
        $rollout = Restart-App restart-a -Wait -Force
        $rollout.Status | Should -Be 'Complete'
        $rollout.ToRevision | Should -Be 2
        $json = (kc get deploy restart-a -o json).Text | ConvertFrom-Json -DateKind String
        $json.spec.template.metadata.annotations.'kubectl.kubernetes.io/restartedAt' | Should -Match '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$'
    }
}

Describe 'Get-ClusterApp: Healthy, -Detailed and the Status view' {
    BeforeAll {
        function Wait-Until {
            <# Polls a condition, bounded: pods fail a moment after the kubelet tries them. #>
            param([scriptblock] $Condition, [int] $Seconds = 45)
            $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
            while (-not (& $Condition)) {
                if ([datetime]::UtcNow -gt $deadline) { throw "Not within $Seconds s: $Condition" }
                Start-Sleep -Milliseconds 500
            }
        }

        function Set-Image { param([hashtable] $Behaviour) $null = Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path images -Body $Behaviour }
    }

    It 'a running app is Healthy with no Reason; -Detailed reads its pods and finds none in trouble' {
        New-TestApp -Name fine-a
        $plain = Get-ClusterApp fine-a
        $plain.Healthy | Should -BeTrue
        $plain.Reason | Should -BeNullOrEmpty
        $plain.UnhealthyPods | Should -BeNullOrEmpty
        $detailed = Get-ClusterApp fine-a -Detailed
        $detailed.Healthy | Should -BeTrue
        $null -eq $detailed.UnhealthyPods | Should -BeFalse -Because '-Detailed read the pods'
        $detailed.UnhealthyPods.Count | Should -Be 0
    }

    It 'an image that cannot be pulled: not Healthy, and -Detailed names the new pod, its image and the kubelet''s reason' {
        New-TestApp -Name pull-a
        $null = Publish-AppVersion pull-a -Image 'registry.example/pull-a:broken'
        Wait-Until { (Get-ClusterApp pull-a -Detailed).UnhealthyPods.Cause -contains 'ImagePullFailed' }
        $plain = Get-ClusterApp pull-a
        $plain.Healthy | Should -BeFalse
        $plain.Reason | Should -BeLike 'Waiting for deployment "pull-a" rollout to finish*'
        $app = Get-ClusterApp pull-a -Detailed
        $app.Healthy | Should -BeFalse
        $pod = @($app.UnhealthyPods)[0]
        $pod.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::ImagePullFailed)
        $pod.Image | Should -Be 'registry.example/pull-a:broken'
        $pod.Container | Should -Be 'pull-a'
        $pod.Node | Should -BeLike 'worker-*'
        $pod.Message | Should -BeLike '*registry.example/pull-a:broken*'
        # The two old pods still serve: 1 of 3. The kubelet alternates ErrImagePull and ImagePullBackOff.
        $app.Reason | Should -Match '^(ErrImagePull|ImagePullBackOff) on 1 of 3 pods: image "registry\.example/pull-a:broken" cannot be pulled$'
    }

    It 'a crash loop: the container, its last exit code and the restarts' {
        Set-Image @{ image = 'registry.example/crash-a:1'; exitCode = 3; runSeconds = 0; terminationMessage = 'config missing' }
        New-TestApp -Name crash-a -Image 'registry.example/crash-a:1' -Replicas 1 -NoWait
        Wait-Until { (Get-ClusterApp crash-a -Detailed).UnhealthyPods.Reason -contains 'CrashLoopBackOff' }
        $app = Get-ClusterApp crash-a -Detailed
        $app.Healthy | Should -BeFalse
        $pod = @($app.UnhealthyPods)[0]
        $pod.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::CrashLoop)
        $pod.LastExitCode | Should -Be 3
        $pod.Restarts | Should -BeGreaterOrEqual 1
        $app.Reason | Should -BeLike "CrashLoopBackOff on 1 of 1 pods: container ""crash-a"" exited with code 3, * restarts (config missing)"
    }

    It 'a pod no node can take: Unschedulable with the scheduler''s message' {
        New-TestApp -Name huge-a -Replicas 1 -Requests @{ cpu = '500' } -NoWait
        Wait-Until { (Get-ClusterApp huge-a -Detailed).UnhealthyPods.Reason -contains 'Unschedulable' }
        $app = Get-ClusterApp huge-a -Detailed
        $pod = @($app.UnhealthyPods)[0]
        $pod.Cause | Should -Be ([ClusterManagement.Diagnostics.DiagnosisCause]::Unschedulable)
        $pod.Node | Should -BeNullOrEmpty
        $pod.Message | Should -BeLike '0/4 nodes are available*Insufficient cpu*'
        $app.Reason | Should -BeLike 'Unschedulable on 1 of 1 pods: 0/4 nodes are available*'
    }

    It 'Where-Object Healthy -eq $false answers what is broken, reading pods once per namespace, and the Status view shows why' {
        Wait-Until { (Get-ClusterApp -AllNamespaces -Detailed | Where-Object Healthy -eq $false).Name.Count -ge 3 }
        New-TestApp -Name other-ns-a -Namespace team-a
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path requests | Out-Null
        $all = @(Get-ClusterApp -AllNamespaces -Detailed)
        $broken = @($all | Where-Object Healthy -eq $false)
        $broken.Name | Should -Contain 'pull-a'
        $broken.Name | Should -Contain 'crash-a'
        $broken.Name | Should -Contain 'huge-a'
        $broken.Name | Should -Not -Contain 'fine-a'
        $broken.Name | Should -Not -Contain 'other-ns-a'
        $namespaces = @($all.Namespace | Sort-Object -Unique)
        $requests = Get-Requests
        @($requests | Where-Object path -match '/namespaces/[^/]+/pods(\?|$)').Count | Should -Be $namespaces.Count
        @($requests | Where-Object path -match '/namespaces/[^/]+/replicasets(\?|$)').Count | Should -Be $namespaces.Count
        $requests | Where-Object path -match '^/api/v1/pods' | Should -BeNullOrEmpty

        $table = $broken | Format-Table -View Status | Out-String -Width 200
        $table | Should -Match 'Namespace\s+Name\s+Ready\s+Healthy\s+Reason'
        $table | Should -Match 'pull-a\s+\S+\s+False\s+(ErrImagePull|ImagePullBackOff) on 1 of 3 pods'
    }

    It 'a quota that refuses the pods: the ReplicaFailure condition is the Reason, without reading pods' {
        $quota = @{ apiVersion = 'v1'; kind = 'ResourceQuota'; metadata = @{ name = 'no-pods'; namespace = 'quota-a' }; spec = @{ hard = @{ pods = '0' } } } | ConvertTo-Json -Depth 5
        $null = kc create namespace quota-a
        $file = Join-Path ([IO.Path]::GetTempPath()) "cm-apps-quota-$PID.json"
        Set-Content -Path $file -Value $quota
        try { $null = kc create -f $file } finally { Remove-Item $file -ErrorAction Ignore }
        New-TestApp -Name quota-a -Namespace quota-a -Replicas 1 -NoWait
        Wait-Until { (Get-ClusterApp quota-a -Namespace quota-a).Reason -like 'FailedCreate:*' }
        $app = Get-ClusterApp quota-a -Namespace quota-a
        $app.Healthy | Should -BeFalse
        $app.Reason | Should -BeLike 'FailedCreate: pods "quota-a-*" is forbidden: exceeded quota: no-pods*'
    }
}
