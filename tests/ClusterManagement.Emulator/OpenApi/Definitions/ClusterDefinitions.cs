namespace ClusterManagement.Emulator.OpenApi.Definitions;

/// <summary>policy, storage, RBAC, certificates, networking, coordination and scheduling kinds the emulator serves, from the Kubernetes API reference.</summary>
public static class ClusterDefinitions
{
    public const string Text = """
        package io.k8s.api.policy.v1
        PodDisruptionBudget kind=policy/v1 | PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods
          spec PodDisruptionBudgetSpec | Specification of the desired behavior of the PodDisruptionBudget.
          status PodDisruptionBudgetStatus | Most recently observed status of the PodDisruptionBudget.
        PodDisruptionBudgetSpec | PodDisruptionBudgetSpec is a description of a PodDisruptionBudget.
          minAvailable intstr | An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction.
          selector LabelSelector strategy=replace | Label query over pods whose evictions are managed by the disruption budget.
          maxUnavailable intstr | An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction.
          unhealthyPodEvictionPolicy string | UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction.
        PodDisruptionBudgetStatus | PodDisruptionBudgetStatus represents information about the status of a PodDisruptionBudget.
          observedGeneration int64 | Most recent generation observed when updating this PDB status.
          disruptedPods {}time | DisruptedPods contains information about pods whose eviction was processed by the API server eviction subresource handler but has not yet been observed by the PodDisruptionBudget controller.
          disruptionsAllowed int32 required | Number of pod disruptions that are currently allowed.
          currentHealthy int32 required | current number of healthy pods
          desiredHealthy int32 required | minimum desired number of healthy pods
          expectedPods int32 required | total number of pods counted by this disruption budget
          conditions []Condition merge=type strategy=merge | Conditions contain conditions for PDB. The disruption controller sets the DisruptionAllowed condition.

        package io.k8s.api.storage.v1
        StorageClass kind=storage.k8s.io/v1 | StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned.
          provisioner string required | provisioner indicates the type of the provisioner.
          parameters {}string | parameters holds the parameters for the provisioner that should create volumes of this storage class.
          reclaimPolicy string | reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.
          mountOptions []string | mountOptions controls the mountOptions for dynamically provisioned PersistentVolumes of this storage class.
          allowVolumeExpansion boolean | allowVolumeExpansion shows whether the storage class allow volume expand.
          volumeBindingMode string | volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used.
          allowedTopologies []TopologySelectorTerm | allowedTopologies restrict the node topologies where volumes can be dynamically provisioned.
        CSIDriver kind=storage.k8s.io/v1 | CSIDriver captures information about a Container Storage Interface (CSI) volume driver deployed on the cluster.
          spec CSIDriverSpec required | spec represents the specification of the CSI Driver.
        CSIDriverSpec | CSIDriverSpec is the specification of a CSIDriver.
          attachRequired boolean | attachRequired indicates this CSI volume driver requires an attach operation.
          podInfoOnMount boolean | podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations.
          volumeLifecycleModes []string | volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.
          storageCapacity boolean | storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report.
          fsGroupPolicy string | fsGroupPolicy defines if the underlying volume supports changing ownership and permission of the volume before being mounted.
          tokenRequests []TokenRequest | tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication.
          requiresRepublish boolean | requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume.
          seLinuxMount boolean | seLinuxMount specifies if the CSI driver supports "-o context" mount option.
        TokenRequest | TokenRequest contains parameters of a service account token.
          audience string required | audience is the intended audience of the token in "TokenRequestSpec".
          expirationSeconds int64 | expirationSeconds is the duration of validity of the token in "TokenRequestSpec".

        package io.k8s.api.core.v1
        TopologySelectorTerm | A topology selector term represents the result of label queries.
          matchLabelExpressions []TopologySelectorLabelRequirement | A list of topology selector requirements by labels.
        TopologySelectorLabelRequirement | A topology selector requirement is a selector that matches given label.
          key string required | The label key that the selector applies to.
          values []string required | An array of string values. One value must match the label to be selected.

        package io.k8s.api.rbac.v1
        ClusterRole kind=rbac.authorization.k8s.io/v1 | ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.
          rules []PolicyRule | Rules holds all the PolicyRules for this ClusterRole
          aggregationRule AggregationRule | AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.
        Role kind=rbac.authorization.k8s.io/v1 | Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.
          rules []PolicyRule | Rules holds all the PolicyRules for this Role
        PolicyRule | PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.
          verbs []string required | Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs.
          apiGroups []string | APIGroups is the name of the APIGroup that contains the resources.
          resources []string | Resources is a list of resources this rule applies to. '*' represents all resources.
          resourceNames []string | ResourceNames is an optional white list of names that the rule applies to.
          nonResourceURLs []string | NonResourceURLs is a set of partial urls that a user should have access to.
        AggregationRule | AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole
          clusterRoleSelectors []LabelSelector | ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules.
        ClusterRoleBinding kind=rbac.authorization.k8s.io/v1 | ClusterRoleBinding references a ClusterRole, but not contain it.
          subjects []Subject | Subjects holds references to the objects the role applies to.
          roleRef RoleRef required | RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.
        RoleBinding kind=rbac.authorization.k8s.io/v1 | RoleBinding references a role, but does not contain it.
          subjects []Subject | Subjects holds references to the objects the role applies to.
          roleRef RoleRef required | RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. This field is immutable.
        Subject | Subject contains a reference to the object or user identities a role binding applies to.
          kind string required | Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".
          apiGroup string | APIGroup holds the API group of the referenced subject.
          name string required | Name of the object being referenced.
          namespace string | Namespace of the referenced object.
        RoleRef | RoleRef contains information that points to the role being used
          apiGroup string required | APIGroup is the group for the resource being referenced
          kind string required | Kind is the type of resource being referenced
          name string required | Name is the name of resource being referenced

        package io.k8s.api.certificates.v1
        CertificateSigningRequest kind=certificates.k8s.io/v1 | CertificateSigningRequest objects provide a mechanism to obtain x509 certificates by submitting a certificate signing request, and having it asynchronously approved and issued.
          spec CertificateSigningRequestSpec required | spec contains the certificate request, and is immutable after creation.
          status CertificateSigningRequestStatus | status contains information about whether the request is approved or denied, and the certificate issued by the signer, or the failure condition indicating signer failure.
        CertificateSigningRequestSpec | CertificateSigningRequestSpec contains the certificate request.
          request bytes required | request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" PEM block.
          signerName string required | signerName indicates the requested signer, and is a qualified name.
          expirationSeconds int32 | expirationSeconds is the requested duration of validity of the issued certificate.
          usages []string | usages specifies a set of key usages requested in the issued certificate.
          username string | username contains the name of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.
          uid string | uid contains the uid of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.
          groups []string | groups contains group membership of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.
          extra {}[]string | extra contains extra attributes of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.
        CertificateSigningRequestStatus | CertificateSigningRequestStatus contains conditions used to indicate approved/denied/failed status of the request, and the issued certificate.
          conditions []CertificateSigningRequestCondition | conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".
          certificate bytes | certificate is populated with an issued certificate by the signer after an Approved condition is present.
        CertificateSigningRequestCondition | CertificateSigningRequestCondition describes a condition of a CertificateSigningRequest object
          type string required | type of the condition. Known conditions are "Approved", "Denied", and "Failed".
          status string required | status of the condition, one of True, False, Unknown.
          reason string | reason indicates a brief reason for the request state
          message string | message contains a human readable message with details about the request state
          lastUpdateTime time | lastUpdateTime is the time of the last update to this condition
          lastTransitionTime time | lastTransitionTime is the time the condition last transitioned from one status to another.

        package io.k8s.api.networking.v1
        ServiceCIDR kind=networking.k8s.io/v1 | ServiceCIDR defines a range of IP addresses using CIDR format (e.g. 192.168.0.0/24 or 2001:db2::/64).
          spec ServiceCIDRSpec | spec is the desired state of the ServiceCIDR.
          status ServiceCIDRStatus | status represents the current state of the ServiceCIDR.
        ServiceCIDRSpec | ServiceCIDRSpec define the CIDRs the user wants to use for allocating ClusterIPs for Services.
          cidrs []string | CIDRs defines the IP blocks in CIDR notation (e.g. "192.168.0.0/24" or "2001:db8::/64") from which to assign service cluster IPs.
        ServiceCIDRStatus | ServiceCIDRStatus describes the current state of the ServiceCIDR.
          conditions []Condition merge=type strategy=merge | conditions holds an array of metav1.Condition that describe the state of the ServiceCIDR.
        package io.k8s.api.coordination.v1
        Lease kind=coordination.k8s.io/v1 | Lease defines a lease concept.
          spec LeaseSpec | spec contains the specification of the Lease.
        LeaseSpec | LeaseSpec is a specification of a Lease.
          holderIdentity string | holderIdentity contains the identity of the holder of a current lease.
          leaseDurationSeconds int32 | leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.
          acquireTime microtime | acquireTime is a time when the current lease was acquired.
          renewTime microtime | renewTime is a time when the current holder of a lease has last updated the lease.
          leaseTransitions int32 | leaseTransitions is the number of transitions of a lease between holders.
          strategy string | Strategy indicates the strategy for picking the leader for coordinated leader election. (Alpha) Using this field requires the CoordinatedLeaderElection feature gate to be enabled.
          preferredHolder string | PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up. This field can only be set if Strategy is also set.

        package io.k8s.api.scheduling.v1
        PriorityClass kind=scheduling.k8s.io/v1 | PriorityClass defines mapping from a priority class name to the priority integer value. The value can be any valid integer.
          value int32 required | value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.
          globalDefault boolean | globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.
          description string | description is an arbitrary string that usually provides guidelines on when this priority class should be used.
          preemptionPolicy string | preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.
        """;
}
