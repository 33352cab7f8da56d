# Why a storage wait did not get there: each cause provoked on the emulator, checked by the Diagnosis's
# cause and evidence (the drain's PodDisruptionBudget diagnosis is in NodeMaintenance.Tests.ps1).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 1
    $env:KUBECONFIG = $cluster.KubeConfig

    function New-CsiDriverObject {
        <# A CSIDriver whose emulated sidecars misbehave as its emulator annotation says. #>
        param([string] $Name, [hashtable] $Annotation)
        $file = Join-Path $TestDrive "$Name.json"
        @{ apiVersion = 'storage.k8s.io/v1'; kind = 'CSIDriver'; metadata = @{ name = $Name; annotations = $Annotation }; spec = @{ attachRequired = $false } } |
            ConvertTo-Json -Depth 5 | Set-Content $file
        Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'create', '-f', $file | Out-Null
    }
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'New-CsiVolumeClaim -Wait: a claim that stays Pending' {
    It 'NoCsiDriver: ends at once, the diagnosis on the claim names the provisioner without a driver' {
        New-StorageClass -Name nodriver -Provisioner absent.csi.example.com | Out-Null
        $claim = New-CsiVolumeClaim -Name stuck -Size 1Gi -StorageClass nodriver -Wait -Timeout 30 -WarningVariable warned -WarningAction SilentlyContinue
        $claim.Status | Should -Be 'Pending'
        $claim.Diagnosis.Cause | Should -Be 'NoCsiDriver'
        $class = $claim.Diagnosis.Evidence | Where-Object Source -eq 'StorageClass'
        $class.Object | Should -Be 'storageclass/nodriver'
        $class.Message | Should -Be 'provisioner absent.csi.example.com has no CSIDriver object'
        "$warned" | Should -Match 'no such CSI driver is registered'
    }

    It 'WaitingForFirstConsumer: ends at once, saying the claim binds when a pod uses it' {
        New-StorageClass -Name late -Provisioner hostpath.csi.k8s.io -VolumeBindingMode WaitForFirstConsumer | Out-Null
        $claim = New-CsiVolumeClaim -Name late-claim -Size 1Gi -StorageClass late -Wait -Timeout 30 -WarningAction SilentlyContinue
        $claim.Status | Should -Be 'Pending'
        $claim.Diagnosis.Cause | Should -Be 'WaitingForFirstConsumer'
        $claim.Diagnosis.Summary | Should -Match 'when the first pod that uses claim .late-claim. is scheduled to a node'
        ($claim.Diagnosis.Evidence | Where-Object Source -eq 'StorageClass').Reason | Should -Be 'VolumeBindingMode'
        ($claim | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Diagnosis.Affected[0].Name | Should -Be 'late-claim'
    }

    It 'NoDefaultStorageClass: a claim that names no class while the cluster has no default' {
        Set-StorageClass -Name standard -Default:$false -Confirm:$false
        try {
            $claim = New-CsiVolumeClaim -Name classless -Size 1Gi -Wait -Timeout 30 -WarningVariable warned -WarningAction SilentlyContinue
            $claim.StorageClass | Should -BeNullOrEmpty
            $claim.Diagnosis.Cause | Should -Be 'NoDefaultStorageClass'
            $claim.Diagnosis.Affected[0].State | Should -Be 'Pending'
            "$warned" | Should -Match 'has no default class'
        }
        finally {
            Set-StorageClass -Name standard -Default -Confirm:$false
        }
    }

    It 'ProvisioningFailed: times out with the provisioner''s ProvisioningFailed event as evidence' {
        New-CsiDriverObject -Name failing.csi.example.com -Annotation @{ 'emulator.clustermanagement.io/create-volume-error' = 'rpc error: code = ResourceExhausted desc = pool exhausted' }
        New-StorageClass -Name failing -Provisioner failing.csi.example.com | Out-Null
        $failure = { New-CsiVolumeClaim -Name doomed -Size 1Gi -StorageClass failing -Wait -Timeout 3 -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'CsiVolumeClaimWaitTimeout*'
        $diagnosis = $failure.Exception.Diagnosis
        $diagnosis.Cause | Should -Be 'ProvisioningFailed'
        $failed = @($diagnosis.Evidence | Where-Object Reason -eq 'ProvisioningFailed')
        $failed[-1].Source | Should -Be 'Event'
        $failed[-1].Message | Should -Be 'failed to provision volume with StorageClass "failing": rpc error: code = ResourceExhausted desc = pool exhausted'
        $failure.Exception.Message | Should -Match '(?m)^Cause: Provisioner .failing\.csi\.example\.com. failed'
    }
}

Describe 'Resize-CsiVolumeClaim -Wait: a resize that does not finish' {
    It 'ResizeIncomplete: a driver that runs no resizer leaves only ExternalExpanding' {
        New-CsiDriverObject -Name fixed.csi.example.com -Annotation @{ 'emulator.clustermanagement.io/controller-expansion' = 'false' }
        New-StorageClass -Name fixed -Provisioner fixed.csi.example.com -AllowVolumeExpansion | Out-Null
        New-CsiVolumeClaim -Name fixed-data -Size 1Gi -StorageClass fixed -Wait -Timeout 30 | Out-Null
        $failure = { Resize-CsiVolumeClaim -Name fixed-data -Size 2Gi -Wait -Timeout 3 -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'CsiVolumeClaimWaitTimeout*'
        $diagnosis = $failure.Exception.Diagnosis
        $diagnosis.Cause | Should -Be 'ResizeIncomplete'
        $diagnosis.Summary | Should -Match "no resizer of driver 'fixed\.csi\.example\.com' acted on it"
        ($diagnosis.Evidence | Where-Object Reason -eq 'ExternalExpanding').Message | Should -Be 'waiting for an external controller to expand this PVC'
        $diagnosis.Affected[0].State | Should -Be '1Gi of 2Gi'
    }

    It 'ResizeIncomplete: the resizer''s VolumeResizeFailed event and the Resizing condition' {
        New-CsiDriverObject -Name brittle.csi.example.com -Annotation @{ 'emulator.clustermanagement.io/expand-volume-error' = 'rpc error: code = OutOfRange desc = quota exceeded' }
        New-StorageClass -Name brittle -Provisioner brittle.csi.example.com -AllowVolumeExpansion | Out-Null
        New-CsiVolumeClaim -Name brittle-data -Size 1Gi -StorageClass brittle -Wait -Timeout 30 | Out-Null
        $failure = { Resize-CsiVolumeClaim -Name brittle-data -Size 2Gi -Wait -Timeout 3 -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $diagnosis = $failure.Exception.Diagnosis
        $diagnosis.Cause | Should -Be 'ResizeIncomplete'
        ($diagnosis.Evidence | Where-Object Source -eq 'Condition').Reason | Should -Be 'Resizing'
        ($diagnosis.Evidence | Where-Object Source -eq 'Event').Reason | Should -Not -Contain 'ProvisioningSucceeded'
        @($diagnosis.Evidence | Where-Object Reason -eq 'VolumeResizeFailed')[-1].Message | Should -Match '^resize volume "pvc-[0-9a-f-]+" by resizer "brittle\.csi\.example\.com" failed: rpc error: code = OutOfRange desc = quota exceeded$'
    }
}
