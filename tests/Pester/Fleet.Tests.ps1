#Requires -Version 7.4
# Smoke test of the node-host fleet (tests/Fleet): real SSH, sudo, apt and Docker engines on
# two node containers. Under CI a missing prerequisite fails the run; elsewhere the tests are
# skipped with the reason.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../Fleet/Fleet.psm1') -Force
    $check = Test-FleetPrerequisite
    if (-not $check.Ready -and $check.IsRoot -and $check.IsDebian) { $check = Install-FleetPrerequisite }
    $script:fleetSkipReason = if ($check.Ready) { $null } else { $check.Problems -join ' ' }
    if ($script:fleetSkipReason -and $env:CI) {
        throw "The fleet cannot run on this CI machine: $script:fleetSkipReason"
    }
}

Describe 'Node-host fleet' -Skip:([bool]$script:fleetSkipReason) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../Fleet/Fleet.psm1') -Force

        # Runs a command on a node over OpenSSH, trusting only the host key whose fingerprint
        # the fleet recorded (StrictHostKeyChecking against a known_hosts made from it here).
        function Invoke-NodeCommand {
            param($Node, [string]$Command, [string]$User = $Node.User)
            $output = & ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$script:knownHosts" `
                -o ConnectTimeout=5 -i $Node.KeyPath -p $Node.SshPort "$User@$($Node.Address)" $Command 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | ForEach-Object { "$_" }) -join "`n" }
        }

        function Get-EngineVersion {
            param($Node)
            Invoke-RestMethod -Uri "http://$($Node.Address):$($Node.EnginePort)/version" -TimeoutSec 5
        }

        $script:nodes = @(Start-Fleet -Count 2)
        # The host keys as a client meets them, kept apart from the fleet's own known_hosts
        # so the fingerprint check below is independent of it.
        $script:knownHosts = Join-Path $TestDrive 'known_hosts'
        $script:scannedFingerprints = @{}
        foreach ($node in $script:nodes) {
            $scanned = @(& ssh-keyscan -T 5 -t ed25519 -p $node.SshPort $node.Address 2>$null)
            Add-Content -LiteralPath $script:knownHosts -Value $scanned
            $keyFile = Join-Path $TestDrive "$($node.Name).pub"
            Set-Content -LiteralPath $keyFile -Value (($scanned | Select-Object -First 1) -replace '^\S+\s+', '')
            $script:scannedFingerprints[$node.Name] = (-split (& ssh-keygen -lf $keyFile))[1]
        }
    }

    AfterAll {
        Stop-Fleet -Confirm:$false
    }

    It 'starts two nodes on distinct addresses and ports' {
        $script:nodes.Count | Should -Be 2
        $script:nodes[0].Address | Should -Not -Be $script:nodes[1].Address
        $script:nodes[0].SshPort | Should -Not -Be $script:nodes[1].SshPort
        $script:nodes[0].EnginePort | Should -Not -Be $script:nodes[1].EnginePort
    }

    It 'serves the host key whose fingerprint it recorded on node <_>' -ForEach 0, 1 {
        $node = $script:nodes[$_]
        $node.HostKeyFingerprint | Should -Match '^SHA256:[A-Za-z0-9+/]{43}$'
        $script:scannedFingerprints[$node.Name] | Should -Be $node.HostKeyFingerprint
    }

    It 'lets cmadmin in with the fleet key and sudo without a password on node <_>' -ForEach 0, 1 {
        $node = $script:nodes[$_]
        $result = Invoke-NodeCommand -Node $node -Command 'sudo -n true && hostname'
        $result.Output | Should -Be $node.Name
        $result.ExitCode | Should -Be 0
    }

    It 'offers a user whose sudo asks for a password' {
        $result = Invoke-NodeCommand -Node $script:nodes[0] -User cmnopass -Command 'sudo -n true'
        $result.ExitCode | Should -Not -Be 0
        $result.Output | Should -Match 'password is required'
    }

    It 'refuses a host key other than the recorded one' {
        # Node 0 answers under node 1's name: its key is not the one known for that name.
        $impostor = $script:nodes[0]
        $expected = $script:nodes[1]
        $result = & ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$script:knownHosts" `
            -o "HostKeyAlias=[$($expected.Address)]:$($expected.SshPort)" -i $impostor.KeyPath -p $impostor.SshPort "cmadmin@$($impostor.Address)" true 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        "$result" | Should -Match 'HOST IDENTIFICATION HAS CHANGED|Host key verification failed'
    }

    It 'installs docker.io from the mirror and its engine answers on node <_>''s TCP port' -ForEach 0, 1 {
        $node = $script:nodes[$_]
        $result = Invoke-NodeCommand -Node $node -Command 'sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io'
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $version = $null
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not $version -and [DateTime]::UtcNow -lt $deadline) {
            try { $version = Get-EngineVersion -Node $node } catch { Start-Sleep -Milliseconds 500 }
        }
        $version.Version | Should -Match '^20\.10\.'
    }

    It 'installs kubelet 1.31.4 from the fleet repository and upgrades it to 1.32.4' {
        $node = $script:nodes[0]
        $install = Invoke-NodeCommand -Node $node -Command 'sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubelet=1.31.4-1.1 kubeadm=1.31.4-1.1 && kubelet --version && kubeadm version -o short'
        $install.ExitCode | Should -Be 0 -Because $install.Output
        $install.Output | Should -Match 'Kubernetes v1\.31\.4'
        $install.Output | Should -Match '(?m)^v1\.31\.4$'

        $upgrade = Invoke-NodeCommand -Node $node -Command 'sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubelet=1.32.4-1.1 kubeadm=1.32.4-1.1 && dpkg-query -W -f=''${Version}'' kubelet'
        $upgrade.ExitCode | Should -Be 0 -Because $upgrade.Output
        $upgrade.Output | Should -Match '1\.32\.4-1\.1$'
    }

    It 'downgrades containerd to the bookworm-security build and upgrades it back, visible in the Engine API' {
        $node = $script:nodes[1]
        $commit = { ((Get-EngineVersion -Node $node).Components | Where-Object Name -EQ containerd).Details.GitCommit }
        & $commit | Should -Be '1.6.20~ds1-1+deb12u3'

        foreach ($version in '1.6.20~ds1-1+deb12u2', '1.6.20~ds1-1+deb12u3') {
            # reset-failed: docker.service allows only 3 restarts a minute.
            $result = Invoke-NodeCommand -Node $node -Command "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades containerd=$version && sudo systemctl reset-failed docker.service && sudo systemctl restart docker.service"
            $result.ExitCode | Should -Be 0 -Because $result.Output
            $seen = $null
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($seen -ne $version -and [DateTime]::UtcNow -lt $deadline) {
                try { $seen = & $commit } catch { Start-Sleep -Milliseconds 500 }
            }
            $seen | Should -Be $version
        }
    }

    It 'writes an inventory with every host' {
        $path = Join-Path $TestDrive 'nodes.json'
        Export-FleetInventory -Path $path
        $hosts = Get-Content -Raw $path | ConvertFrom-Json
        $hosts.Count | Should -Be 2
        foreach ($node in $script:nodes) {
            $entry = $hosts | Where-Object name -EQ $node.Name
            $entry.address | Should -Be $node.Address
            $entry.sshPort | Should -Be $node.SshPort
            $entry.user | Should -Be 'cmadmin'
            $entry.keyPath | Should -Be $node.KeyPath
            $entry.hostKeyFingerprint | Should -Be $node.HostKeyFingerprint
            $entry.enginePort | Should -Be $node.EnginePort
        }
    }
}
