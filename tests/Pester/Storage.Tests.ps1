BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'tests/DateraManifests.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3
    $env:KUBECONFIG = $cluster.KubeConfig
    $datera = New-DateraManifestSet -Path (Join-Path $TestDrive 'datera')

    function New-ClaimPod {
        param([string] $Name, [string] $Claim, [string] $Node = 'worker-1')
        $file = Join-Path $TestDrive "$Name.yaml"
        @"
apiVersion: v1
kind: Pod
metadata:
  name: $Name
spec:
  nodeName: $Node
  containers:
    - name: app
      image: busybox:1.36
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: $Claim
"@ | Set-Content $file
        Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'create', '-f', $file | Out-Null
    }

    function Wait-Until {
        <# Bounded polling of the cluster state a controller reaches asynchronously. #>
        param([scriptblock] $Condition, [string] $What, [int] $Seconds = 15)
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "timed out waiting for $What" }
            Start-Sleep -Milliseconds 100
        }
    }
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Publish-ClusterManifest' {
    It 'shows the plan with -WhatIf and changes nothing' {
        # What-if lines go to the host, so the plan is read from a fresh pwsh's output.
        $run = Invoke-FreshPwsh -Script "Import-Module '$(Get-ModuleUnderTest)'; Publish-ClusterManifest -Path '$datera' -WhatIf" -Environment @{ KUBECONFIG = $cluster.KubeConfig }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $plan = $run.Output
        $plan | Should -Match 'Apply \(server-side, create\).*ServiceAccount .kube-system/csi-datera-controller-sa'
        $plan | Should -Match 'StorageClass .csi-datera'
        Get-StorageClass -Name csi-datera -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'applies in dependency order, then reports every object unchanged on a second run' {
        $first = @(Publish-ClusterManifest -Path (Join-Path $datera '*.yaml') -Wait)
        $first.Kind | Should -Be @('ServiceAccount', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'CSIDriver', 'Secret', 'StatefulSet', 'DaemonSet', 'StorageClass')
        $first.Action | Sort-Object -Unique | Should -Be 'Created'
        ($first | Where-Object Kind -eq 'StatefulSet').Namespace | Should -Be 'kube-system'
        ($first | Where-Object Kind -eq 'StorageClass').Namespace | Should -BeNullOrEmpty

        $second = @(Publish-ClusterManifest -Path $datera)
        $second.Action | Sort-Object -Unique | Should -Be 'Unchanged'

        $json = Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'statefulset', 'csi-provisioner', '-n', 'kube-system', '-o', 'json', '--show-managed-fields' | ConvertFrom-Json
        $json.metadata.managedFields.manager | Should -Contain 'clustermanagement'
    }

    It 'reports a changed object as configured and removes fields the manifest no longer sets' {
        $file = Join-Path $TestDrive 'cm.yaml'
        "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: settings`ndata:`n  a: '1'`n  b: '2'" | Set-Content $file
        (Publish-ClusterManifest -Path $file -Namespace team-a).Action | Should -Be 'Created'
        "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: settings`ndata:`n  a: '3'" | Set-Content $file
        $changed = Publish-ClusterManifest -Path $file -Namespace team-a
        $changed.Action | Should -Be 'Configured'
        $changed.Namespace | Should -Be 'team-a'
        $data = (Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'configmap', 'settings', '-n', 'team-a', '-o', 'json' | ConvertFrom-Json).data
        $data.a | Should -Be '3'
        $data.PSObject.Properties.Name | Should -Not -Contain 'b'
    }

    It 'stops at fields kubectl scale and kubectl edit changed, naming their managers, and takes them only with -ForceConflicts' {
        $file = Join-Path $TestDrive 'shop.yaml'
        "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: shop`nspec:`n  replicas: 1`n  selector:`n    matchLabels: {app: shop}`n  template:`n    metadata:`n      labels: {app: shop}`n    spec:`n      containers:`n      - {name: shop, image: nginx:1.27}" | Set-Content $file
        (Publish-ClusterManifest -Path $file -Namespace team-a).Action | Should -Be 'Created'
        Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'scale', 'deployment/shop', '-n', 'team-a', '--replicas=3' | Out-Null
        $env:KUBE_EDITOR = 'sed -i s/nginx:1.27/nginx:1.28/'
        try {
            Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'edit', 'deployment/shop', '-n', 'team-a', '--validate=false' | Out-Null
        }
        finally {
            Remove-Item Env:KUBE_EDITOR
        }
        $live = { Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'deployment', 'shop', '-n', 'team-a', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}' }

        foreach ($confirmOnly in @{}, @{ Force = $true }) {
            $failure = { Publish-ClusterManifest -Path $file -Namespace team-a @confirmOnly } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'ManifestFieldConflict*'
            $failure.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $failure.Exception.Message | Should -Match ([regex]::Escape('conflicts with "kubectl" with subresource "scale" using apps/v1:') + '\s+- \.spec\.replicas')
            $failure.Exception.Message | Should -Match ([regex]::Escape('conflicts with "kubectl-edit" using apps/v1:') + '\s+- \.spec\.template\.spec\.containers\[name="shop"\]\.image')
            $failure.Exception.Message | Should -Match '-ForceConflicts'
            & $live | Should -Be '3 nginx:1.28'
        }

        (Publish-ClusterManifest -Path $file -Namespace team-a -ForceConflicts).Action | Should -Be 'Configured'
        & $live | Should -Be '1 nginx:1.27'
        (Publish-ClusterManifest -Path $file -Namespace team-a).Action | Should -Be 'Unchanged'
    }

    It 'rejects a missing path and an unreadable manifest before any request' {
        { Publish-ClusterManifest -Path (Join-Path $TestDrive 'absent.yaml') } | Should -Throw -ErrorId 'ManifestNotFound*'
        $bad = Join-Path $TestDrive 'bad.yaml'
        "kind: ConfigMap`nmetadata: {}" | Set-Content $bad
        $failure = { Publish-ClusterManifest -Path $bad } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ManifestInvalid*'
        $failure.Exception.Message | Should -Match ([regex]::Escape($bad))
    }
}

Describe 'Install-CsiDriver and Get-CsiDriver' {
    It 'installs the driver, waits for it and returns it with the classes using it' {
        $driver = Install-CsiDriver -Path $datera -Timeout 60
        $driver.Name | Should -Be 'dsp.csi.daterainc.io'
        $driver.AttachRequired | Should -BeFalse
        $driver.PodInfoOnMount | Should -BeTrue
        $driver.FsGroupPolicy | Should -Be 'File'
        $driver.Modes | Should -Be @('Persistent')
        $driver.StorageClasses | Should -Be @('csi-datera')
    }

    It 'lists drivers, selects by wildcard and reports an unknown name' {
        (Get-CsiDriver).Name | Should -Be @('dsp.csi.daterainc.io', 'hostpath.csi.k8s.io')
        (Get-CsiDriver -Name 'dsp.*').Name | Should -Be 'dsp.csi.daterainc.io'
        Get-CsiDriver -Name nope.csi -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CsiDriverNotFound*'
    }

    It 'returns from an upgrade only once every node runs the new node plugin, ready' {
        $upgrade = New-DateraManifestSet -Path (Join-Path $TestDrive 'datera-upgrade')
        $file = Join-Path $upgrade '10-csi-datera.yaml'
        (Get-Content $file -Raw).Replace('dat-csi-plugin:1.0.13', 'dat-csi-plugin:1.0.14') | Set-Content $file
        Install-CsiDriver -Path $upgrade -Timeout 60 | Out-Null

        # The emulated DaemonSet controller replaces the pods node by node: old pods stay ready meanwhile, so a wait on readiness alone returns too early.
        $ds = Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'daemonset', 'csi-node', '-n', 'kube-system', '-o', 'json' | ConvertFrom-Json
        $pods = @((Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'pods', '-n', 'kube-system', '-l', 'app=csi-node', '-o', 'json' | ConvertFrom-Json).items)
        $ds.status.desiredNumberScheduled | Should -Be 3
        $ds.status.updatedNumberScheduled | Should -Be 3
        $pods.Count | Should -Be 3
        foreach ($pod in $pods) {
            $pod.spec.containers.image | Should -Contain 'dateraiodev/dat-csi-plugin:1.0.14'
            ($pod.status.conditions | Where-Object type -eq Ready).status | Should -Be 'True'
        }
    }

    It 'times out naming the DaemonSet whose pods never become ready' {
        $broken = New-DateraManifestSet -Path (Join-Path $TestDrive 'datera-broken')
        $file = Join-Path $broken '10-csi-datera.yaml'
        # Only the node plugin: a StatefulSet stuck on a broken pod needs that pod deleted by hand after the fix (the documented forced rollback).
        (Get-Content $file -Raw).Replace('csi-node-driver-registrar:v2.9.0', 'csi-node-driver-registrar:broken') | Set-Content $file
        try {
            $failure = { Install-CsiDriver -Path $broken -Timeout 4 } | Should -Throw -PassThru
            $failure.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $failure.Exception.Message | Should -Match "DaemonSet 'kube-system/csi-node'"
        }
        finally {
            Install-CsiDriver -Path $datera -Timeout 60 | Out-Null
        }
    }

    It 'times out with a clear error when the manifests register no such driver' {
        $failure = { Install-CsiDriver -Path $datera -Name other.csi.example.com -Timeout 1 } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failure.Exception.Message | Should -Match 'CSIDriver object was not registered'
    }
}

Describe 'Storage classes' {
    It 'reads the Datera class with its parameters as strings' {
        $sc = Get-StorageClass -Name csi-datera
        $sc.Provisioner | Should -Be 'dsp.csi.daterainc.io'
        $sc.ReclaimPolicy | Should -Be 'Retain'
        $sc.Parameters['replica_count'] | Should -Be '3'
        $sc.Parameters['fs_type'] | Should -Be 'ext4'
        $sc.AllowVolumeExpansion | Should -BeTrue
    }

    It 'creates a class; -Default clears the previous default' {
        $new = New-StorageClass -Name gold -Provisioner dsp.csi.daterainc.io -Parameter @{ replica_count = 2; round_robin = $true } -ReclaimPolicy Retain -AllowVolumeExpansion -Default -MountOption discard
        $new.IsDefault | Should -BeTrue
        $new.Parameters['replica_count'] | Should -Be '2'
        $new.Parameters['round_robin'] | Should -Be 'true'
        $new.MountOptions | Should -Be @('discard')
        (Get-StorageClass -Default).Name | Should -Be 'gold'
        (Get-StorageClass -Name standard).IsDefault | Should -BeFalse
        Set-StorageClass -Name standard -Default
        (Get-StorageClass -Default).Name | Should -Be 'standard'
    }

    It 'refuses a duplicate name with AlreadyExists' {
        $failure = { New-StorageClass -Name gold -Provisioner dsp.csi.daterainc.io -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
        $failure.FullyQualifiedErrorId | Should -BeLike 'StorageClassAlreadyExists*'
    }

    It 'changes expansion, and refuses to change immutable settings before any request, saying why' {
        (Set-StorageClass -Name gold -AllowVolumeExpansion:$false -PassThru).AllowVolumeExpansion | Should -BeFalse
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'requests' | Out-Null
        Set-StorageClass -Name gold -Parameter @{ replica_count = '5' } -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'StorageClassFieldImmutable*'
        $problems[0].Exception.Message | Should -Match 'immutable'
        $writes = @(Invoke-EmulatorControl -Cluster $cluster -Path 'requests') | ForEach-Object { $_ } | Where-Object { $_.method -ne 'GET' }
        $writes | Should -BeNullOrEmpty
    }

    It 'supports -WhatIf on creation' {
        New-StorageClass -Name never -Provisioner x.csi -WhatIf
        Get-StorageClass -Name never -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'CSI volume claims' {
    It 'creates mypvc of 1Gi in csi-datera and waits until it is bound' {
        $claim = New-CsiVolumeClaim -Name mypvc -Size 1Gi -AccessMode ReadWriteOnce -StorageClass csi-datera -Label @{ app = 'db' } -Wait
        $claim.Status | Should -Be 'Bound'
        $claim.Capacity | Should -Be '1Gi'
        $claim.RequestedSize | Should -Be '1Gi'
        $claim.Driver | Should -Be 'dsp.csi.daterainc.io'
        $claim.ReclaimPolicy | Should -Be 'Retain'
        $claim.Volume | Should -Be "pvc-$($claim.Uid)"
        $claim.Labels['app'] | Should -Be 'db'
        $volume = Get-CsiVolume -Name $claim.Volume
        $volume.Claim | Should -Be 'default/mypvc'
        $volume.Attributes['replica_count'] | Should -Be '3'
        $volume.FsType | Should -Be 'ext4'
    }

    It 'shows sizes as Kubernetes quantities and matches kubectl' {
        New-CsiVolumeClaim -Name canonical -Size 1024Mi -Wait | Select-Object -ExpandProperty Capacity | Should -Be '1Gi'
        $json = Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'pvc', '-o', 'json' | ConvertFrom-Json
        $claims = @(Get-CsiVolumeClaim)
        $claims.Count | Should -Be $json.items.Count
        foreach ($item in $json.items) {
            $claim = $claims | Where-Object Name -eq $item.metadata.name
            $claim.Status | Should -Be $item.status.phase
            $claim.Capacity | Should -Be $item.status.capacity.storage
            $claim.Volume | Should -Be $item.spec.volumeName
        }
    }

    It 'rejects sizes that are not quantities before any request' -ForEach @(
        @{ Size = '1GB' }, @{ Size = '1 Gi' }, @{ Size = 'big' }, @{ Size = '-1Gi' }, @{ Size = '0' }
    ) {
        $failure = { New-CsiVolumeClaim -Name bad -Size $Size } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
        $failure.Exception.Message | Should -Match 'Kubernetes quantity|usable storage size'
    }

    It 'refuses an unknown class before creating anything, naming the known ones' {
        $failure = { New-CsiVolumeClaim -Name typo -Size 1Gi -StorageClass csi-dattera -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'StorageClassNotFound*'
        $failure.Exception.Message | Should -Match 'csi-datera'
        Get-CsiVolumeClaim -Name typo -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a duplicate claim with AlreadyExists' {
        $failure = { New-CsiVolumeClaim -Name mypvc -Size 1Gi -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'explains a claim that stays Pending because no CSI driver serves its provisioner' {
        New-StorageClass -Name nodriver -Provisioner absent.csi.example.com | Out-Null
        $claim = New-CsiVolumeClaim -Name stuck -Size 1Gi -StorageClass nodriver -Wait -WarningVariable warned -WarningAction SilentlyContinue
        $claim.Status | Should -Be 'Pending'
        "$warned" | Should -Match "no such CSI driver is registered"
    }

    It 'explains WaitForFirstConsumer, then binds when a pod using the claim is scheduled' {
        New-StorageClass -Name late -Provisioner dsp.csi.daterainc.io -VolumeBindingMode WaitForFirstConsumer | Out-Null
        $claim = New-CsiVolumeClaim -Name late-claim -Size 500Mi -StorageClass late -Wait -WarningVariable warned -WarningAction SilentlyContinue
        $claim.Status | Should -Be 'Pending'
        "$warned" | Should -Match 'WaitForFirstConsumer'
        New-ClaimPod -Name late-user -Claim late-claim -Node worker-2
        Wait-Until { (Get-CsiVolumeClaim -Name late-claim).Status -eq 'Bound' } 'late-claim bound'
        (Get-CsiVolumeClaim -Name late-claim).SelectedNode | Should -Be 'worker-2'
    }

    It 'lists across namespaces, by wildcard and label selector' {
        New-CsiVolumeClaim -Name other -Size 1Gi -Namespace team-a -Wait | Out-Null
        (Get-CsiVolumeClaim -AllNamespaces).Namespace | Sort-Object -Unique | Should -Be @('default', 'team-a')
        (Get-CsiVolumeClaim -AllNamespaces -Name other).Namespace | Should -Be 'team-a'
        (Get-CsiVolumeClaim -Name 'my*').Name | Should -Be 'mypvc'
        (Get-CsiVolumeClaim -LabelSelector 'app=db').Name | Should -Be 'mypvc'
    }

    It 'completes claim, class and driver names' {
        (TabExpansion2 -inputScript 'Get-CsiVolumeClaim -Name myp' -cursorColumn 'Get-CsiVolumeClaim -Name myp'.Length).CompletionMatches.CompletionText | Should -Be 'mypvc'
        (TabExpansion2 -inputScript 'Get-StorageClass -Name csi-' -cursorColumn 'Get-StorageClass -Name csi-'.Length).CompletionMatches.CompletionText | Should -Be 'csi-datera'
        (TabExpansion2 -inputScript 'Get-CsiDriver -Name dsp' -cursorColumn 'Get-CsiDriver -Name dsp'.Length).CompletionMatches.CompletionText | Should -Be 'dsp.csi.daterainc.io'
    }

    It 'serializes cleanly to JSON' {
        $back = Get-CsiVolumeClaim -Name mypvc | ConvertTo-Json -Depth 4 -WarningAction Stop | ConvertFrom-Json -DateKind String
        $back.Capacity | Should -Be '1Gi'
        $back.Created | Should -Match '^\d{4}-\d{2}-\d{2}T'
    }
}

Describe 'Resize-CsiVolumeClaim' {
    It 'grows a claim and follows the resize until the pod-mounted file system has grown' {
        New-ClaimPod -Name db -Claim mypvc -Node worker-1
        $claim = Resize-CsiVolumeClaim -Name mypvc -Size 2Gi -Wait -Timeout 30
        $claim.Capacity | Should -Be '2Gi'
        $claim.RequestedSize | Should -Be '2Gi'
        (Get-CsiVolume -Name $claim.Volume).Capacity | Should -Be '2Gi'
    }

    It 'explains a claim waiting for a pod to grow its file system' {
        $claim = Resize-CsiVolumeClaim -Name canonical -Size 3Gi -Wait -WarningVariable warned -WarningAction SilentlyContinue
        $claim.Capacity | Should -Be '1Gi'
        $claim.ResizeStatus | Should -Be 'NodeResizePending'
        ($claim.Conditions | Where-Object Type -eq 'FileSystemResizePending') | Should -Not -BeNullOrEmpty
        "$warned" | Should -Match 'file system grows when a pod mounts the claim'
    }

    It 'refuses to shrink, and to grow a class without expansion, before any change' {
        $failure = { Resize-CsiVolumeClaim -Name mypvc -Size 1Gi -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ClaimShrinkNotSupported*'
        New-CsiVolumeClaim -Name fixed -Size 1Gi -StorageClass gold -Wait | Out-Null
        $failure = { Resize-CsiVolumeClaim -Name fixed -Size 2Gi -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'StorageClassExpansionNotAllowed*'
        $failure.Exception.Message | Should -Match 'Set-StorageClass -Name gold -AllowVolumeExpansion'
        (Get-CsiVolumeClaim -Name fixed).RequestedSize | Should -Be '1Gi'
    }

    It 'refuses with -WhatIf too, so -WhatIf never describes a resize that would be refused' {
        $failure = { Resize-CsiVolumeClaim -Name mypvc -Size 1Gi -WhatIf -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ClaimShrinkNotSupported*'
        $failure = { Resize-CsiVolumeClaim -Name fixed -Size 2Gi -WhatIf -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'StorageClassExpansionNotAllowed*'
        $failure = { Resize-CsiVolumeClaim -Name mypvc -Size lots -WhatIf -ErrorAction Stop } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Match 'lots'
    }

    It 'passes the server''s refusal through when the class changed meanwhile' {
        $json = '{"allowVolumeExpansion":false}'
        Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'patch', 'sc', 'standard', '-p', $json | Out-Null
        try {
            $failure = { Resize-CsiVolumeClaim -Name canonical -Size 4Gi -ErrorAction Stop } | Should -Throw -PassThru
            $failure.Exception.Message | Should -Match 'does not allow volume expansion'
        }
        finally {
            Set-StorageClass -Name standard -AllowVolumeExpansion
        }
    }
}

Describe 'Volumes, reclaim and removal' {
    It 'protects a volume with Set-CsiVolume -ReclaimPolicy Retain before its claim is removed' {
        $claim = Get-CsiVolumeClaim -Name canonical
        $claim.ReclaimPolicy | Should -Be 'Delete'
        (Set-CsiVolume -Name $claim.Volume -ReclaimPolicy Retain -PassThru).ReclaimPolicy | Should -Be 'Retain'
        (Get-CsiVolumeClaim -Name canonical).ReclaimPolicy | Should -Be 'Retain'
        Remove-CsiVolumeClaim -Name canonical -Confirm:$false -Verbose 4>&1 | Out-String | Should -Match 'will be retained'
        Wait-Until { (Get-CsiVolume -Name $claim.Volume).Status -eq 'Released' } 'volume released'
    }

    It 'deletes the volume of a claim whose policy is Delete' {
        $claim = New-CsiVolumeClaim -Name scratch -Size 1Gi -Wait
        Remove-CsiVolumeClaim -Name scratch -Force -Verbose -WarningVariable warned 4>&1 | Out-String | Should -Match 'will be deleted'
        "$warned" | Should -Not -Match 'deprecated' -Because '-Force on a claim nobody mounts only skips the prompt'
        Wait-Until { -not (Get-CsiVolume -Name $claim.Volume -ErrorAction SilentlyContinue) } 'volume deleted'
    }

    It 'refuses to remove a claim a pod mounts unless -EvenIfInUse (or, deprecated, -Force alone), then it stays Terminating until the pod is gone' {
        $failure = { Remove-CsiVolumeClaim -Name mypvc -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'CsiVolumeClaimInUse*'
        $failure.Exception.Message | Should -Match 'db'
        $failure.Exception.Message | Should -Match 'use -EvenIfInUse'
        # -Force with the switch named as off: only "do not ask", so the claim in use stays, and nothing is said of -Force.
        $failure = { Remove-CsiVolumeClaim -Name mypvc -Force -EvenIfInUse:$false -ErrorAction Stop -WarningVariable quiet -WarningAction SilentlyContinue } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'CsiVolumeClaimInUse*'
        $quiet | Should -BeNullOrEmpty
        Get-CsiVolumeClaim -Name mypvc | Should -Not -BeNullOrEmpty
        # -Force alone: the old meaning for one release, with a warning naming the new switch.
        Remove-CsiVolumeClaim -Name mypvc -Force -WarningVariable warned -WarningAction SilentlyContinue
        @($warned | Where-Object { "$_" -match 'deprecated' }).Count | Should -Be 1
        "$warned" | Should -Match '-Force on Remove-CsiVolumeClaim also removes claims that pods mount, as -EvenIfInUse does'
        "$warned" | Should -Match 'stays Terminating'
        (Get-CsiVolumeClaim -Name mypvc).Status | Should -Be 'Terminating'
        Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'delete', 'pod', 'db', '--grace-period=0' | Out-Null
        Wait-Until { -not (Get-CsiVolumeClaim -Name mypvc -ErrorAction SilentlyContinue) } 'mypvc gone'
    }

    It 'refuses to remove a class in use unless -EvenIfInUse' {
        $failure = { Remove-StorageClass -Name late -Force:$false -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'StorageClassInUse*'
        $failure.Exception.Message | Should -Match 'use -EvenIfInUse'
        $failure = { Remove-StorageClass -Name late -Force -EvenIfInUse:$false -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'StorageClassInUse*'
        Remove-StorageClass -Name late -EvenIfInUse -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'can no longer be expanded'
        "$warned" | Should -Not -Match 'deprecated'
        Get-StorageClass -Name late -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure = { Resize-CsiVolumeClaim -Name late-claim -Size 1Gi -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ClaimClassMissing*'
    }

    It 'lists volumes by status, and reports an unknown volume naming it' {
        (Get-CsiVolume -Status Released).Claim | Should -Contain 'default/canonical'
        Set-CsiVolume -Name pvc-nope -ReclaimPolicy Retain -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CsiVolumeNotFound*'
        $problems[0].TargetObject | Should -Be 'pvc-nope'
    }
}

Describe 'Waiting through an API outage' {
    BeforeAll {
        # A slow driver: claims wait three seconds for their volume, so -Wait is still watching when the API fails.
        Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path 'settings' -Body @{ provisioningSeconds = 3 } | Out-Null
    }

    AfterAll {
        Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path 'settings' -Body @{ provisioningSeconds = 0 } | Out-Null
        Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'faults' | Out-Null
    }

    It 'keeps waiting for Bound across dropped connections and finishes once the API answers' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'GET'; path = '/api/v1/namespaces/default/persistentvolumeclaims'; abort = $true; times = 2 } | Out-Null
        $claim = New-CsiVolumeClaim -Name through-outage -Size 1Gi -Wait -Timeout 30
        $claim.Status | Should -Be 'Bound'
        @(Invoke-EmulatorControl -Cluster $cluster -Path 'faults') | ForEach-Object { $_ } | Should -BeNullOrEmpty -Because 'both dropped requests were retried'
    }

    It 'fails with a ConnectionError naming the claim when the API server stays down during -Wait' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'GET'; path = '/api/v1/namespaces/default/persistentvolumeclaims'; abort = $true } | Out-Null
        try {
            $failure = { New-CsiVolumeClaim -Name never-seen -Size 1Gi -Wait -Timeout 30 -ErrorAction Stop } | Should -Throw -PassThru
            $failure.CategoryInfo.Category | Should -Be 'ConnectionError'
            $failure.TargetObject | Should -Match 'never-seen'
        }
        finally {
            Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'faults' | Out-Null
        }
    }
}
