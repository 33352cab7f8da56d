param($Demo)

# A real host from the test fleet (a systemd + sshd container on its own loopback address, see
# tests/Fleet), added to the demo cluster, its engine upgraded and its Kubernetes version raised one minor, all over SSH.
Import-Module (Join-Path $PSScriptRoot '../../tests/Fleet/Fleet.psm1') -Force
$fleetHost = Start-FleetNode -Engine (Start-FleetEngine) -Name demo-host -Address 127.0.0.189 -SshPort 2389 -Variant Docker -CniConfig
try {
    $access = @{ SshUser = $fleetHost.User; SshKeyPath = $fleetHost.KeyPath; KnownHostsPath = (Join-Path (Split-Path $fleetHost.KnownHostsPath) 'demo_known_hosts') }
    $node = @{ Name = 'worker-9'; Address = $fleetHost.Address; Port = $fleetHost.SshPort }
    Show-Step 'The plan for adding a host with a pinned containerd' {
        New-ClusterNode @node @access -ContainerdVersion 1.6.20~ds1-1+deb12u2 -KubernetesVersion 1.31 -Role worker -WhatIf
    }
    Show-Step 'Add it: host key trusted on first use, engine pinned and held, kubeadm join, Ready' {
        New-ClusterNode @node @access -AcceptNewHostKey -ContainerdVersion 1.6.20~ds1-1+deb12u2 -KubernetesVersion 1.31 -Role worker -Force
    }
    Show-Step 'Its engine, read through the Engine API over SSH (docker system dial-stdio; no TCP port)' { Get-NodeDocker -Node worker-9 @access | Format-List Node, State, Version, ApiVersion, Containerd, ContainerdBuild, Endpoint }
    Show-Step 'Upgrade containerd: drain, install, restart, verify, uncordon' {
        Update-NodeDocker -Node worker-9 -Version latest -ContainerdVersion latest @access -Force
    }
    Show-Step 'The engine reports the new build' { Get-NodeDocker -Node worker-9 @access | Format-Table Node, State, Version, ContainerdBuild }
    Show-Step 'Its Kubernetes upgrade plan: the API server runs 1.32, the kubelet 1.31' { Get-ClusterUpgradePlan -KubernetesVersion 1.32 -Node worker-9 @access | Format-List }
    Show-Step 'Upgrade its kubelet one minor with kubeadm: drain, kubeadm upgrade node, kubelet held at 1.32, Ready, uncordon' {
        Update-ClusterNode -KubernetesVersion 1.32 -Node worker-9 @access -Force
    }
}
finally {
    Stop-Fleet -Confirm:$false
}
