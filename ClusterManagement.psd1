@{
    # The one place the version is set: Directory.Build.props reads it for the assemblies.
    ModuleVersion        = '0.1.0'
    RootModule           = 'ClusterManagement.dll'
    # Imported before the root module: it routes the engine into the module's own load context.
    NestedModules        = @('ClusterManagement.Loader.dll')
    GUID                 = 'c3e5c54f-56e6-44ac-b246-875c2ff93bce'
    Author               = 'ClusterManagement contributors'
    CompanyName          = 'ClusterManagement'
    Copyright            = '(c) ClusterManagement contributors. MIT License.'
    Description          = 'Manage Kubernetes clusters and their Docker hosts from PowerShell: nodes (list, add with a pinned Docker Engine, remove, cordon, drain, upgrade engines, services, backups), CSI storage, node networks and routes, and application rollouts with history and rollback. Typed objects that pipe into each other.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @(
        'Formats/Connection.Format.ps1xml'
        'Formats/Nodes.Format.ps1xml'
        'Formats/Storage.Format.ps1xml'
        'Formats/Network.Format.ps1xml'
        'Formats/Apps.Format.ps1xml'
        'Formats/Events.Format.ps1xml'
        'Formats/NodeHosts.Format.ps1xml'
        'Formats/Fleets.Format.ps1xml'
        'Formats/Diagnostics.Format.ps1xml'
    )
    CmdletsToExport      = @(
        'Get-ClusterContext'
        'Use-ClusterContext'
        'Get-ClusterNode'
        'Publish-ClusterManifest'
        'Install-CsiDriver'
        'Get-CsiDriver'
        'New-StorageClass'
        'Get-StorageClass'
        'Set-StorageClass'
        'Remove-StorageClass'
        'New-CsiVolumeClaim'
        'Get-CsiVolumeClaim'
        'Resize-CsiVolumeClaim'
        'Remove-CsiVolumeClaim'
        'Get-CsiVolume'
        'Set-CsiVolume'
        'Suspend-ClusterNode'
        'Resume-ClusterNode'
        'Get-NodePod'
        'Get-ClusterNetwork'
        'Get-NodeNetwork'
        'New-NodeNetwork'
        'Remove-NodeNetwork'
        'Get-NodeRoute'
        'Add-NodeRoute'
        'Remove-NodeRoute'
        'Get-ClusterApp'
        'Get-ClusterEvent'
        'Publish-AppVersion'
        'Get-AppRevision'
        'Invoke-AppRollback'
        'Set-AppReplicaCount'
        'Wait-AppRollout'
        'Suspend-AppRollout'
        'Resume-AppRollout'
        'Restart-App'
        'New-ClusterNode'
        'Get-NodeDocker'
        'Get-NodeService'
        'Start-NodeService'
        'Stop-NodeService'
        'Restart-NodeService'
        'Backup-ClusterNode'
        'Remove-ClusterNode'
        'Update-NodeDocker'
        'Get-ClusterUpgradePlan'
        'Update-ClusterNode'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Kubernetes', 'Docker', 'Cluster', 'Nodes', 'CSI', 'Storage', 'Rollout', 'kubectl', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/clustermanagement/ClusterManagement'
            LicenseUri   = 'https://github.com/clustermanagement/ClusterManagement/blob/main/LICENSE'
            ReleaseNotes = 'See README.md.'
        }
    }
}
