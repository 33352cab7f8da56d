#Requires -Version 7.4
# The node-host cmdlets against the plain sandbox emulator, no fleet: emulated nodes have loopback
# addresses and no host access data, so every node-host cmdlet refuses them at once with
# NodeHostAccessMissing, before it opens any connection (no "Connecting to" line, no SSH timeout).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:cluster = Start-SuiteCluster -Workers 2
    $env:KUBECONFIG = $script:cluster.KubeConfig
    # A credential and -AcceptNewHostKey, so neither a missing credential nor an unknown host key can
    # be what stops a cmdlet: only the missing access data may.
    $key = Join-Path $TestDrive 'id_ed25519'
    Set-Content -Path $key -Value 'not used'
    $script:access = @{ SshUser = 'cmadmin'; SshKeyPath = $key; KnownHostsPath = (Join-Path $TestDrive 'known_hosts'); AcceptNewHostKey = $true }
}

AfterAll {
    if ($script:cluster) { Stop-TestCluster $script:cluster }
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Node-host cmdlets on emulated nodes' {
    It 'gives every emulated node a loopback address and no access data in kube-system' {
        $nodes = @(Get-ClusterNode)
        $nodes.Count | Should -Be 3
        $nodes.InternalIP | ForEach-Object { $_ | Should -Match '^127\.' }
        $nodes.Annotations.Keys | Should -Not -Match '^clustermanagement\.io/ssh-'
    }

    It '<Command> refuses <Target> at once: no host access data, no connection' -ForEach @(
        @{ Command = 'Get-NodeDocker'; Target = 'every node'; With = @{} }
        @{ Command = 'Get-NodeDocker'; Target = 'cp-1'; With = @{ Node = 'cp-1' } }
        @{ Command = 'Update-NodeDocker'; Target = 'worker-1'; With = @{ Node = 'worker-1'; Version = '20.10'; Force = $true } }
        @{ Command = 'Get-ClusterUpgradePlan'; Target = 'every node'; With = @{} }
        @{ Command = 'Get-ClusterUpgradePlan'; Target = 'cp-1'; With = @{ Node = 'cp-1' } }
        @{ Command = 'Update-ClusterNode'; Target = 'worker-1'; With = @{ Node = 'worker-1'; KubernetesVersion = '1.32'; Force = $true } }
        @{ Command = 'Get-NodeService'; Target = 'worker-1'; With = @{ Node = 'worker-1' } }
        @{ Command = 'Start-NodeService'; Target = 'worker-1'; With = @{ Node = 'worker-1'; Name = 'kubelet'; Force = $true } }
        @{ Command = 'Stop-NodeService'; Target = 'worker-1'; With = @{ Node = 'worker-1'; Name = 'kubelet'; Force = $true } }
        @{ Command = 'Restart-NodeService'; Target = 'worker-1'; With = @{ Node = 'worker-1'; Name = 'kubelet'; Force = $true } }
        @{ Command = 'Backup-ClusterNode'; Target = 'cp-1'; With = @{ Node = 'cp-1'; Destination = 'TESTDRIVE/backups' } }
        @{ Command = 'Remove-ClusterNode'; Target = 'worker-1'; With = @{ Name = 'worker-1'; Force = $true } }
        @{ Command = 'Get-NodeNetwork'; Target = 'worker-1'; With = @{ Node = 'worker-1' } }
        @{ Command = 'New-NodeNetwork'; Target = 'worker-1'; With = @{ Node = 'worker-1'; Name = 'test-net'; Subnet = '198.18.0.0/24' } }
        @{ Command = 'Remove-NodeNetwork'; Target = 'worker-1'; With = @{ Node = 'worker-1'; Name = 'test-net'; Force = $true } }
        @{ Command = 'Get-NodeRoute'; Target = 'worker-1'; With = @{ Node = 'worker-1' } }
        @{ Command = 'Add-NodeRoute'; Target = 'worker-1'; With = @{ Node = 'worker-1'; Destination = '198.18.0.0/24'; Gateway = '127.0.0.1' } }
        @{ Command = 'Remove-NodeRoute'; Target = 'worker-1'; With = @{ Node = 'worker-1'; Destination = '198.18.0.0/24'; Force = $true } }
    ) {
        $parameters = @{}
        foreach ($entry in $With.GetEnumerator()) { $parameters[$entry.Key] = $entry.Value -is [string] ? ($entry.Value -replace '^TESTDRIVE', $TestDrive) : $entry.Value }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        # Update-NodeDocker stops its whole rollout on a node it cannot prepare (a terminating error); the others write one error per node.
        $stream = @(& { try { & $Command @parameters @script:access -ErrorAction Continue -Verbose } catch { $_ } } 2>&1 4>&1)
        $watch.Stop()
        $errors = @($stream | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })

        $expected = if ($Target -eq 'every node') { 3 } else { 1 }
        @($errors).Count | Should -Be $expected -Because ($stream | Out-String)
        foreach ($e in $errors) {
            $e.FullyQualifiedErrorId | Should -BeLike 'NodeHostAccessMissing*'
            $e.Exception.Message | Should -Match 'has no host access data'
        }
        # Nothing was attempted: no SSH connection was opened, and none timed out (the connect timeout is 10 s).
        @($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Connecting to' }) | Should -BeNullOrEmpty
        $stream | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        (Get-ClusterNode -Name worker-1).Unschedulable | Should -BeFalse
        Test-Path (Join-Path $TestDrive 'backups') | Should -BeFalse
    }
}
