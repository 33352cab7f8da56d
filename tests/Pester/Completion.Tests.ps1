# Tab completion audit: every parameter that names a cluster object completes from the live cluster,
# and quietly completes nothing when the cluster cannot be reached (how fast is a benchmark's business). One row per parameter:
# a new completer (node services, engine networks ...) is covered by adding its row.
BeforeDiscovery {
    # Line: what the user typed before pressing Tab. Expected: names that must be offered, or a script
    # block run against the cluster that yields them. Local: the completer reads only the kubeconfig,
    # so it still completes when the cluster is unreachable.
    $rows = @(
        @{ Line = 'Get-ClusterNode -Name w'; Expected = 'worker-1', 'worker-2', 'worker-3' }
        @{ Line = 'Get-ClusterNode -Role c'; Expected = 'control-plane' }
        @{ Line = 'New-ClusterNode -Role '; Expected = 'control-plane' }
        @{ Line = 'Suspend-ClusterNode -Name worker-'; Expected = 'worker-1', 'worker-2', 'worker-3' }
        @{ Line = 'Resume-ClusterNode -Name c'; Expected = 'cp-1' }
        @{ Line = 'Get-NodePod -Node '; Expected = 'cp-1', 'worker-1', 'worker-2', 'worker-3' }
        @{ Line = 'Get-NodePod -Namespace kube-'; Expected = 'kube-node-lease', 'kube-public', 'kube-system' }
        @{ Line = 'Get-ClusterApp -Name w'; Expected = 'web' }
        @{ Line = 'Get-ClusterApp -Namespace t'; Expected = 'team-a' }
        @{ Line = 'Publish-AppVersion -Name '; Expected = 'web' }
        @{ Line = 'Publish-AppVersion -Name web -Container '; Expected = 'web' }
        @{ Line = 'Publish-AppVersion -Namespace d'; Expected = 'default' }
        @{ Line = 'Wait-AppRollout -Name w'; Expected = 'web' }
        @{ Line = 'Restart-App -Name w'; Expected = 'web' }
        @{ Line = 'Set-AppReplicaCount -Name w'; Expected = 'web' }
        @{ Line = 'Suspend-AppRollout -Name w'; Expected = 'web' }
        @{ Line = 'Resume-AppRollout -Name w'; Expected = 'web' }
        @{ Line = 'Get-AppRevision -Name '; Expected = 'web' }
        @{ Line = 'Get-AppRevision -Name web -Revision '; Expected = { (Get-AppRevision web).Revision } }
        @{ Line = 'Invoke-AppRollback -Name '; Expected = 'web' }
        @{ Line = 'Invoke-AppRollback -Name web -ToRevision '; Expected = { (Get-AppRevision web).Revision } }
        @{ Line = 'Get-StorageClass -Name s'; Expected = 'standard' }
        @{ Line = 'Set-StorageClass -Name s'; Expected = 'standard' }
        @{ Line = 'Remove-StorageClass -Name s'; Expected = 'standard' }
        @{ Line = 'New-CsiVolumeClaim -StorageClass '; Expected = 'standard' }
        @{ Line = 'New-StorageClass -Provisioner h'; Expected = 'hostpath.csi.k8s.io' }
        @{ Line = 'Get-CsiDriver -Name h'; Expected = 'hostpath.csi.k8s.io' }
        @{ Line = 'Get-CsiVolumeClaim -Name completion-'; Expected = 'completion-data' }
        @{ Line = 'Resize-CsiVolumeClaim -Name completion-'; Expected = 'completion-data' }
        @{ Line = 'Remove-CsiVolumeClaim -Name completion-'; Expected = 'completion-data' }
        @{ Line = 'Get-CsiVolumeClaim -Namespace team-a -Name '; Expected = 'completion-team' }
        @{ Line = 'Get-CsiVolume -Name '; Expected = { (Get-CsiVolume).Name } }
        @{ Line = 'Set-CsiVolume -Name '; Expected = { (Get-CsiVolume).Name } }
        @{ Line = 'Publish-ClusterManifest -Namespace team'; Expected = 'team-a' }
        # The reasons of the events in scope: the release of web in BeforeAll scaled its ReplicaSets.
        @{ Line = 'Get-ClusterEvent -Reason Scal'; Expected = 'ScalingReplicaSet' }
        @{ Line = 'Get-ClusterEvent -AllNamespaces -Reason Scal'; Expected = 'ScalingReplicaSet' }
        @{ Line = 'Use-ClusterContext -Name sandbox -Namespace t'; Expected = 'team-a' }
        @{ Line = 'Use-ClusterContext -Name sandbox-'; Expected = 'sandbox-token', 'sandbox-readonly', 'sandbox-badtoken'; Local = $true }
        @{ Line = 'Get-ClusterContext -Name sandbox'; Expected = 'sandbox', 'sandbox-token'; Local = $true }
        @{ Line = 'Get-ClusterNode -Context sandbox-t'; Expected = 'sandbox-token'; Local = $true }
        # The systemd units a node runs are offered without contacting a host while typing.
        @{ Line = 'Restart-NodeService -Name kube'; Expected = 'kubelet'; Local = $true }
    )

    # Completers whose names live on a node host, not in the API: their TabExpansion2 test runs on the
    # fleet, in the file named here, with the line shown.
    $fleetRows = @(
        @{ Line = 'Get-NodeNetwork -Node worker-1 -Name nn-'; File = 'NodeNetwork.Tests.ps1'; Completer = 'EngineNetworkNameCompleter' }
    )

    # Parameters whose values are new names or come from elsewhere than the cluster, so nothing completes them.
    $notClusterObjects = @(
        'New-CsiVolumeClaim -Name', 'New-StorageClass -Name', 'Install-CsiDriver -Name', 'New-ClusterNode -Name', 'New-NodeNetwork -Name',
        # A Docker network driver (bridge, macvlan ...): a plugin of the engine, not something the cluster holds.
        'New-NodeNetwork -Driver'
    )

    # The audit's rule: a parameter names a cluster object when its name or one of its aliases is one of
    # these words. A new cmdlet with such a parameter fails the coverage test until it has a completer
    # and a row above (or an exemption with its reason).
    $clusterObjectWords = @(
        'Name', 'Node', 'NodeName', 'Namespace', 'Context', 'Role', 'App', 'Container', 'Revision', 'ToRevision',
        'StorageClass', 'Provisioner', 'Driver', 'Claim', 'ClaimName', 'Volume', 'VolumeName', 'Network', 'Service', 'ServiceName', 'Unit'
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3 -ExtraArgument '--sample-app'
    $env:KUBECONFIG = $cluster.KubeConfig
    $null = New-CsiVolumeClaim -Name completion-data -Size 1Gi -Wait -Timeout 60
    $null = New-CsiVolumeClaim -Name completion-team -Namespace team-a -Size 1Gi -Wait -Timeout 60
    $null = Publish-AppVersion web -Image nginx:1.28 -Wait -Force

    # Unreachable in both ways a prompt meets: nothing listening (refused at once), and a listener
    # that never answers (only the completer's own time budget ends the wait).
    $refusedPort = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $refusedPort.Start(); $closed = $refusedPort.LocalEndpoint.Port; $refusedPort.Stop()
    $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $silent.Start()
    $kubeconfigText = Get-Content $cluster.KubeConfig -Raw
    $refusedConfig = Join-Path $TestDrive 'refused.kubeconfig'
    $silentConfig = Join-Path $TestDrive 'silent.kubeconfig'
    Set-Content $refusedConfig ($kubeconfigText -replace 'https://127\.0\.0\.1:\d+', "https://127.0.0.1:$closed")
    Set-Content $silentConfig ($kubeconfigText -replace 'https://127\.0\.0\.1:\d+', "https://127.0.0.1:$($silent.LocalEndpoint.Port)")

    function Get-Completion {
        <# TabExpansion2 as the console runs it, in an empty folder so no file name can stand in for a result. #>
        param([string] $Line)
        Push-Location $TestDrive
        try {
            $errorsBefore = $Error.Count
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
            [pscustomobject]@{
                Names        = @($result.CompletionMatches | Where-Object ResultType -eq 'ParameterValue' | ForEach-Object { $_.CompletionText.Trim("'") })
                Milliseconds = $watch.ElapsedMilliseconds
                NewErrors    = $Error.Count - $errorsBefore
            }
        }
        finally { Pop-Location }
    }

    function Add-KubeConfigArgument {
        <# The same line, with -KubeConfig before the parameter being completed. #>
        param([string] $Line, [string] $Path)
        $verb, $rest = $Line -split ' ', 2
        "$verb -KubeConfig '$Path' $rest"
    }
}

AfterAll {
    $silent.Stop()
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Completion of <Line>' -ForEach $rows {
    BeforeAll {
        $wanted = if ($Expected -is [scriptblock]) { @(& $Expected | ForEach-Object { "$_" }) } else { @($Expected) }
    }

    It 'offers the live names' {
        $wanted.Count | Should -BeGreaterThan 0
        $completion = Get-Completion $Line
        $completion.NewErrors | Should -Be 0
        foreach ($name in $wanted) { $completion.Names | Should -Contain $name }
        $prefix = ($Line -split ' ')[-1]
        $completion.Names | Where-Object { $_ -notlike "$prefix*" } | Should -BeNullOrEmpty
    }

}

Describe 'Completion of <Line> with the cluster unreachable' -ForEach ($rows | Where-Object { -not $_.Local }) {
    It 'completes nothing, without an error, when the cluster refuses connections' {
        $completion = Get-Completion (Add-KubeConfigArgument $Line $refusedConfig)
        $completion.Names | Should -BeNullOrEmpty
        $completion.NewErrors | Should -Be 0
    }

    It 'gives up within its time budget when the cluster never answers' {
        $completion = Get-Completion (Add-KubeConfigArgument $Line $silentConfig)
        $completion.Names | Should -BeNullOrEmpty
        $completion.NewErrors | Should -Be 0
        # The completer's 2 s budget ends the wait; without it the prompt would hang for the HTTP
        # client's 100 s. The bound is generous so a loaded machine does not fail it.
        $completion.Milliseconds | Should -BeLessThan 15000
    }
}

Describe 'Completion of <Line> from the kubeconfig alone' -ForEach ($rows | Where-Object { $_.Local }) {
    It 'still completes when the cluster is unreachable' {
        $completion = Get-Completion (Add-KubeConfigArgument $Line $refusedConfig)
        $completion.NewErrors | Should -Be 0
        foreach ($name in @($Expected)) { $completion.Names | Should -Contain $name }
    }
}

Describe 'The first Tab of a fresh session' {
    It 'completes node names although it also loads the client' {
        # TabExpansion2 is the session's first command and the module loads on demand, as at a prompt:
        # the completer pays for loading the client and must still answer within its budget.
        $line = 'Get-ClusterNode -Name worker-'
        $environment = @{ KUBECONFIG = $cluster.KubeConfig; PSModulePath = (Split-Path (Get-ModuleUnderTest)) + [IO.Path]::PathSeparator + $env:PSModulePath }
        $run = Invoke-FreshPwsh -Script "(TabExpansion2 -inputScript '$line' -cursorColumn $($line.Length)).CompletionMatches.CompletionText" -Environment $environment
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Error | Should -BeNullOrEmpty
        @($run.Output -split '\r?\n' | Where-Object { $_ }) | Should -Be @('worker-1', 'worker-2', 'worker-3')
    }
}

Describe 'Use-ClusterContext -Namespace' {
    It 'completes from the context -Name chooses, not the current one' {
        # sandbox-badtoken's credentials are refused: its namespaces cannot be listed, the current context's can.
        (Get-Completion 'Use-ClusterContext -Name sandbox-badtoken -Namespace ').Names | Should -BeNullOrEmpty
        (Get-Completion 'Use-ClusterContext -Name sandbox-token -Namespace ').Names | Should -Contain 'team-a'
    }
}

Describe 'Completion of <Line> on the fleet' -ForEach $fleetRows {
    It 'is driven through TabExpansion2 in <File>' {
        $text = Get-Content (Join-Path $PSScriptRoot $File) -Raw
        $text | Should -Match 'TabExpansion2'
        $text | Should -Match ([regex]::Escape(($Line -split ' ')[0]) + '[^\n]*-Name ')
    }
}

Describe 'Completion coverage' -ForEach @(@{ Rows = $rows + $fleetRows; Exempt = $notClusterObjects; Words = $clusterObjectWords }) {
    It 'has a completer on every parameter that names a cluster object, and a row for each completer' {
        # Shared parameters (-Context, -Namespace) carry the same completer everywhere: one row covers them.
        $covered = @($Rows | ForEach-Object {
                $words = $_.Line -split ' '
                $parameter = (Get-Command $words[0]).Parameters[$words[-2].TrimStart('-')]
                "$($parameter.Name)/$(($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }).Type)"
            })
        $missing = foreach ($command in Get-Command -Module ClusterManagement) {
            foreach ($parameter in $command.Parameters.Values) {
                $key = "$($command.Name) -$($parameter.Name)"
                $completer = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }
                $namesObject = @(@($parameter.Name) + $parameter.Aliases | Where-Object { $_ -in $Words }).Count -gt 0
                if ($namesObject -and -not $completer -and $key -notin $Exempt) { "$key has no completer" }
                if ($completer -and "$($parameter.Name)/$($completer.Type)" -notin $covered) { "$key ($($completer.Type.Name)) has no row in this file" }
            }
        }
        $missing | Should -BeNullOrEmpty
    }

    It 'counts -Role among the parameters that name cluster objects, so the rule above is not empty' {
        'Role' | Should -BeIn $Words
        (Get-Command Get-ClusterNode).Parameters['Role'].Attributes.Where({ $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }).Type.Name | Should -Be 'NodeRoleCompleter'
    }
}
