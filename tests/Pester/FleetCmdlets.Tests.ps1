# Fleets of clusters (issue 19), the cmdlets beyond the first ones Fleets.Tests covers: app revisions and
# changes, storage changes, pods, the cluster network, manifests and the node-host cmdlets (whose emulated nodes have no host access data) across several contexts. Two emulators
# (east, west) merged into one kubeconfig, plus a context on a port nobody listens on (dead).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force

    $script:clusters = [ordered]@{}
    foreach ($name in 'east', 'west') {
        $script:clusters[$name] = Start-SuiteCluster -Workers 1 -ExtraArgument '--sample-app'
    }
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $deadPort = $probe.LocalEndpoint.Port; $probe.Stop()

    $files = foreach ($name in $script:clusters.Keys) {
        $path = Join-Path $TestDrive "$name.kubeconfig"
        Set-Content -Path $path -Value (Get-NamedKubeConfig -Cluster $script:clusters[$name] -Prefix $name)
        $path
    }
    $deadFile = Join-Path $TestDrive 'dead.kubeconfig'
    Set-Content -Path $deadFile -Value (Get-UnreachableKubeConfig -Name 'dead' -Port $deadPort)
    $env:KUBECONFIG = (@($files) + $deadFile) -join [IO.Path]::PathSeparator

    # The node-host cmdlets: a credential and -AcceptNewHostKey, so that only the missing host access data of
    # the emulated nodes can stop a command; every node-host cmdlet refuses such a node before any SSH connection.
    $key = Join-Path $TestDrive 'id_ed25519'
    Set-Content -Path $key -Value 'not used'
    $script:access = @{ SshUser = 'cmadmin'; SshKeyPath = $key; KnownHostsPath = (Join-Path $TestDrive 'known_hosts'); AcceptNewHostKey = $true }
    $script:accessText = "-SshUser cmadmin -SshKeyPath '$key' -KnownHostsPath '$(Join-Path $TestDrive 'known_hosts')' -AcceptNewHostKey"

    function Get-ContextFailure {
        <# The error records of a node-host command as "<context> <error id>", sorted: the contexts answer in any order. #>
        param([Parameter(Mandatory)] [scriptblock] $Run)
        $ErrorActionPreference = 'Continue'
        $stream = @(& $Run 2>&1)
        $stream | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object {
            if ($_.ToString() -notmatch "^Context '(\w+)':") { throw "An error names no context: $_" }
            "$($Matches[1]) $($_.FullyQualifiedErrorId -replace ',.*$')"
        } | Sort-Object
    }

    function Invoke-AnsweredPwsh {
        <# A fresh pwsh that can prompt, its prompts answered in order by the lines of $Answer. #>
        param([Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string[]] $Answer)
        $start = [System.Diagnostics.ProcessStartInfo]::new((Get-PwshPath))
        foreach ($argument in '-NoLogo', '-NoProfile', '-Command', "Import-Module '$(Get-ModuleUnderTest)'; $Script") { $start.ArgumentList.Add($argument) }
        $start.Environment['KUBECONFIG'] = $env:KUBECONFIG
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.RedirectStandardInput = $true
        $process = [System.Diagnostics.Process]::Start($start)
        foreach ($line in $Answer) { $process.StandardInput.WriteLine($line) }
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(120000)) {
            $process.Kill($true)
            throw "pwsh did not finish within 120 s: $Script"
        }
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
    }
}

AfterAll {
    Use-ClusterContext -Reset
    $script:clusters.Values | Stop-TestCluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Apps across contexts' {
    It 'reads the revisions of an app in every named context, with a Context column' {
        $revisions = Get-AppRevision -Context east, west -Namespace default -Name web
        $revisions.Context | Sort-Object -Unique | Should -Be 'east', 'west'
        @($revisions | Where-Object IsCurrent).Count | Should -Be 2 -Because 'each cluster has its own current revision'
        ($revisions | Out-String -Width 160) | Should -Match '(?m)^Context\s+Revision\b'
        (Get-AppRevision -Context east -Namespace default -Name web | Out-String -Width 160) | Should -Not -Match '\bContext\b'
    }

    It 'sends a piped app back to its own context for its revisions and its scale, whatever the session default' {
        Use-ClusterContext east
        try {
            $fromWest = Get-ClusterApp -Context west -Namespace default -Name web
            (Get-ClusterApp -Context west -Namespace default -Name web | Get-AppRevision).Context | Sort-Object -Unique | Should -Be 'west'
            $fromWest | Set-AppReplicaCount -Replicas 4 -Force
            (Get-ClusterApp -Context west -Namespace default -Name web).Replicas | Should -Be 4
            (Get-ClusterApp -Namespace default -Name web).Replicas | Should -Not -Be 4 -Because 'the session context (east) was not named'
        } finally {
            Use-ClusterContext -Reset
            Set-AppReplicaCount -Context west -Namespace default -Name web -Replicas $fromWest.Replicas -Force
        }
    }

    It 'lists every cluster with -WhatIf and changes none' {
        # Sorted: the contexts' answers arrive in any order.
        $before = Get-ClusterApp -Context east, west -Namespace default -Name web | ForEach-Object { "$($_.Context) $($_.Replicas)" } | Sort-Object
        $run = Invoke-FreshPwsh -Script "Import-Module '$(Get-ModuleUnderTest)'; Set-AppReplicaCount -Context east, west -Namespace default -Name web -Replicas 5 -WhatIf" -Environment @{ KUBECONFIG = $env:KUBECONFIG }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        foreach ($name in 'east', 'west') {
            $run.Output | Should -Match "What if: .*app default/web in context '$name'"
        }
        Get-ClusterApp -Context east, west -Namespace default -Name web | ForEach-Object { "$($_.Context) $($_.Replicas)" } | Sort-Object | Should -Be $before
    }

    It 'asks once per cluster and changes only the clusters confirmed' {
        $before = (Get-ClusterApp -Context west -Namespace default -Name web).Replicas
        # One context at a time, so the prompts come in the order given: yes for east, no for west. The
        # console wraps the prompt's text, hence any white space between its words.
        $run = Invoke-AnsweredPwsh -Script 'Set-AppReplicaCount -Context east, west -Namespace default -Name web -Replicas 2 -ThrottleLimit 1 -Confirm' -Answer 'Y', 'N'
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $prompts = [regex]::Matches($run.Output, "app default/web\s+in\s+context\s+'(\w+)'") | ForEach-Object { $_.Groups[1].Value }
        $prompts | Should -Be 'east', 'west' -Because $run.Output
        (Get-ClusterApp -Context east -Namespace default -Name web).Replicas | Should -Be 2
        (Get-ClusterApp -Context west -Namespace default -Name web).Replicas | Should -Be $before
    }
}

Describe 'Storage across contexts' {
    AfterAll {
        Remove-CsiVolumeClaim -Context east, west -Namespace default -Name fleet-data -Force -ErrorAction Ignore
        Remove-StorageClass -Context east, west -Name fleet-class -Force -ErrorAction Ignore
    }

    It 'creates a class and a claim in every named context; the refused one is one error naming it' {
        $provisioner = (Get-StorageClass -Context east -Name standard).Provisioner
        $classes = New-StorageClass -Context east, west -Name fleet-class -Provisioner $provisioner -Force
        $classes.Context | Sort-Object | Should -Be 'east', 'west'

        $claims = New-CsiVolumeClaim -Context east, dead, west -Namespace default -Name fleet-data -Size 1Gi -StorageClass fleet-class -Force -RequestTimeout 10 -ErrorAction SilentlyContinue -ErrorVariable failures
        $claims.Context | Sort-Object | Should -Be 'east', 'west'
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -Be 'dead'
        $failures[0].ToString() | Should -BeLike "Context 'dead':*"
        (Get-CsiVolumeClaim -Context east, west -Namespace default -Name fleet-data).Context | Sort-Object | Should -Be 'east', 'west'
    }

    It 'sends a piped claim back to its own context' {
        Use-ClusterContext west
        try {
            Get-CsiVolumeClaim -Context east -Namespace default -Name fleet-data | Remove-CsiVolumeClaim -Force
            @(Get-CsiVolumeClaim -Context east -Namespace default -Name fleet-data -ErrorAction SilentlyContinue | Where-Object Status -ne 'Terminating') | Should -BeNullOrEmpty
            (Get-CsiVolumeClaim -Namespace default -Name fleet-data).Context | Should -Be 'west' -Because 'the session context (west) was not named'
        } finally { Use-ClusterContext -Reset }
    }
}

Describe 'Pods, network and manifests across contexts' {
    It 'reads the pods of a node in every named context, and a piped pod names its own cluster''s node' {
        $pods = Get-NodePod -Context east, west -Node worker-1
        $pods.Context | Sort-Object -Unique | Should -Be 'east', 'west'
        ($pods | Out-String -Width 160) | Should -Match '(?m)^Context\s+Namespace\b'
        Use-ClusterContext east
        try {
            $nodes = @(Get-NodePod -Context west -Node worker-1 | Get-ClusterNode)
            $nodes.Count | Should -Be 1 -Because 'the pods of one node name it once'
            $nodes[0].Context | Should -Be 'west'
        } finally { Use-ClusterContext -Reset }
    }

    It 'reads the cluster network of every named context' {
        $summaries = Get-ClusterNetwork -Context east, west -Summary
        $summaries.Context | Sort-Object | Should -Be 'east', 'west'
        (Get-ClusterNetwork -Context east, west).Context | Sort-Object -Unique | Should -Be 'east', 'west'
    }

    It 'applies a manifest in every named context, each applied object naming its context' {
        $manifest = Join-Path $TestDrive 'settings.yaml'
        Set-Content -Path $manifest -Value "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: fleet-settings`n  namespace: default`ndata:`n  mode: fleet`n"
        $applied = Publish-ClusterManifest -Context east, west -Path $manifest -Force
        ($applied | ForEach-Object { "$($_.Context) $($_.Action)" } | Sort-Object) | Should -Be 'east Created', 'west Created'
    }
}

Describe 'Drains across contexts' {
    AfterAll {
        Resume-ClusterNode -Context east, west -Name worker-1 -Force
    }

    It 'drains the node of each named context, each result naming its context, in a table with a Context column' {
        $results = Suspend-ClusterNode -Context east, west -Name worker-1 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -DeleteUnmanagedPods -GracePeriod 0 -Force -Timeout 60
        ($results | ForEach-Object { "$($_.Context) $($_.Node) $($_.Completed)" } | Sort-Object) | Should -Be 'east worker-1 True', 'west worker-1 True'
        ($results | Out-String -Width 160) | Should -Match '(?m)^Context\s+Node\b'
        (Get-ClusterNode -Context east, west -Name worker-1 | Where-Object Unschedulable).Context | Sort-Object | Should -Be 'east', 'west'
    }
}

Describe 'Node hosts across contexts' {
    It '<Command> reads the hosts of every named context: one NodeHostAccessMissing per cluster, the dead one unreachable' -ForEach @(
        @{ Command = 'Get-NodeDocker' }
        @{ Command = 'Get-NodeService' }
        @{ Command = 'Get-NodeNetwork' }
        @{ Command = 'Get-NodeRoute' }
        @{ Command = 'Get-ClusterUpgradePlan' }
    ) {
        $failures = Get-ContextFailure { & $Command -Context east, west, dead -Node worker-1 -RequestTimeout 10 @script:access }
        $failures | Should -Be 'dead ApiServerUnreachable', 'east NodeHostAccessMissing', 'west NodeHostAccessMissing'
    }

    It 'sends nodes piped from several contexts each to its own cluster''s hosts, whatever the session default' {
        Use-ClusterContext dead
        try {
            $failures = Get-ContextFailure { Get-ClusterNode -Context east, west -Name worker-1 | Get-NodeDocker @script:access }
            $failures | Should -Be 'east NodeHostAccessMissing', 'west NodeHostAccessMissing' -Because 'the dead session context was never asked'
            $alone = @(Get-ClusterNode -Context west -Name worker-1 | Get-NodeService @script:access -ErrorAction Continue 2>&1)
            $alone.Count | Should -Be 1
            $alone[0].FullyQualifiedErrorId | Should -BeLike 'NodeHostAccessMissing*' -Because 'the node went to west, not to the dead session context'
        } finally { Use-ClusterContext -Reset }
    }

    It 'runs on contexts piped from Get-ClusterContext, -ContextThrottleLimit at a time, -ThrottleLimit still counting nodes' {
        $failures = Get-ContextFailure { Get-ClusterContext -Name east, west | Get-NodeDocker -Node worker-1 -ContextThrottleLimit 1 -ThrottleLimit 2 @script:access }
        $failures | Should -Be 'east NodeHostAccessMissing', 'west NodeHostAccessMissing'
        (Get-Command Get-NodeDocker).Parameters['ThrottleLimit'].Attributes.Where({ $_ -is [ValidateRange] }).MaxRange | Should -Be 64
        $bad = @(& { try { Get-NodeService -Context east, west -Node worker-1 -Name 'bad/unit' @script:access -ErrorAction Continue } catch { $_ } } 2>&1)
        $bad.Count | Should -Be 1 -Because 'a bad unit name is refused once, before any cluster is asked'
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'ServiceNameInvalid*'
    }

    It '<_> checks -KubernetesVersion once, before any cluster is asked, then plans every cluster' -ForEach 'Get-ClusterUpgradePlan', 'Update-ClusterNode' {
        $command = $_
        $force = if ($command -eq 'Update-ClusterNode') { @{ Force = $true } } else { @{} }
        $bad = @(& { try { & $command -Context east, west, dead -Node worker-1 -KubernetesVersion '1.32; reboot' @force @script:access -ErrorAction Continue } catch { $_ } } 2>&1)
        $bad.Count | Should -Be 1 -Because 'a bad version is refused once, not once per context (the dead one included)'
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'KubernetesVersionInvalid*'
        $failures = Get-ContextFailure { & $command -Context east, west -Node worker-1 -KubernetesVersion 1.32 @force @script:access }
        $failures | Should -Be 'east NodeHostAccessMissing', 'west NodeHostAccessMissing'
    }
}

Describe 'Node-host changes across contexts' {
    It '<Command> changes the hosts of every named context: one NodeHostAccessMissing per cluster' -ForEach @(
        @{ Command = 'Start-NodeService'; With = @{ Name = 'kubelet' } }
        @{ Command = 'Stop-NodeService'; With = @{ Name = 'kubelet' } }
        @{ Command = 'Restart-NodeService'; With = @{ Name = 'kubelet' } }
        @{ Command = 'New-NodeNetwork'; With = @{ Name = 'fleet-net'; Subnet = '198.18.0.0/24' } }
        @{ Command = 'Remove-NodeNetwork'; With = @{ Name = 'fleet-net' } }
        @{ Command = 'Add-NodeRoute'; With = @{ Destination = '198.18.0.0/24'; Gateway = '127.0.0.1' } }
        @{ Command = 'Remove-NodeRoute'; With = @{ Destination = '198.18.0.0/24' } }
        @{ Command = 'Update-NodeDocker'; With = @{ Version = '20.10' } }
        @{ Command = 'Update-ClusterNode'; With = @{ KubernetesVersion = '1.32' } }
        # The drain flags let the drain plan pass, so that the host is what stops it: nothing is drained before.
        @{ Command = 'Remove-ClusterNode'; With = @{ DeleteEmptyDirData = $true; DeleteUnmanagedPods = $true } }
        @{ Command = 'Backup-ClusterNode'; With = @{ Destination = 'TestDrive:/fleet-backups' } }
    ) {
        $failures = Get-ContextFailure { & $Command -Context east, west -Node worker-1 @With -Force @script:access }
        $failures | Should -Be 'east NodeHostAccessMissing', 'west NodeHostAccessMissing'
    }

    It 'lists every cluster''s plan with -WhatIf and reaches no host (<Command>)' -ForEach @(
        @{ Command = 'Restart-NodeService -Name kubelet'; Target = 'kubelet on worker-1' }
        @{ Command = 'Remove-ClusterNode -DeleteEmptyDirData -DeleteUnmanagedPods'; Target = 'worker-1' }
        @{ Command = "Backup-ClusterNode -Destination 'TESTDRIVE/whatif-backups'"; Target = 'worker-1 -> \S+' }
    ) {
        $run = Invoke-FreshPwsh -Script "Import-Module '$(Get-ModuleUnderTest)'; $($Command.Replace('TESTDRIVE', $TestDrive)) -Context east, west -Node worker-1 -WhatIf $script:accessText" -Environment @{ KUBECONFIG = $env:KUBECONFIG }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        foreach ($name in 'east', 'west') {
            $run.Output | Should -Match "What if: .*$Target in context '$name'"
        }
        $run.Error | Should -Not -Match 'NodeHostAccessMissing' -Because 'no host is reached under -WhatIf'
        Join-Path $TestDrive 'whatif-backups' | Should -Not -Exist
    }

    It 'asks once per cluster and reaches only the hosts of the clusters confirmed' {
        # One context at a time, so the prompts come in the order given: yes for east, no for west.
        $run = Invoke-AnsweredPwsh -Script "Start-NodeService -Context east, west -Node worker-1 -Name kubelet -ContextThrottleLimit 1 -Confirm $script:accessText" -Answer 'Y', 'N'
        $prompts = [regex]::Matches($run.Output, "kubelet\s+on\s+worker-1\s+in\s+context\s+'(\w+)'") | ForEach-Object { $_.Groups[1].Value }
        $prompts | Should -Be 'east', 'west' -Because $run.Output
        "$($run.Output)$($run.Error)" | Should -Match "Context 'east':.*no host access data" -Because 'the confirmed cluster''s host was looked up'
        "$($run.Output)$($run.Error)" | Should -Not -Match "Context 'west':" -Because 'the declined cluster''s host was not'
    }

    It 'stops after the first failing context with -StopOnFirstFailure, starting no later one (<Command>)' -ForEach @(
        @{ Command = 'Restart-NodeService'; With = @{ Name = 'kubelet' } }
        @{ Command = 'Update-ClusterNode'; With = @{ KubernetesVersion = '1.32' } }
        @{ Command = 'Remove-ClusterNode'; With = @{ DeleteEmptyDirData = $true; DeleteUnmanagedPods = $true } }
        @{ Command = 'Backup-ClusterNode'; With = @{ Destination = 'TestDrive:/stopped-backups' } }
    ) {
        $stop = $null
        try {
            & $Command -Context east, west -Node worker-1 @With -Force -ContextThrottleLimit 1 -StopOnFirstFailure @script:access -ErrorAction SilentlyContinue -ErrorVariable failures
        } catch { $stop = $_ }
        $failures[0].ToString() | Should -BeLike "Context 'east':*no host access data*"
        $stop | Should -Not -BeNullOrEmpty -Because 'the stop ends the command'
        $stop.ToString() | Should -Match 'failed: east; not started: west'
    }

    # Of the node-host changes only Update-NodeDocker writes a result for a host it never reached (Failed, batch 0):
    # the others' results, and so their Context, are checked on real hosts (NodeNetwork.Tests.ps1).
    It 'names the context of every engine upgrade result, a host SSH cannot reach included' {
        # Where earlier versions recorded a node's host: a loopback port nobody listens on refuses SSH at once.
        $node = @{ apiVersion = 'v1'; kind = 'Node'; metadata = @{ name = 'no-host'; annotations = @{
                    'clustermanagement.io/ssh-host' = '127.0.0.1'; 'clustermanagement.io/ssh-port' = "$deadPort"; 'clustermanagement.io/ssh-user' = 'cmadmin' } } }
        $file = Join-Path $TestDrive 'no-host.json'
        $node | ConvertTo-Json -Depth 5 | Set-Content $file
        $password = [pscredential]::new('cmadmin', (ConvertTo-SecureString 'never sent' -AsPlainText -Force))
        try {
            foreach ($name in 'east', 'west') { Invoke-KubectlJson -KubeConfig $script:clusters[$name].KubeConfig -Arguments 'create', '-f', $file | Out-Null }
            $results = @(Update-NodeDocker -Context east, west -Node no-host -Version 20.10 -Force -Credential $password -KnownHostsPath (Join-Path $TestDrive 'known_hosts') `
                    -ErrorAction SilentlyContinue -ErrorVariable failures | Sort-Object Context)
            @($failures | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*$' }) | Should -Be 'NodeUnreachable', 'NodeUnreachable' -Because 'SSH was refused in both clusters'
            $results | ForEach-Object { "$($_.Context) $($_.Cluster) $($_.Node) $($_.Batch) $($_.Status)" } | Should -Be 'east east no-host 0 Failed', 'west west no-host 0 Failed'
            ($results | Out-String -Width 160) | Should -Match '(?m)^Context\s+Node\s+Batch\b'
        } finally {
            foreach ($name in 'east', 'west') { Invoke-KubectlJson -KubeConfig $script:clusters[$name].KubeConfig -Arguments 'delete', 'node', 'no-host', '--ignore-not-found' | Out-Null }
        }
    }
}
