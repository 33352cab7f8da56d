# What a user sees: the default table of every output type, rendered at 80 and 160 columns from fixed
# objects, compared with the text in Views/<Type>.<Width>.txt. Ages are relative to now (44 days,
# 3 hours 12 minutes ago) so they print as the same kubectl ages on every run.
BeforeDiscovery {
    # The types, to tell which of them name their context.
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $fixtures = @(
        @{ Type = 'ClusterManagement.Connection.ClusterContext'; Build = {
                [ClusterManagement.Connection.ClusterContext]@{ Name = 'sandbox'; Cluster = 'sandbox'; Server = 'https://127.0.0.1:6443'; User = 'sandbox-admin'; Namespace = 'default'; IsCurrent = $true; Source = '/home/admin/.kube/config' }
                [ClusterManagement.Connection.ClusterContext]@{ Name = 'sandbox-token'; Cluster = 'sandbox'; Server = 'https://127.0.0.1:6443'; User = 'team-a'; Namespace = 'team-a'; Source = '/home/admin/.kube/config' }
            }
        }
        @{ Type = 'ClusterManagement.Nodes.ClusterNode'; Build = {
                foreach ($n in @(@{ Name = 'cp-1'; Roles = @('control-plane'); Ip = '10.0.0.10'; Taints = @([ClusterManagement.Nodes.NodeTaint]@{ Key = 'node-role.kubernetes.io/control-plane'; Effect = 'NoSchedule' }) }
                        @{ Name = 'worker-1'; Roles = @(); Ip = '10.0.0.11'; Taints = @() })) {
                    [ClusterManagement.Nodes.ClusterNode]@{
                        Name = $n.Name; Status = 'Ready'; Readiness = 'Ready'; Roles = $n.Roles; Age = 'P44D'; Created = $days44; Version = 'v1.30.2'
                        InternalIP = $n.Ip; ExternalIP = $null; Hostname = $n.Name; OSImage = 'Debian GNU/Linux 12 (bookworm)'; KernelVersion = '6.1.0-27-amd64'
                        ContainerRuntime = 'containerd://1.6.20'; Architecture = 'amd64'; OperatingSystem = 'linux'; Unschedulable = $false
                        Conditions = @([ClusterManagement.Nodes.NodeCondition]@{ Type = 'Ready'; Status = 'True'; Reason = 'KubeletReady' })
                        Addresses = @([ClusterManagement.Nodes.NodeAddress]@{ Type = 'InternalIP'; Address = $n.Ip }); Taints = $n.Taints; PodCIDRs = @('10.244.0.0/24')
                        Labels = @{ 'kubernetes.io/arch' = 'amd64'; 'kubernetes.io/hostname' = $n.Name }; Annotations = @{}; Capacity = @{ cpu = '2'; memory = '4Gi' }; Allocatable = @{ cpu = '2'; memory = '4Gi' }
                    }
                }
            }
        }
        @{ Type = 'ClusterManagement.Nodes.NodePod'; Build = {
                [ClusterManagement.Nodes.NodePod]@{ Namespace = 'default'; Name = 'web-7d4b9c6f5-x2x8q'; Node = 'worker-1'; Phase = 'Running'; Ready = '1/1'; Restarts = 0; Age = 'PT3H12M'; Created = $hours3
                    IP = '10.244.1.12'; ControllerKind = 'ReplicaSet'; ControllerName = 'web-7d4b9c6f5'; IsMirror = $false; HasLocalStorage = $false; IsTerminating = $false; Uid = '0f1e2d3c'; Labels = @{ app = 'web' } }
                [ClusterManagement.Nodes.NodePod]@{ Namespace = 'kube-system'; Name = 'kube-proxy-9kq2w'; Node = 'worker-1'; Phase = 'Running'; Ready = '1/1'; Restarts = 2; Age = 'P44D'; Created = $days44
                    IP = '10.0.0.11'; ControllerKind = 'DaemonSet'; ControllerName = 'kube-proxy'; IsMirror = $false; HasLocalStorage = $false; IsTerminating = $false; Uid = '4b5a6978'; Labels = @{} }
                # A name as long as the ones Helm charts give their jobs: cut at 80 columns, whole at 160.
                [ClusterManagement.Nodes.NodePod]@{ Namespace = 'ingress-nginx'; Name = 'ingress-nginx-admission-create-controller-7d4b9c6f5-wx5tq'; Node = 'worker-1'; Phase = 'Succeeded'; Ready = '0/1'; Restarts = 0; Age = 'PT3H12M'; Created = $hours3
                    IP = '10.244.1.31'; ControllerKind = 'Job'; ControllerName = 'ingress-nginx-admission-create'; IsMirror = $false; HasLocalStorage = $false; IsTerminating = $false; Uid = '8c7b6a59'; Labels = @{} }
            }
        }
        @{ Type = 'ClusterManagement.Nodes.NodeDrainResult'; Build = {
                [ClusterManagement.Nodes.NodeDrainResult]@{ Node = 'worker-3'; Evicted = @('default/web-7d4b9c6f5-x2x8q', 'default/web-7d4b9c6f5-p9m3z')
                    Skipped = @([ClusterManagement.Nodes.DrainPodStatus]@{ Namespace = 'kube-system'; Name = 'kube-proxy-9kq2w'; Action = 'Skip'; Reason = 'DaemonSet-managed' }); Failed = @(); Duration = 'PT41S' }
            }
        }
        @{ Type = 'ClusterManagement.Network.NodeNetwork'; Build = {
                [ClusterManagement.Network.NodeNetwork]@{ Node = 'worker-1'; InternalIP = '10.0.0.11'; Hostname = 'worker-1'; InternalIPs = @('10.0.0.11'); PodCIDRs = @('10.244.1.0/24'); Ready = $true; Problems = @() }
                [ClusterManagement.Network.NodeNetwork]@{ Node = 'worker-2'; InternalIP = '10.0.0.12'; Hostname = 'worker-2'; InternalIPs = @('10.0.0.12'); PodCIDRs = @(); Ready = $true; Problems = @('no pod CIDR assigned: pods on this node get no addresses until one is') }
            }
        }
        @{ Type = 'ClusterManagement.Network.ClusterNetworkSummary'; Build = {
                [ClusterManagement.Network.ClusterNetworkSummary]@{ KubernetesServiceIP = '10.96.0.1'; ServiceCIDRs = @('10.96.0.0/12'); Nodes = 4; NodesWithoutPodCIDR = 1; PodCIDRs = @('10.244.0.0/24', '10.244.1.0/24'); Problems = @('worker-2: no pod CIDR assigned: pods on this node get no addresses until one is') }
            }
        }
        @{ Type = 'ClusterManagement.Apps.ClusterApp'; Build = {
                [ClusterManagement.Apps.ClusterApp]@{ Name = 'web'; Namespace = 'default'; Ready = '3/3'; Replicas = 3; ReadyReplicas = 3; UpToDate = 3; Available = 3; Age = 'P44D'; Created = $days44
                    Containers = @('nginx'); Images = @('nginx:1.27'); Revision = 2; Paused = $false; Selector = 'app=web'; Strategy = 'RollingUpdate'; Conditions = @(); Labels = @{ app = 'web' }; Annotations = @{} }
            }
        }
        @{ Type = 'ClusterManagement.Apps.AppRollout'; Build = {
                [ClusterManagement.Apps.AppRollout]@{ App = 'web'; Namespace = 'default'; FromRevision = 2; ToRevision = 3; Images = @('nginx:1.28'); Status = 'Complete'; Message = 'deployment "web" successfully rolled out'; Duration = 'PT1M4S' }
            }
        }
        @{ Type = 'ClusterManagement.Apps.AppRevision'; Build = {
                [ClusterManagement.Apps.AppRevision]@{ App = 'web'; Namespace = 'default'; Revision = 1; Images = @('nginx:1.26'); Created = $days44; ReplicaSet = 'web-5f6c8d7b9'; Replicas = 0; IsCurrent = $false; PreviousRevisions = @() }
                [ClusterManagement.Apps.AppRevision]@{ App = 'web'; Namespace = 'default'; Revision = 2; Images = @('nginx:1.27'); ChangeCause = 'nginx 1.27'; Created = $hours3; ReplicaSet = 'web-7d4b9c6f5'; Replicas = 3; IsCurrent = $true; PreviousRevisions = @() }
            }
        }
        @{ Type = 'ClusterManagement.Events.ClusterEvent'; Build = {
                [ClusterManagement.Events.ClusterEvent]@{ Name = 'web.187a3c2f1b0d9e8a'; Namespace = 'default'; LastSeen = $hours3; FirstSeen = $hours3; Count = 1; Type = 'Normal'; Reason = 'ScalingReplicaSet'
                    Object = 'deployment/web'; Message = 'Scaled up replica set web-7d4b9c6f5 from 0 to 3'; Source = 'deployment-controller'
                    InvolvedObject = [ClusterManagement.Events.ClusterEventObject]@{ Kind = 'Deployment'; Name = 'web'; Namespace = 'default'; ApiVersion = 'apps/v1'; Uid = '0f1e2d3c' } }
                # A series: the kubelet retrying a pull, with the long message the kubelet writes (cut at 80 columns, whole at 160).
                [ClusterManagement.Events.ClusterEvent]@{ Name = 'web-7d4b9c6f5-x2x8q.187a3c2f1b0d9e8b'; Namespace = 'default'; LastSeen = $hours3; FirstSeen = $days44; Count = 12; Type = 'Warning'; Reason = 'Failed'
                    Object = 'pod/web-7d4b9c6f5-x2x8q'; Message = 'Failed to pull image "registry.example/shop:2": not found'; Source = 'kubelet, worker-1'
                    InvolvedObject = [ClusterManagement.Events.ClusterEventObject]@{ Kind = 'Pod'; Name = 'web-7d4b9c6f5-x2x8q'; Namespace = 'default'; ApiVersion = 'v1'; Uid = '4b5a6978'; FieldPath = 'spec.containers{web}' } }
            }
        }
        @{ Type = 'ClusterManagement.Manifests.AppliedObject'; Build = {
                [ClusterManagement.Manifests.AppliedObject]@{ Kind = 'ConfigMap'; Name = 'settings'; Namespace = 'default'; ApiVersion = 'v1'; Action = 'Created'; Source = 'settings.yaml' }
                [ClusterManagement.Manifests.AppliedObject]@{ Kind = 'ClusterRole'; Name = 'reader'; ApiVersion = 'rbac.authorization.k8s.io/v1'; Action = 'Unchanged'; Source = 'rbac.yaml' }
            }
        }
        @{ Type = 'ClusterManagement.Storage.StorageClass'; Build = {
                [ClusterManagement.Storage.StorageClass]@{ Name = 'csi-fast'; Provisioner = 'dsp.csi.daterainc.io'; ReclaimPolicy = 'Delete'; VolumeBindingMode = 'WaitForFirstConsumer'; AllowVolumeExpansion = $true
                    IsDefault = $true; Parameters = @{ replicas = '3' }; MountOptions = @(); Age = 'P44D'; Created = $days44; Labels = @{} }
            }
        }
        @{ Type = 'ClusterManagement.Storage.CsiDriver'; Build = {
                [ClusterManagement.Storage.CsiDriver]@{ Name = 'dsp.csi.daterainc.io'; AttachRequired = $true; PodInfoOnMount = $false; FsGroupPolicy = 'ReadWriteOnceWithFSType'; Modes = @('Persistent'); StorageClasses = @('csi-fast'); Age = 'P44D'; Created = $days44 }
            }
        }
        @{ Type = 'ClusterManagement.Storage.CsiVolumeClaim'; Build = {
                [ClusterManagement.Storage.CsiVolumeClaim]@{ Name = 'data'; Namespace = 'default'; Status = 'Bound'; Volume = 'pvc-3f2a1b0c'; Capacity = '2Gi'; RequestedSize = '2Gi'; AccessModes = @('ReadWriteOnce')
                    StorageClass = 'csi-fast'; Driver = 'dsp.csi.daterainc.io'; ReclaimPolicy = 'Delete'; VolumeMode = 'Filesystem'; Conditions = @(); Age = 'PT3H12M'; Created = $hours3; Labels = @{} }
            }
        }
        @{ Type = 'ClusterManagement.Storage.CsiVolume'; Build = {
                [ClusterManagement.Storage.CsiVolume]@{ Name = 'pvc-3f2a1b0c'; Capacity = '2Gi'; AccessModes = @('ReadWriteOnce'); ReclaimPolicy = 'Delete'; Status = 'Bound'; Claim = 'default/data'; StorageClass = 'csi-fast'
                    Driver = 'dsp.csi.daterainc.io'; VolumeHandle = 'vol-3f2a1b0c'; FsType = 'ext4'; VolumeMode = 'Filesystem'; Attributes = @{}; Age = 'PT3H12M'; Created = $hours3 }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeDocker'; Build = {
                [ClusterManagement.NodeHosts.NodeDocker]@{ Node = 'worker-1'; State = 'Running'; Version = '20.10.24+dfsg1'; ApiVersion = '1.41'; Containerd = '1.6.20~ds1'; ContainerdBuild = '1.6.20~ds1-1+deb12u2'; Runc = '1.1.5'
                    Os = 'linux'; Kernel = '6.1.0-27-amd64'; StorageDriver = 'overlay2'; CgroupDriver = 'systemd'; Endpoint = 'ssh://cmadmin@10.0.0.11:22/var/run/docker.sock' }
                [ClusterManagement.NodeHosts.NodeDocker]@{ Node = 'worker-2'; State = 'Unreachable'; Error = 'connection refused' }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeDockerUpgrade'; Build = {
                [ClusterManagement.NodeHosts.NodeDockerUpgrade]@{ Node = 'worker-1'; Batch = 1; From = 'docker.io 20.10.24+dfsg1-1+deb12u1+b6, containerd 1.6.20~ds1-1+deb12u2'
                    To = 'docker.io 20.10.24+dfsg1-1+deb12u1+b6, containerd 1.6.20~ds1-1+deb12u3'; Drained = $true; Duration = 'PT2M21S'; Status = 'Upgraded' }
                [ClusterManagement.NodeHosts.NodeDockerUpgrade]@{ Node = 'worker-2'; Batch = 2; To = 'docker.io 20.10.24+dfsg1-1+deb12u1+b6, containerd 1.6.20~ds1-1+deb12u3'; Drained = $false; Duration = 'PT0S'; Status = 'NotStarted' }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeUpgradePlan'; Build = {
                [ClusterManagement.NodeHosts.NodeUpgradePlan]@{ Node = 'cp-1'; Step = 'ControlPlaneApply'; KubeletVersion = 'v1.31.4'; KubeadmVersion = 'v1.31.4'; ApiServerVersion = 'v1.31.4'; Target = 'v1.32.4'
                    Available = @('1.32.4-1.1', '1.31.4-1.1'); Held = @('kubeadm', 'kubelet'); Blockers = @() }
                [ClusterManagement.NodeHosts.NodeUpgradePlan]@{ Node = 'worker-1'; Step = 'Worker'; KubeletVersion = 'v1.31.4'; ApiServerVersion = 'v1.31.4'; Target = 'v1.32.4'
                    Available = @(); Held = @(); Blockers = @('the node is NotReady') }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeKubernetesUpgrade'; Build = {
                [ClusterManagement.NodeHosts.NodeKubernetesUpgrade]@{ Node = 'cp-1'; Batch = 1; Step = 'ControlPlaneApply'; From = 'v1.31.4'; To = 'v1.32.4'; Drained = $true; Duration = 'PT1M5S'; UnavailableFor = 'PT52S'; Status = 'Upgraded' }
                [ClusterManagement.NodeHosts.NodeKubernetesUpgrade]@{ Node = 'worker-1'; Batch = 2; Step = 'Worker'; From = 'v1.31.4'; To = 'v1.32.4'; Drained = $false; Duration = 'PT0S'; Status = 'NotStarted' }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeUnit'; Build = {
                [ClusterManagement.NodeHosts.NodeUnit]@{ Node = 'worker-1'; Name = 'containerd'; Description = 'containerd container runtime'; LoadState = 'loaded'; ActiveState = 'active'; SubState = 'running'; Enabled = 'enabled'
                    Since = [datetime]::SpecifyKind([datetime]'2026-11-25T01:57:39', 'Utc'); MainPid = 610 }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeBackup'; Build = {
                [ClusterManagement.NodeHosts.NodeBackup]@{ Node = 'cp-1'; Path = '/home/admin/node-backups/cp-1-20261125T020511Z.tar.gz'; Files = 23; Bytes = 14562; Sha256 = '3f0c2a9e51b7d0c4a8e2f1b6c9d3e7a5b1f4c8d2e6a0b3c7d1e5f9a2b6c0d4e8'
                    EtcdSnapshot = $true; Created = [datetime]::SpecifyKind([datetime]'2026-11-25T02:05:11', 'Utc') }
            }
        }
        @{ Type = 'ClusterManagement.Network.EngineNetwork'; Build = {
                [ClusterManagement.Network.EngineNetwork]@{ Node = 'worker-1'; Name = 'apps'; Id = '5c1f0e7d2a9b'; Driver = 'bridge'; Scope = 'local'; Subnets = @('198.18.40.0/24'); Gateways = @('198.18.40.1'); IPRanges = @()
                    Internal = $false; EnableIPv6 = $false; Containers = @('web-1'); Labels = @{ team = 'a' } }
            }
        }
        @{ Type = 'ClusterManagement.Network.NodeRoute'; Build = {
                [ClusterManagement.Network.NodeRoute]@{ Node = 'router-1'; Destination = '198.18.210.0/24'; Gateway = '198.18.200.1'; Device = 'eth0'; Protocol = 'static'; Scope = 'global'; Metric = 100; Family = 'IPv4'
                    PersistedIn = '/etc/network/interfaces.d/cm-routes-eth0' }
            }
        }
    )
    # Output read from several contexts: the same objects from two clusters, marked as the module marks them,
    # selecting the views with a Context column (Fleets.Format.ps1xml, which the build writes for every type
    # that names its context).
    $fixtures += foreach ($fixture in @($fixtures | Where-Object { [ClusterManagement.Connection.IClusterObject].IsAssignableFrom([type] $_.Type) })) {
        @{ Type = "$($fixture.Type)#Contexts"; Single = $fixture.Build; Build = {
                foreach ($context in 'prod-eu', 'prod-us') {
                    foreach ($object in & $Single) {
                        $object.Context = $context
                        $object.Cluster = $context
                        $shown = [psobject]::AsPSObject($object)
                        $shown.PSObject.TypeNames.Insert(0, "$($object.GetType().FullName)#Contexts")
                        $shown
                    }
                }
            }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    # Whole seconds, as creationTimestamps are; far enough from a unit boundary that the age text cannot tick during the test.
    $now = [datetime]::UtcNow
    # PowerShell wraps table cells at spaces only in some cultures (en, de, fr, es, it, pt) and mid-word in all
    # others, the invariant one of a C locale included: the expected text is what an English console shows.
    [cultureinfo]::CurrentCulture = 'en-US'
    $script:days44 = $now.AddTicks(-($now.Ticks % [timespan]::TicksPerSecond)).AddDays(-44).AddHours(-2)
    $script:hours3 = $now.AddTicks(-($now.Ticks % [timespan]::TicksPerSecond)).AddMinutes(-192).AddSeconds(-20)

    function Get-NormalText {
        <# Rendered or expected text without trailing blanks and without the empty lines around it. #>
        param([string] $Text)
        (($Text -split '\r?\n' | ForEach-Object TrimEnd) -join "`n").Trim("`n")
    }
}

Describe '<Type> default table' -ForEach $fixtures {
    It 'shows at <_> columns exactly what Views/<Type>.<_>.txt says' -ForEach 80, 160 {
        $width = $_
        $expectedFile = Join-Path $PSScriptRoot "Views/$Type.$width.txt"
        $expectedFile | Should -Exist
        $text = & $Build | Format-Table | Out-String -Width $width
        Get-NormalText $text | Should -BeExactly (Get-NormalText (Get-Content $expectedFile -Raw))
    }

    It 'shows every value whole at 160 columns' {
        $text = & $Build | Format-Table | Out-String -Width 160
        $text | Should -Not -Match '…' -Because "every value of these objects fits in 160 columns:`n$text"
    }
}

Describe 'View coverage' -ForEach @(@{ Fixtures = $fixtures }) {
    It 'has a fixture for every type a table view is defined for' {
        $typesWithTable = foreach ($file in Get-ChildItem (Join-Path (Get-ModuleUnderTest) 'Formats') -Filter '*.Format.ps1xml') {
            ([xml] (Get-Content $file.FullName -Raw)).Configuration.ViewDefinitions.View | Where-Object { $_['TableControl'] } | ForEach-Object { [string] $_.ViewSelectedBy.TypeName }
        }
        $typesWithTable | Sort-Object -Unique | Where-Object { $_ -notin $Fixtures.Type } | Should -BeNullOrEmpty
    }
}
