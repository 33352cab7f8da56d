namespace ClusterManagement.Diagnostics;

/// <summary>
/// Every error the module reports, grouped by area. Ids are <c>&lt;Subject&gt;&lt;Problem&gt;</c> in
/// PascalCase (CONTRIBUTING.md, "Errors"); scripts match on them, so an id, once shipped, keeps its
/// name and its kind. <c>ClusterErrorCatalogueTests</c> checks the rule.
/// </summary>
public static class ClusterErrors
{
    /// <summary>
    /// Problems the API server reports for any kind of object, completed with the kind through
    /// <see cref="ClusterError.About"/> (<c>Resource.NotFound.About("Node")</c> is <c>NodeNotFound</c>).
    /// </summary>
    public static class Resource
    {
        public static readonly ClusterError NotFound = new(nameof(NotFound), ClusterErrorKind.NotFound);
        public static readonly ClusterError AlreadyExists = new(nameof(AlreadyExists), ClusterErrorKind.AlreadyExists);
        public static readonly ClusterError Conflict = new(nameof(Conflict), ClusterErrorKind.Conflict);
        public static readonly ClusterError Invalid = new(nameof(Invalid), ClusterErrorKind.Invalid);
        public static readonly ClusterError BadRequest = new(nameof(BadRequest), ClusterErrorKind.Invalid);
        public static readonly ClusterError Unauthorized = new(nameof(Unauthorized), ClusterErrorKind.Unauthorized);
        public static readonly ClusterError Forbidden = new(nameof(Forbidden), ClusterErrorKind.Forbidden);
        public static readonly ClusterError TooManyRequests = new(nameof(TooManyRequests), ClusterErrorKind.TooManyRequests);
        public static readonly ClusterError ServerError = new(nameof(ServerError), ClusterErrorKind.ServerError);
        public static readonly ClusterError RequestFailed = new(nameof(RequestFailed), ClusterErrorKind.OperationFailed);
        public static readonly ClusterError WatchFailed = new(nameof(WatchFailed), ClusterErrorKind.OperationFailed);
    }

    // Apps
    public static readonly ClusterError AppContainerAmbiguous = new(nameof(AppContainerAmbiguous), ClusterErrorKind.Invalid);
    public static readonly ClusterError AppContainerNotFound = new(nameof(AppContainerNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError AppHistoryNotFound = new(nameof(AppHistoryNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError AppNotFound = new(nameof(AppNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError AppPaused = new(nameof(AppPaused), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError AppProgressDeadlineExceeded = new(nameof(AppProgressDeadlineExceeded), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError AppReplicaPreconditionFailed = new(nameof(AppReplicaPreconditionFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError AppRevisionNotFound = new(nameof(AppRevisionNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError AppRolloutTimeout = new(nameof(AppRolloutTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError AppRolloutWaitInterrupted = new(nameof(AppRolloutWaitInterrupted), ClusterErrorKind.Unreachable);
    public static readonly ClusterError ContainerWithImageMap = new(nameof(ContainerWithImageMap), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError ImageMissing = new(nameof(ImageMissing), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError ImageReferenceInvalid = new(nameof(ImageReferenceInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError ReplicaCountInvalid = new(nameof(ReplicaCountInvalid), ClusterErrorKind.Invalid);

    // Events
    public static readonly ClusterError EventObjectUnsupported = new(nameof(EventObjectUnsupported), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError EventWatchTimeoutInvalid = new(nameof(EventWatchTimeoutInvalid), ClusterErrorKind.InvalidArgument);

    // Cmdlets
    public static readonly ClusterError ConfirmationNotPossible = new(nameof(ConfirmationNotPossible), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError ConnectTimeoutInvalid = new(nameof(ConnectTimeoutInvalid), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError RequestTimeoutInvalid = new(nameof(RequestTimeoutInvalid), ClusterErrorKind.InvalidArgument);

    // Kubernetes
    public static readonly ClusterError ApiConnectionLost = new(nameof(ApiConnectionLost), ClusterErrorKind.Unreachable);
    public static readonly ClusterError ApiRequestTimeout = new(nameof(ApiRequestTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError ApiServerUnreachable = new(nameof(ApiServerUnreachable), ClusterErrorKind.Unreachable);
    public static readonly ClusterError ContextAmbiguous = new(nameof(ContextAmbiguous), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError ContextInputIncomplete = new(nameof(ContextInputIncomplete), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError ContextNotFound = new(nameof(ContextNotFound), ClusterErrorKind.ContextNotFound);
    public static readonly ClusterError CurrentContextMissing = new(nameof(CurrentContextMissing), ClusterErrorKind.ConfigurationInvalid);
    public static readonly ClusterError KindNotServed = new(nameof(KindNotServed), ClusterErrorKind.NotFound);
    public static readonly ClusterError KubeConfigInvalid = new(nameof(KubeConfigInvalid), ClusterErrorKind.ConfigurationInvalid);
    public static readonly ClusterError KubeConfigNotFound = new(nameof(KubeConfigNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError ServerCertificateInvalid = new(nameof(ServerCertificateInvalid), ClusterErrorKind.CertificateInvalid);

    // Manifests
    public static readonly ClusterError ManifestFieldConflict = new(nameof(ManifestFieldConflict), ClusterErrorKind.Conflict);
    public static readonly ClusterError ManifestInvalid = new(nameof(ManifestInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError ManifestNotFound = new(nameof(ManifestNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError ManifestWaitTimeout = new(nameof(ManifestWaitTimeout), ClusterErrorKind.Timeout);

    // Network
    public static readonly ClusterError AuxAddressOutsideSubnet = new(nameof(AuxAddressOutsideSubnet), ClusterErrorKind.Invalid);
    public static readonly ClusterError CidrInvalid = new(nameof(CidrInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError DeviceInvalid = new(nameof(DeviceInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError DeviceNotFound = new(nameof(DeviceNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError DeviceNotPersistable = new(nameof(DeviceNotPersistable), ClusterErrorKind.Invalid);
    public static readonly ClusterError EngineNetworkNotFound = new(nameof(EngineNetworkNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError GatewayDuplicate = new(nameof(GatewayDuplicate), ClusterErrorKind.Invalid);
    public static readonly ClusterError GatewayFamilyMismatch = new(nameof(GatewayFamilyMismatch), ClusterErrorKind.Invalid);
    public static readonly ClusterError GatewayNotUsable = new(nameof(GatewayNotUsable), ClusterErrorKind.Invalid);
    public static readonly ClusterError GatewayOutsideSubnet = new(nameof(GatewayOutsideSubnet), ClusterErrorKind.Invalid);
    public static readonly ClusterError IPRangeDuplicate = new(nameof(IPRangeDuplicate), ClusterErrorKind.Invalid);
    public static readonly ClusterError IPRangeOutsideSubnet = new(nameof(IPRangeOutsideSubnet), ClusterErrorKind.Invalid);
    public static readonly ClusterError MetricInvalid = new(nameof(MetricInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError NetworkDriverUnsupported = new(nameof(NetworkDriverUnsupported), ClusterErrorKind.Invalid);
    public static readonly ClusterError NetworkInUse = new(nameof(NetworkInUse), ClusterErrorKind.Conflict);
    public static readonly ClusterError NetworkNameExists = new(nameof(NetworkNameExists), ClusterErrorKind.AlreadyExists);
    public static readonly ClusterError NetworkNameInvalid = new(nameof(NetworkNameInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError ParentInterfaceRequired = new(nameof(ParentInterfaceRequired), ClusterErrorKind.Invalid);
    public static readonly ClusterError RouteAmbiguous = new(nameof(RouteAmbiguous), ClusterErrorKind.Conflict);
    public static readonly ClusterError RouteExists = new(nameof(RouteExists), ClusterErrorKind.AlreadyExists);
    public static readonly ClusterError RouteListFailed = new(nameof(RouteListFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError RouteListUnreadable = new(nameof(RouteListUnreadable), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError RouteNotFound = new(nameof(RouteNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError RouteNotListed = new(nameof(RouteNotListed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError RoutePersistenceUnsupported = new(nameof(RoutePersistenceUnsupported), ClusterErrorKind.Invalid);
    public static readonly ClusterError RouteRejected = new(nameof(RouteRejected), ClusterErrorKind.Invalid);
    public static readonly ClusterError RouteTargetMissing = new(nameof(RouteTargetMissing), ClusterErrorKind.Invalid);
    public static readonly ClusterError SubnetRequired = new(nameof(SubnetRequired), ClusterErrorKind.Invalid);
    public static readonly ClusterError SubnetOverlapsNetwork = new(nameof(SubnetOverlapsNetwork), ClusterErrorKind.Conflict);
    public static readonly ClusterError SubnetOverlapsPodCidr = new(nameof(SubnetOverlapsPodCidr), ClusterErrorKind.Conflict);
    public static readonly ClusterError SubnetsOverlap = new(nameof(SubnetsOverlap), ClusterErrorKind.Conflict);

    // NodeHosts
    public static readonly ClusterError BackupChecksumMismatch = new(nameof(BackupChecksumMismatch), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError BackupExists = new(nameof(BackupExists), ClusterErrorKind.Conflict);
    public static readonly ClusterError CertificateKeyInvalid = new(nameof(CertificateKeyInvalid), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError CertificateKeyMissing = new(nameof(CertificateKeyMissing), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError ClusterCaUnknown = new(nameof(ClusterCaUnknown), ClusterErrorKind.ConfigurationInvalid);
    public static readonly ClusterError ContainerRuntimeMismatch = new(nameof(ContainerRuntimeMismatch), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError ContainerRuntimeNotReady = new(nameof(ContainerRuntimeNotReady), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError ClusterInfoNotFound = new(nameof(ClusterInfoNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError ControlPlaneCertificatesNotFound = new(nameof(ControlPlaneCertificatesNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError ControlPlaneEndpointMissing = new(nameof(ControlPlaneEndpointMissing), ClusterErrorKind.ConfigurationInvalid);
    public static readonly ClusterError ControlPlaneRemovalBlocked = new(nameof(ControlPlaneRemovalBlocked), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError CriDockerdPackageInvalid = new(nameof(CriDockerdPackageInvalid), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError CriDockerdPackageMissing = new(nameof(CriDockerdPackageMissing), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError EngineApiUnsupported = new(nameof(EngineApiUnsupported), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError EngineConfigConflict = new(nameof(EngineConfigConflict), ClusterErrorKind.Conflict);
    public static readonly ClusterError EngineRefused = new(nameof(EngineRefused), ClusterErrorKind.Forbidden);
    public static readonly ClusterError EngineInstallScriptInvalid = new(nameof(EngineInstallScriptInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError EngineInstallScriptUnavailable = new(nameof(EngineInstallScriptUnavailable), ClusterErrorKind.Unreachable);
    public static readonly ClusterError EngineInstallUrlInsecure = new(nameof(EngineInstallUrlInsecure), ClusterErrorKind.Invalid);
    public static readonly ClusterError EngineNetworkConflict = new(nameof(EngineNetworkConflict), ClusterErrorKind.Conflict);
    public static readonly ClusterError EngineNetworkRejected = new(nameof(EngineNetworkRejected), ClusterErrorKind.Invalid);
    public static readonly ClusterError EngineNotAnswering = new(nameof(EngineNotAnswering), ClusterErrorKind.Unreachable);
    public static readonly ClusterError EngineNotRunning = new(nameof(EngineNotRunning), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError EngineResponseTimeout = new(nameof(EngineResponseTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError EngineError = new(nameof(EngineError), ClusterErrorKind.ServerError);
    public static readonly ClusterError EngineUpgradeTimeout = new(nameof(EngineUpgradeTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError EngineVersionMismatch = new(nameof(EngineVersionMismatch), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError EngineVersionUnreadable = new(nameof(EngineVersionUnreadable), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError HostCertificateUnsupported = new(nameof(HostCertificateUnsupported), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError HostSwapEnabled = new(nameof(HostSwapEnabled), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError HostSysctlReadOnly = new(nameof(HostSysctlReadOnly), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError HostKeyChanged = new(nameof(HostKeyChanged), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError HostKeyRevoked = new(nameof(HostKeyRevoked), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError HostKeyUnknown = new(nameof(HostKeyUnknown), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError KnownHostsLocked = new(nameof(KnownHostsLocked), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError KnownHostsUnavailable = new(nameof(KnownHostsUnavailable), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError KubeletPortInUse = new(nameof(KubeletPortInUse), ClusterErrorKind.Conflict);
    public static readonly ClusterError KubeadmConfigNotFound = new(nameof(KubeadmConfigNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError KubeadmJoinFailed = new(nameof(KubeadmJoinFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError KubeadmTooOld = new(nameof(KubeadmTooOld), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError KubeadmVersionUnknown = new(nameof(KubeadmVersionUnknown), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError LocalWriteFailed = new(nameof(LocalWriteFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError NodeAccessRecordInvalid = new(nameof(NodeAccessRecordInvalid), ClusterErrorKind.ConfigurationInvalid);
    public static readonly ClusterError NodeCommandFailed = new(nameof(NodeCommandFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError NodeConnectionLost = new(nameof(NodeConnectionLost), ClusterErrorKind.Unreachable);
    public static readonly ClusterError NodeCommandTimeout = new(nameof(NodeCommandTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError NodeHostAccessMissing = new(nameof(NodeHostAccessMissing), ClusterErrorKind.ConfigurationInvalid);
    public static readonly ClusterError NodeReadinessTimeout = new(nameof(NodeReadinessTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError NodeResponseTimeout = new(nameof(NodeResponseTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError NodeServiceFailed = new(nameof(NodeServiceFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError NodeServiceNotFound = new(nameof(NodeServiceNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError NodeUnreachable = new(nameof(NodeUnreachable), ClusterErrorKind.Unreachable);
    public static readonly ClusterError OperatingSystemUnsupported = new(nameof(OperatingSystemUnsupported), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError PackageDownloadFailed = new(nameof(PackageDownloadFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError PackageInstallFailed = new(nameof(PackageInstallFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError PackageLockBusy = new(nameof(PackageLockBusy), ClusterErrorKind.Timeout);
    public static readonly ClusterError PackageNameInvalid = new(nameof(PackageNameInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError PackageNotAvailable = new(nameof(PackageNotAvailable), ClusterErrorKind.NotFound);
    public static readonly ClusterError PackageVersionInvalid = new(nameof(PackageVersionInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError PackageVersionNotAvailable = new(nameof(PackageVersionNotAvailable), ClusterErrorKind.NotFound);
    public static readonly ClusterError ServiceNameInvalid = new(nameof(ServiceNameInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError SshAuthenticationFailed = new(nameof(SshAuthenticationFailed), ClusterErrorKind.Unauthorized);
    public static readonly ClusterError SshCredentialMissing = new(nameof(SshCredentialMissing), ClusterErrorKind.ConfigurationInvalid);
    public static readonly ClusterError SshFailed = new(nameof(SshFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError SshKeyUnreadable = new(nameof(SshKeyUnreadable), ClusterErrorKind.ConfigurationInvalid);
    public static readonly ClusterError SudoPasswordRequired = new(nameof(SudoPasswordRequired), ClusterErrorKind.Forbidden);
    public static readonly ClusterError SystemctlFailed = new(nameof(SystemctlFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError SystemdMissing = new(nameof(SystemdMissing), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError TaintInvalid = new(nameof(TaintInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError KubeadmUpgradeFailed = new(nameof(KubeadmUpgradeFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError KubeletStartFailed = new(nameof(KubeletStartFailed), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError KubernetesUpgradeBlocked = new(nameof(KubernetesUpgradeBlocked), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError KubernetesUpgradeSkipsMinor = new(nameof(KubernetesUpgradeSkipsMinor), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError KubernetesUpgradeTimeout = new(nameof(KubernetesUpgradeTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError KubernetesVersionInvalid = new(nameof(KubernetesVersionInvalid), ClusterErrorKind.InvalidArgument);

    // Nodes
    public static readonly ClusterError DrainBlocked = new(nameof(DrainBlocked), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError DrainInterrupted = new(nameof(DrainInterrupted), ClusterErrorKind.Unreachable);
    public static readonly ClusterError DrainIncomplete = new(nameof(DrainIncomplete), ClusterErrorKind.OperationFailed);
    public static readonly ClusterError LabelKeyInvalid = new(nameof(LabelKeyInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError LabelValueInvalid = new(nameof(LabelValueInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError NodeAlreadyExists = new(nameof(NodeAlreadyExists), ClusterErrorKind.AlreadyExists);
    public static readonly ClusterError NodeNameInvalid = new(nameof(NodeNameInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError PodNotScheduled = new(nameof(PodNotScheduled), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError RoleInvalid = new(nameof(RoleInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError TaintKeyInvalid = new(nameof(TaintKeyInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError TaintValueInvalid = new(nameof(TaintValueInvalid), ClusterErrorKind.Invalid);

    // Rollout
    public static readonly ClusterError MaxUnavailableInvalid = new(nameof(MaxUnavailableInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError RolloutItemTimeout = new(nameof(RolloutItemTimeout), ClusterErrorKind.Timeout);

    // Storage
    public static readonly ClusterError ClaimClassMissing = new(nameof(ClaimClassMissing), ClusterErrorKind.Invalid);
    public static readonly ClusterError ClaimNotBound = new(nameof(ClaimNotBound), ClusterErrorKind.Invalid);
    public static readonly ClusterError ClaimShrinkNotSupported = new(nameof(ClaimShrinkNotSupported), ClusterErrorKind.Invalid);
    public static readonly ClusterError ClaimWithoutClass = new(nameof(ClaimWithoutClass), ClusterErrorKind.Invalid);
    public static readonly ClusterError CsiDriverAmbiguous = new(nameof(CsiDriverAmbiguous), ClusterErrorKind.Invalid);
    public static readonly ClusterError CsiDriverNotInManifests = new(nameof(CsiDriverNotInManifests), ClusterErrorKind.Invalid);
    public static readonly ClusterError CsiVolumeClaimInUse = new(nameof(CsiVolumeClaimInUse), ClusterErrorKind.Conflict);
    public static readonly ClusterError CsiVolumeClaimNotFound = new(nameof(CsiVolumeClaimNotFound), ClusterErrorKind.NotFound);
    public static readonly ClusterError CsiVolumeClaimWaitTimeout = new(nameof(CsiVolumeClaimWaitTimeout), ClusterErrorKind.Timeout);
    public static readonly ClusterError QuantityInvalid = new(nameof(QuantityInvalid), ClusterErrorKind.Invalid);
    public static readonly ClusterError StorageClassExpansionNotAllowed = new(nameof(StorageClassExpansionNotAllowed), ClusterErrorKind.Invalid);
    public static readonly ClusterError StorageClassFieldImmutable = new(nameof(StorageClassFieldImmutable), ClusterErrorKind.InvalidArgument);
    public static readonly ClusterError StorageClassInUse = new(nameof(StorageClassInUse), ClusterErrorKind.Conflict);
    public static readonly ClusterError StorageClassNotFound = new(nameof(StorageClassNotFound), ClusterErrorKind.NotFound);
}
