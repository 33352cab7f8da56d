# Fleets of clusters (issue 19): one command across several kubeconfig contexts. Three emulators of
# different sizes, merged with kubectl's rules from one file each, plus contexts that fail in their own
# ways: a port nobody listens on (refused), a rejected token (401) and a server that accepts the
# connection and never answers until the test lets it go (to prove by order that a dead cluster holds
# back no other cluster's results).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force

    $script:clusters = [ordered]@{}
    foreach ($entry in @(@{ Name = 'east'; Workers = 1 }, @{ Name = 'west'; Workers = 2 }, @{ Name = 'north'; Workers = 3 })) {
        $script:clusters[$entry.Name] = Start-SuiteCluster -Workers $entry.Workers -ExtraArgument '--sample-app'
    }

    # A port that refuses: bound, then released, so nothing listens on it.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $deadPort = $probe.LocalEndpoint.Port; $probe.Stop()
    # A server that never answers: the kernel completes the handshake into the backlog, nothing reads it.
    $script:silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $script:silent.Start()

    $files = foreach ($name in $script:clusters.Keys) {
        $path = Join-Path $TestDrive "$name.kubeconfig"
        Set-Content -Path $path -Value (Get-NamedKubeConfig -Cluster $script:clusters[$name] -Prefix $name)
        $path
    }
    $deadFile = Join-Path $TestDrive 'dead.kubeconfig'
    Set-Content -Path $deadFile -Value (Get-UnreachableKubeConfig -Name 'dead' -Port $deadPort)
    $silentFile = Join-Path $TestDrive 'silent.kubeconfig'
    Set-Content -Path $silentFile -Value (Get-UnreachableKubeConfig -Name 'silent' -Port $script:silent.LocalEndpoint.Port)
    $env:KUBECONFIG = (@($files) + $deadFile + $silentFile) -join [IO.Path]::PathSeparator

    # Nodes per cluster: its workers and one control plane.
    $script:nodeCount = @{ east = 2; west = 3; north = 4 }
}

AfterAll {
    Use-ClusterContext -Reset
    $script:silent.Stop()
    $script:clusters.Values | Stop-TestCluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Reading across contexts' {
    It 'reads the nodes of every named context, each node naming its context and cluster' {
        $nodes = Get-ClusterNode -Context east, west, north
        foreach ($name in 'east', 'west', 'north') {
            $own = @($nodes | Where-Object Context -eq $name)
            $own.Count | Should -Be $script:nodeCount[$name] -Because "context $name has $($script:nodeCount[$name]) nodes"
            $own.Cluster | Sort-Object -Unique | Should -Be $name
        }
        $nodes.Count | Should -Be 9
    }

    It 'resolves wildcards against the merged kubeconfig and takes contexts piped from Get-ClusterContext' {
        $byWildcard = Get-ClusterNode -Context 'e?st', 'w*st' -Name worker-1
        $byWildcard.Context | Sort-Object | Should -Be 'east', 'west'
        $piped = Get-ClusterContext -Name east, north | Get-ClusterNode -Name worker-1
        $piped.Context | Sort-Object | Should -Be 'east', 'north'
        $piped.Name | Sort-Object -Unique | Should -Be 'worker-1' -Because "the context's own Name must not be taken for a node name"
    }

    It 'behaves as before without -Context: the session context, no Context column' {
        Use-ClusterContext west
        try {
            $nodes = Get-ClusterNode
            $nodes.Count | Should -Be $script:nodeCount.west
            $nodes.Context | Sort-Object -Unique | Should -Be 'west'
            ($nodes | Out-String -Width 160) | Should -Not -Match '\bContext\b'
        } finally { Use-ClusterContext -Reset }
    }

    It 'shows a Context column only when the output comes from several contexts' {
        $one = Get-ClusterNode -Context east | Out-String -Width 160
        $one | Should -Not -Match '\bContext\b'
        $several = Get-ClusterNode -Context east, west | Out-String -Width 160
        ($several -split "`n" | Where-Object { $_ -match '\bName\b' } | Select-Object -First 1) | Should -Match '^Context\s+Name\b'
        $several | Should -Match '(?m)^west\s+worker-2\b'
    }

    It 'reads apps and storage of several contexts the same way' {
        @(Get-StorageClass -Context east, west).Context | Sort-Object -Unique | Should -Be 'east', 'west'
        @(Get-CsiDriver -Context east, north).Context | Sort-Object -Unique | Should -Be 'east', 'north'
        @(Get-ClusterApp -Context west, north -AllNamespaces).Context | Sort-Object -Unique | Should -Be 'north', 'west'
        @(Get-CsiVolumeClaim -Context east, west -AllNamespaces) | Should -BeNullOrEmpty
        @(Get-CsiVolume -Context east, west) | Should -BeNullOrEmpty
    }
}

Describe 'Per-context failures' {
    It 'gives one error per failing context, naming it, and the other contexts still answer' {
        $nodes = Get-ClusterNode -Context east, dead, east-badtoken, west -RequestTimeout 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $nodes.Count | Should -Be ($script:nodeCount.east + $script:nodeCount.west)
        $failures.Count | Should -Be 2
        $dead = $failures | Where-Object TargetObject -eq 'dead'
        $dead.FullyQualifiedErrorId | Should -BeLike 'ApiServerUnreachable*'
        $dead.ToString() | Should -BeLike "Context 'dead':*"
        $rejected = $failures | Where-Object TargetObject -eq 'east-badtoken'
        $rejected.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $rejected.ToString() | Should -BeLike "Context 'east-badtoken':*"
    }

    It 'streams the answering contexts while a silent one still hangs' {
        # The silent server answers nothing until the first node of another context has come through the
        # pipeline; only then is it closed. Run one context after the other and that node would never
        # come first: the silent context would have to fail (at -ConnectTimeout and -RequestTimeout, 60 s) before it.
        $events = [System.Collections.Generic.List[string]]::new()
        $listener = $script:silent
        Get-ClusterNode -Context silent, north -ThrottleLimit 4 -ConnectTimeout 60 -RequestTimeout 60 -ErrorAction Continue 2>&1 |
            ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) {
                    $events.Add("error $($_.TargetObject): $_")
                } else {
                    $events.Add("node $($_.Context)")
                    if ($events.Count -eq 1) { $listener.Stop() }
                }
            }
        $events[0] | Should -Be 'node north'
        @($events | Where-Object { $_ -eq 'node north' }).Count | Should -Be $script:nodeCount.north
        $events.Count | Should -Be ($script:nodeCount.north + 1)
        $events[-1] | Should -BeLike "error silent: Context 'silent':*"
    }

    It 'gives up a cluster that never completes the handshake after -ConnectTimeout and one retry, while the others answer' {
        # A listener of its own: the one above is closed by now. Its backlog holds the connection the command
        # opened (the fault fired); -RequestTimeout is far beyond the test, so only the connect budget ends it.
        $mute = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $mute.Start()
        try {
            $muteFile = Join-Path $TestDrive 'mute.kubeconfig'
            Set-Content -Path $muteFile -Value (Get-UnreachableKubeConfig -Name 'mute' -Port $mute.LocalEndpoint.Port)
            $kubeconfig = $env:KUBECONFIG + [IO.Path]::PathSeparator + $muteFile
            $records = Get-ClusterNode -KubeConfig $kubeconfig -Context mute, west -ConnectTimeout 1 -RequestTimeout 600 -Verbose -ErrorVariable failures -ErrorAction SilentlyContinue 4>&1

            @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be $script:nodeCount.west
            $failures.Count | Should -Be 1
            $failures[0].TargetObject | Should -Be 'mute'
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'ApiServerUnreachable*'
            $failures[0].ToString() | Should -BeLike "Context 'mute':*did not accept a connection within 1 s (-ConnectTimeout)*"
            @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Retrying in .*-ConnectTimeout' }).Count | Should -Be 1 -Because 'a connect timeout is tried once more, never more'
            $mute.Pending() | Should -BeTrue -Because 'the command reached the mute server and waited for its handshake'
        }
        finally { $mute.Stop() }
    }

    It 'refuses a -ConnectTimeout that is not a positive bound before connecting anywhere' {
        { Get-ClusterNode -Context east, west -ConnectTimeout 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectTimeoutInvalid*'
        $env:CLUSTERMANAGEMENT_CONNECT_TIMEOUT = 'soon'
        try {
            { Get-ClusterNode -Context east -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectTimeoutInvalid*'
        } finally { Remove-Item Env:CLUSTERMANAGEMENT_CONNECT_TIMEOUT }
    }

    It 'completes -Name from every given context, wildcards resolved, and a dead one offers nothing' {
        $line = 'Get-ClusterNode -Context east, ''n*'', dead -Name worker-'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Be 'worker-1', 'worker-2', 'worker-3' -Because 'north has three workers, east one; the first context alone would give worker-1'
    }

    It 'refuses several contexts on a cmdlet that works on one at a time' {
        # New-ClusterNode joins one host to one cluster; the address is never contacted, since the refusal comes first.
        { New-ClusterNode -Context east, west -Name worker-9 -Address 127.0.0.250 -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ContextAmbiguous*'
    }

    It 'refuses a piped context when the cmdlet needs a name it does not give' {
        { Get-ClusterContext -Name east | Suspend-ClusterNode -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ContextInputIncomplete*'
    }
}

Describe 'Changes across contexts' {
    AfterEach {
        Resume-ClusterNode -Context east, west, north -Name worker-1 -Force
    }

    It 'sends a piped node back to its own context whatever the session default' {
        Use-ClusterContext east
        try {
            Get-ClusterNode -Context west -Name worker-1 | Suspend-ClusterNode -Force
            (Get-ClusterNode -Context west -Name worker-1).Unschedulable | Should -BeTrue
            (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse -Because 'the session context (east) has its own worker-1'
        } finally { Use-ClusterContext -Reset }
    }

    It 'changes every context named, with -WhatIf listing each cluster and changing none' {
        $run = Invoke-FreshPwsh -Script "Import-Module '$(Get-ModuleUnderTest)'; Suspend-ClusterNode -Context east, west, north -Name worker-1 -WhatIf" -Environment @{ KUBECONFIG = $env:KUBECONFIG }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        foreach ($name in 'east', 'west', 'north') {
            $run.Output | Should -Match "What if: .*Node worker-1 in context '$name'"
        }
        @(Get-ClusterNode -Context east, west, north -Name worker-1 | Where-Object Unschedulable) | Should -BeNullOrEmpty

        Suspend-ClusterNode -Context east, west -Name worker-1 -Force
        (Get-ClusterNode -Context east, west, north -Name worker-1 | Where-Object Unschedulable).Context | Sort-Object | Should -Be 'east', 'west'
    }

    It 'stops after the first failing context with -StopOnFirstFailure, starting no later one' {
        $stop = $null
        try {
            Suspend-ClusterNode -Context east, dead, west -Name worker-1 -Force -ThrottleLimit 1 -StopOnFirstFailure -RequestTimeout 10 -ErrorAction SilentlyContinue -ErrorVariable failures
        } catch { $stop = $_ }
        $failures[0].ToString() | Should -BeLike "Context 'dead':*"
        $stop | Should -Not -BeNullOrEmpty -Because 'the stop ends the command'
        $stop.ToString() | Should -Match 'Done: east; failed: dead; not started: west'
        (Get-ClusterNode -Context east -Name worker-1).Unschedulable | Should -BeTrue
        (Get-ClusterNode -Context west -Name worker-1).Unschedulable | Should -BeFalse
    }
}

Describe 'Publishing an app across contexts' {
    It 'publishes to every named context, and a piped app goes back to its own context' {
        Use-ClusterContext east
        try {
            Get-ClusterApp -Context north -Namespace default -Name web | Publish-AppVersion -Image nginx:1.28 -Force | Out-Null
            (Get-ClusterApp -Context north -Namespace default -Name web).Images | Should -Be 'nginx:1.28'
            (Get-ClusterApp -Namespace default -Name web).Images | Should -Be 'nginx:1.27' -Because 'the session context (east) was not named'

            $rollouts = Publish-AppVersion -Context east, west -Namespace default -Name web -Image nginx:1.29 -Force
            $rollouts.Context | Sort-Object | Should -Be 'east', 'west'
            (Get-ClusterApp -Context east, west, north -Namespace default -Name web | Sort-Object Context | ForEach-Object { "$($_.Context) $($_.Images)" }) |
                Should -Be 'east nginx:1.29', 'north nginx:1.28', 'west nginx:1.29'
        } finally { Use-ClusterContext -Reset }
    }
}

Describe 'Progress across contexts' {
    BeforeAll {
        # Progress cannot be redirected, so the command runs in a PowerShell instance of its own, whose Progress stream keeps every record.
        function Invoke-WithProgress([string] $Command) {
            $shell = [powershell]::Create()
            try {
                $output = $shell.AddScript("Import-Module '$(Get-ModuleUnderTest)'; $Command").Invoke()
                [pscustomobject]@{ Output = @($output); Errors = @($shell.Streams.Error); Progress = @($shell.Streams.Progress); Information = @($shell.Streams.Information) }
            } finally { $shell.Dispose() }
        }

        # Every context's work numbers its bars alike (one app, one id): each must get bars of its own, named after it,
        # under the one bar of contexts done, and only its own Completed record may close them.
        function Assert-BarPerContext($Records, [string[]] $Contexts, [string] $Activity) {
            $fanOut = @($Records | Where-Object Activity -eq "$($Contexts.Count) contexts")
            $fanOut | Should -Not -BeNullOrEmpty -Because 'one bar counts the contexts done'
            $parent = $fanOut[0].ActivityId
            $fanOut.ParentActivityId | Sort-Object -Unique | Should -Be -1
            $fanOut[0].StatusDescription | Should -Be "0 of $($Contexts.Count) done" -Because 'the bar is there before any context bar nests under it'
            $fanOut[-1].RecordType | Should -Be 'Completed'

            $own = @($Records | Where-Object ActivityId -ne $parent)
            $own.ParentActivityId | Sort-Object -Unique | Should -Be $parent
            $bars = @($own | Group-Object ActivityId)
            $bars.Count | Should -Be $Contexts.Count -Because 'each context has its own bar'
            $named = foreach ($bar in $bars) {
                @($bar.Group.Activity | Sort-Object -Unique).Count | Should -Be 1
                $bar.Group[0].Activity -match "^(.+): $([regex]::Escape($Activity))$" | Should -BeTrue -Because "'$($bar.Group[0].Activity)' names its context"
                $context = $Matches[1]
                @($bar.Group | Where-Object RecordType -eq 'Completed').Count | Should -Be 1
                $bar.Group[-1].RecordType | Should -Be 'Completed' -Because "nothing of context $context follows its bar's end"
                $context
            }
            $named | Sort-Object | Should -Be ($Contexts | Sort-Object)
        }
    }

    It 'gives each context of a reading cmdlet a bar of its own under the bar of contexts done; one context reads as before' {
        $run = Invoke-WithProgress 'Wait-AppRollout -Context east, west, north -Namespace default -Name web -Timeout 60'
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Context | Sort-Object | Should -Be 'east', 'north', 'west'
        Assert-BarPerContext $run.Progress -Contexts east, west, north -Activity 'Rolling out app default/web'

        $one = Invoke-WithProgress 'Wait-AppRollout -Context east -Namespace default -Name web -Timeout 60'
        $one.Errors | Should -BeNullOrEmpty
        $one.Progress.Activity | Sort-Object -Unique | Should -Be 'Rolling out app default/web'
        $one.Progress.ParentActivityId | Sort-Object -Unique | Should -Be -1
    }

    It 'gives each context of a changing cmdlet a bar of its own' {
        $run = Invoke-WithProgress 'Publish-AppVersion -Context east, west -Namespace default -Name web -Image nginx:1.30 -Wait -Timeout 60 -Force'
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Status | Sort-Object -Unique | Should -Be 'Complete'
        Assert-BarPerContext $run.Progress -Contexts east, west -Activity 'Rolling out app default/web'
    }

    It 'sets the progress of an Azure Pipelines task from the bar of contexts done alone' {
        # The logging commands are host lines (the Information stream, tagged PSHOST), which this instance keeps.
        $env:TF_BUILD = 'True'
        try { $run = Invoke-WithProgress 'Wait-AppRollout -Context east, west, north -Namespace default -Name web -Timeout 60' }
        finally { Remove-Item Env:TF_BUILD }
        $run.Errors | Should -BeNullOrEmpty
        $lines = @($run.Information | ForEach-Object { "$($_.MessageData)" } | Where-Object { $_ -like '##vso`[task.setprogress*' })
        $lines | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -notmatch '^##vso\[task\.setprogress value=\d+;\]3 contexts$' } | Should -BeNullOrEmpty -Because "each context's own bar would make the task's value jump back and forth"
        $values = $lines | ForEach-Object { [int]($_ -replace '^.*value=(\d+);.*$', '$1') }
        $values[0] | Should -Be 0
        $values[-1] | Should -Be 100
        ($values | Sort-Object) -join ',' | Should -Be ($values -join ',')
    }
}
