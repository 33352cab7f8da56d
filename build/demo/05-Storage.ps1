param($Demo)

Import-Module (Join-Path $PSScriptRoot '../../tests/DateraManifests.psm1') -Force
$manifests = New-DateraManifestSet -Path (Join-Path ([IO.Path]::GetTempPath()) "cm-demo-datera-$PID")

Show-Step 'The CSI driver the sandbox starts with' { Get-CsiDriver }
Show-Step 'And its default storage class' { Get-StorageClass }
Show-Step "The plan for Datera's CSI release, without changing anything (-WhatIf)" { Publish-ClusterManifest -Path $manifests -WhatIf }
Show-Step 'Install the driver: server-side apply in dependency order, then wait for it and its workloads' { Install-CsiDriver -Path $manifests -Timeout 60 }
Show-Step 'Applying the same manifests again changes nothing' { Publish-ClusterManifest -Path $manifests }
Show-Step 'The csi-datera class: Retain for disaster recovery, expandable, with its parameters' { Get-StorageClass -Name csi-datera | Format-List Name, Provisioner, ReclaimPolicy, AllowVolumeExpansion, Parameters }
Show-Step 'Parameters are immutable: the module says so before sending anything' {
    Set-StorageClass -Name csi-datera -Parameter @{ replica_count = '2' } -ErrorAction Continue 2>&1 | ForEach-Object { "ERROR: $_" }
}
Show-Step 'Claim mypvc: 1Gi, ReadWriteOnce, class csi-datera, waiting until it is bound' { New-CsiVolumeClaim -Name mypvc -Size 1Gi -AccessMode ReadWriteOnce -StorageClass csi-datera -Wait }
Show-Step 'Its volume, provisioned by the Datera driver: a claim piped to Get-CsiVolume means its volume' { Get-CsiVolumeClaim -Name mypvc | Get-CsiVolume | Format-List Name, Capacity, ReclaimPolicy, Status, Claim, Driver, FsType, Attributes }
Show-Step 'Sizes must be Kubernetes quantities' { try { New-CsiVolumeClaim -Name wrong -Size 1GB } catch { "ERROR: $($_.Exception.Message)" } }
Show-Step 'Grow the claim and follow the resize conditions' { Resize-CsiVolumeClaim -Name mypvc -Size 2Gi -Wait -WarningAction Continue }
Show-Step 'A class without a registered driver: the claim stays Pending, and -Wait says why' {
    New-StorageClass -Name orphaned -Provisioner absent.csi.example.com | Out-Null
    New-CsiVolumeClaim -Name stuck -Size 1Gi -StorageClass orphaned -Wait -WarningAction Continue
}
Show-Step 'Remove the claim: the volume is retained (reclaim policy Retain) and stays Released' {
    Remove-CsiVolumeClaim -Name mypvc -Force -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Claim*' }
    Get-CsiVolume -Status Released
}
Show-Step 'Protect a volume of a Delete class before removing its claim: the claim pipes into Set-CsiVolume' {
    New-CsiVolumeClaim -Name scratch -Size 500Mi -Wait | Out-Null
    Get-CsiVolumeClaim scratch | Set-CsiVolume -ReclaimPolicy Retain -PassThru
}
Show-Step 'Every claim in the cluster' { Get-CsiVolumeClaim -AllNamespaces }
Remove-Item $manifests -Recurse -Force
