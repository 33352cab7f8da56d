param($Demo)

Show-Step 'What runs on a node, and what a drain looks at' { Get-NodePod -Node worker-1 }
Show-Step 'A pod piped to the node cmdlets means its node' { Get-NodePod -Node worker-1 | Where-Object ControllerKind -eq DaemonSet | Get-ClusterNode }
Show-Step 'A drain kubectl would refuse is refused before anything changes' {
    Suspend-ClusterNode -Name worker-1 -Drain -ErrorAction Continue 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "ERROR [$($_.CategoryInfo.Category)] $($_.FullyQualifiedErrorId): $_" } else { $_ } }
}
Show-Step 'The plan: exactly what would be evicted and what left running' { Suspend-ClusterNode -Name worker-1 -Drain -IgnoreDaemonSets -WhatIf }
Show-Step 'Drain it: cordon, evict through the Eviction API, wait until the pods are gone (each eviction as kubectl prints it)' {
    Suspend-ClusterNode -Name worker-1 -Drain -IgnoreDaemonSets -GracePeriod 1 -PassThru -Verbose 4>&1 |
        ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -match '^(evicting pod |pod/)') { "VERBOSE: $($_.Message)" } } else { $_ } }
}
Show-Step 'Cordoning again writes nothing' { Suspend-ClusterNode -Name worker-1 -Verbose 4>&1 | Select-Object -Last 1 }
Show-Step 'Back in service' { Resume-ClusterNode -Name worker-1 -PassThru }
