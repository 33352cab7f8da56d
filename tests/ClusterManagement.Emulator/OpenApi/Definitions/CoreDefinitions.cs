namespace ClusterManagement.Emulator.OpenApi.Definitions;

/// <summary>
/// core/v1 kinds the emulator serves and the structures under them, from the Kubernetes API reference.
/// Volume sources and fields no test world component reads are <c>object</c>: known, kept, unchecked.
/// </summary>
public static class CoreDefinitions
{
    public const string Text = """
        package io.k8s.api.core.v1
        Namespace kind=v1 | Namespace provides a scope for Names. Use of multiple namespaces is optional.
          spec NamespaceSpec | Spec defines the behavior of the Namespace.
          status NamespaceStatus | Status describes the current status of a Namespace.
        NamespaceSpec | NamespaceSpec describes the attributes on a Namespace.
          finalizers []string | Finalizers is an opaque list of values that must be empty to permanently remove object from storage.
        NamespaceStatus | NamespaceStatus is information about the current status of a Namespace.
          phase string | Phase is the current lifecycle phase of the namespace.
          conditions []NamespaceCondition merge=type strategy=merge | Represents the latest available observations of a namespace's current state.
        NamespaceCondition | NamespaceCondition contains details about state of namespace.
          type string required | Type of namespace controller condition.
          status string required | Status of the condition, one of True, False, Unknown.
          lastTransitionTime time | Last time the condition transitioned from one status to another.
          reason string | Unique, one-word, CamelCase reason for the condition's last transition.
          message string | Human-readable message indicating details about last transition.

        Node kind=v1 | Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).
          spec NodeSpec | Spec defines the behavior of a node.
          status NodeStatus | Most recently observed status of the node. Populated by the system. Read-only.
        NodeSpec | NodeSpec describes the attributes that a node is created with.
          podCIDR string | PodCIDR represents the pod IP range assigned to the node.
          podCIDRs []string strategy=merge | podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node.
          providerID string | ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>
          unschedulable boolean | Unschedulable controls node schedulability of new pods. By default, node is schedulable.
          taints []Taint | If specified, the node's taints.
          configSource object | Deprecated: Previously used to specify the source of the node's configuration for the DynamicKubeletConfig feature.
          externalID string | Deprecated. Not all kubelets will set this field.
        Taint | The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.
          key string required | Required. The taint key to be applied to a node.
          value string | The taint value corresponding to the taint key.
          effect string required | Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.
          timeAdded time | TimeAdded represents the time at which the taint was added.
        NodeStatus | NodeStatus is information about the current status of a node.
          capacity {}quantity | Capacity represents the total resources of a node.
          allocatable {}quantity | Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.
          phase string | NodePhase is the recently observed lifecycle phase of the node.
          conditions []NodeCondition merge=type strategy=merge | Conditions is an array of current observed node conditions.
          addresses []NodeAddress merge=type strategy=merge | List of addresses reachable to the node.
          daemonEndpoints NodeDaemonEndpoints | Endpoints of daemons running on the Node.
          nodeInfo NodeSystemInfo | Set of ids/uuids to uniquely identify the node.
          images []ContainerImage | List of container images on this node
          volumesInUse []string | List of attachable volumes in use (mounted) by the node.
          volumesAttached []AttachedVolume | List of volumes that are attached to the node.
          config object | Status of the config assigned to the node via the dynamic Kubelet config feature.
          runtimeHandlers []object | The available runtime handlers.
          features object | Features describes the set of features implemented by the CRI implementation.
        NodeCondition | NodeCondition contains condition information for a node.
          type string required | Type of node condition.
          status string required | Status of the condition, one of True, False, Unknown.
          lastHeartbeatTime time | Last time we got an update on a given condition.
          lastTransitionTime time | Last time the condition transit from one status to another.
          reason string | (brief) reason for the condition's last transition.
          message string | Human readable message indicating details about last transition.
        NodeAddress | NodeAddress contains information for the node's address.
          type string required | Node address type, one of Hostname, ExternalIP or InternalIP.
          address string required | The node address.
        NodeDaemonEndpoints | NodeDaemonEndpoints lists ports opened by daemons running on the Node.
          kubeletEndpoint DaemonEndpoint | Endpoint on which Kubelet is listening.
        DaemonEndpoint | DaemonEndpoint contains information about a single Daemon endpoint.
          Port int32 required | Port number of the given endpoint.
        NodeSystemInfo | NodeSystemInfo is a set of ids/uuids to uniquely identify the node.
          machineID string required | MachineID reported by the node.
          systemUUID string required | SystemUUID reported by the node.
          bootID string required | Boot ID reported by the node.
          kernelVersion string required | Kernel Version reported by the node from 'uname -r'.
          osImage string required | OS Image reported by the node from /etc/os-release.
          containerRuntimeVersion string required | ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).
          kubeletVersion string required | Kubelet Version reported by the node.
          kubeProxyVersion string required | Deprecated: KubeProxy Version reported by the node.
          operatingSystem string required | The Operating System reported by the node
          architecture string required | The Architecture reported by the node
        ContainerImage | Describe a container image
          names []string | Names by which this image is known.
          sizeBytes int64 | The size of the image in bytes.
        AttachedVolume | AttachedVolume describes a volume attached to a node
          name string required | Name of the attached volume
          devicePath string required | DevicePath represents the device path where the volume should be available

        Pod kind=v1 | Pod is a collection of containers that can run on a host.
          spec PodSpec | Specification of the desired behavior of the pod.
          status PodStatus | Most recently observed status of the pod.
        PodTemplateSpec | PodTemplateSpec describes the data a pod should have when created from a template
          metadata ObjectMeta | Standard object's metadata.
          spec PodSpec | Specification of the desired behavior of the pod.
        PodSpec | PodSpec is a description of a pod.
          volumes []Volume merge=name strategy=merge,retainKeys | List of volumes that can be mounted by containers belonging to the pod.
          initContainers []Container merge=name strategy=merge | List of initialization containers belonging to the pod.
          containers []Container required merge=name strategy=merge | List of containers belonging to the pod. There must be at least one container in a Pod. Cannot be updated.
          ephemeralContainers []object merge=name strategy=merge | List of ephemeral containers run in this pod.
          restartPolicy string | Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.
          terminationGracePeriodSeconds int64 | Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.
          activeDeadlineSeconds int64 | Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.
          dnsPolicy string | Set DNS policy for the pod. Defaults to "ClusterFirst".
          nodeSelector {}string | NodeSelector is a selector which must be true for the pod to fit on a node.
          serviceAccountName string | ServiceAccountName is the name of the ServiceAccount to use to run this pod.
          serviceAccount string | DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.
          automountServiceAccountToken boolean | AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.
          nodeName string | NodeName indicates in which node this pod is scheduled.
          hostNetwork boolean | Host networking requested for this pod. Default to false.
          hostPID boolean | Use the host's pid namespace. Optional: Default to false.
          hostIPC boolean | Use the host's ipc namespace. Optional: Default to false.
          shareProcessNamespace boolean | Share a single process namespace between all of the containers in a pod.
          securityContext PodSecurityContext | SecurityContext holds pod-level security attributes and common container settings.
          imagePullSecrets []LocalObjectReference merge=name strategy=merge | ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.
          hostname string | Specifies the hostname of the Pod. If not specified, the pod's hostname will be set to a system-defined value.
          subdomain string | If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".
          affinity Affinity | If specified, the pod's scheduling constraints
          schedulerName string | If specified, the pod will be dispatched by specified scheduler.
          tolerations []Toleration | If specified, the pod's tolerations.
          hostAliases []HostAlias merge=ip strategy=merge | HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.
          priorityClassName string | If specified, indicates the pod's priority.
          priority int32 | The priority value. Various system components use this field to find the priority of the pod.
          dnsConfig PodDNSConfig | Specifies the DNS parameters of a pod.
          readinessGates []PodReadinessGate | If specified, all readiness gates will be evaluated for pod readiness.
          runtimeClassName string | RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.
          enableServiceLinks boolean | EnableServiceLinks indicates whether information about services should be injected into pod's environment variables.
          preemptionPolicy string | PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority.
          overhead {}quantity | Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.
          topologySpreadConstraints []TopologySpreadConstraint merge=topologyKey strategy=merge | TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.
          setHostnameAsFQDN boolean | If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default).
          os PodOS | Specifies the OS of the containers in the pod.
          hostUsers boolean | Use the host's user namespace. Optional: Default to true.
          schedulingGates []PodSchedulingGate merge=name strategy=merge | SchedulingGates is an opaque list of values that if specified will block scheduling the pod.
          resourceClaims []object merge=name strategy=merge,retainKeys | ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.
          resources ResourceRequirements | Resources is the total amount of CPU and Memory resources required by all containers in the pod.
        Container | A single application container that you want to run within a pod.
          name string required | Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.
          image string | Container image name.
          command []string | Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided.
          args []string | Arguments to the entrypoint. The container image's CMD is used if this is not provided.
          workingDir string | Container's working directory.
          ports []ContainerPort merge=containerPort strategy=merge | List of ports to expose from the container.
          envFrom []EnvFromSource | List of sources to populate environment variables in the container.
          env []EnvVar merge=name strategy=merge | List of environment variables to set in the container. Cannot be updated.
          resources ResourceRequirements | Compute Resources required by this container.
          resizePolicy []object | Resources resize policy for the container.
          restartPolicy string | RestartPolicy defines the restart behavior of individual containers in a pod.
          volumeMounts []VolumeMount merge=mountPath strategy=merge | Pod volumes to mount into the container's filesystem. Cannot be updated.
          volumeDevices []VolumeDevice merge=devicePath strategy=merge | volumeDevices is the list of block devices to be used by the container.
          livenessProbe Probe | Periodic probe of container liveness. Container will be restarted if the probe fails.
          readinessProbe Probe | Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails.
          startupProbe Probe | StartupProbe indicates that the Pod has successfully initialized.
          lifecycle Lifecycle | Actions that the management system should take in response to container lifecycle events. Cannot be updated.
          terminationMessagePath string | Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem.
          terminationMessagePolicy string | Indicate how the termination message should be populated.
          imagePullPolicy string | Image pull policy. One of Always, Never, IfNotPresent.
          securityContext SecurityContext | SecurityContext defines the security options the container should be run with.
          stdin boolean | Whether this container should allocate a buffer for stdin in the container runtime.
          stdinOnce boolean | Whether the container runtime should close the stdin channel after it has been opened by a single attach.
          tty boolean | Whether this container should allocate a TTY for itself, also requires 'stdin' to be true.
        ContainerPort | ContainerPort represents a network port in a single container.
          name string | If specified, this must be an IANA_SVC_NAME and unique within the pod.
          hostPort int32 | Number of port to expose on the host.
          containerPort int32 required | Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.
          protocol string | Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".
          hostIP string | What host IP to bind the external port to.
        EnvVar | EnvVar represents an environment variable present in a Container.
          name string required | Name of the environment variable.
          value string | Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables.
          valueFrom EnvVarSource | Source for the environment variable's value. Cannot be used if value is not empty.
        EnvVarSource | EnvVarSource represents a source for the value of an EnvVar.
          fieldRef ObjectFieldSelector | Selects a field of the pod.
          resourceFieldRef ResourceFieldSelector | Selects a resource of the container.
          configMapKeyRef ConfigMapKeySelector | Selects a key of a ConfigMap.
          secretKeyRef SecretKeySelector | Selects a key of a secret in the pod's namespace
        ObjectFieldSelector | ObjectFieldSelector selects an APIVersioned field of an object.
          apiVersion string | Version of the schema the FieldPath is written in terms of, defaults to "v1".
          fieldPath string required | Path of the field to select in the specified API version.
        ResourceFieldSelector | ResourceFieldSelector represents container resources (cpu, memory) and their output format
          containerName string | Container name: required for volumes, optional for env vars
          resource string required | Required: resource to select
          divisor quantity | Specifies the output format of the exposed resources, defaults to "1"
        ConfigMapKeySelector | Selects a key from a ConfigMap.
          name string | Name of the referent.
          key string required | The key to select.
          optional boolean | Specify whether the ConfigMap or its key must be defined
        SecretKeySelector | SecretKeySelector selects a key of a Secret.
          name string | Name of the referent.
          key string required | The key of the secret to select from. Must be a valid secret key.
          optional boolean | Specify whether the Secret or its key must be defined
        EnvFromSource | EnvFromSource represents the source of a set of ConfigMaps or Secrets
          prefix string | Optional text to prepend to the name of each environment variable.
          configMapRef ConfigMapEnvSource | The ConfigMap to select from
          secretRef SecretEnvSource | The Secret to select from
        ConfigMapEnvSource | ConfigMapEnvSource selects a ConfigMap to populate the environment variables with.
          name string | Name of the referent.
          optional boolean | Specify whether the ConfigMap must be defined
        SecretEnvSource | SecretEnvSource selects a Secret to populate the environment variables with.
          name string | Name of the referent.
          optional boolean | Specify whether the Secret must be defined
        ResourceRequirements | ResourceRequirements describes the compute resource requirements.
          limits {}quantity | Limits describes the maximum amount of compute resources allowed.
          requests {}quantity | Requests describes the minimum amount of compute resources required.
          claims []object | Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.
        VolumeMount | VolumeMount describes a mounting of a Volume within a container.
          name string required | This must match the Name of a Volume.
          readOnly boolean | Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.
          recursiveReadOnly string | RecursiveReadOnly specifies whether read-only mounts should be handled recursively.
          mountPath string required | Path within the container at which the volume should be mounted. Must not contain ':'.
          subPath string | Path within the volume from which the container's volume should be mounted.
          mountPropagation string | mountPropagation determines how mounts are propagated from the host to container and the other way around.
          subPathExpr string | Expanded path within the volume from which the container's volume should be mounted.
        VolumeDevice | volumeDevice describes a mapping of a raw block device within a container.
          name string required | name must match the name of a persistentVolumeClaim in the pod
          devicePath string required | devicePath is the path inside of the container that the device will be mapped to.
        Probe | Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.
          exec ExecAction | Exec specifies a command to execute in the container.
          httpGet HTTPGetAction | HTTPGet specifies an HTTP GET request to perform.
          tcpSocket TCPSocketAction | TCPSocket specifies a connection to a TCP port.
          grpc GRPCAction | GRPC specifies a GRPC HealthCheckRequest.
          initialDelaySeconds int32 | Number of seconds after the container has started before liveness probes are initiated.
          timeoutSeconds int32 | Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1.
          periodSeconds int32 | How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.
          successThreshold int32 | Minimum consecutive successes for the probe to be considered successful after having failed.
          failureThreshold int32 | Minimum consecutive failures for the probe to be considered failed after having succeeded.
          terminationGracePeriodSeconds int64 | Optional duration in seconds the pod needs to terminate gracefully upon probe failure.
        ExecAction | ExecAction describes a "run in container" action.
          command []string | Command is the command line to execute inside the container.
        HTTPGetAction | HTTPGetAction describes an action based on HTTP Get requests.
          path string | Path to access on the HTTP server.
          port intstr required | Name or number of the port to access on the container.
          host string | Host name to connect to, defaults to the pod IP.
          scheme string | Scheme to use for connecting to the host. Defaults to HTTP.
          httpHeaders []HTTPHeader | Custom headers to set in the request. HTTP allows repeated headers.
        HTTPHeader | HTTPHeader describes a custom header to be used in HTTP probes
          name string required | The header field name.
          value string required | The header field value
        TCPSocketAction | TCPSocketAction describes an action based on opening a socket
          port intstr required | Number or name of the port to access on the container.
          host string | Optional: Host name to connect to, defaults to the pod IP.
        GRPCAction | GRPCAction specifies an action involving a GRPC service.
          port int32 required | Port number of the gRPC service. Number must be in the range 1 to 65535.
          service string | Service is the name of the service to place in the gRPC HealthCheckRequest.
        Lifecycle | Lifecycle describes actions that the management system should take in response to container lifecycle events.
          postStart LifecycleHandler | PostStart is called immediately after a container is created.
          preStop LifecycleHandler | PreStop is called immediately before a container is terminated.
        LifecycleHandler | LifecycleHandler defines a specific action that should be taken in a lifecycle hook.
          exec ExecAction | Exec specifies a command to execute in the container.
          httpGet HTTPGetAction | HTTPGet specifies an HTTP GET request to perform.
          tcpSocket TCPSocketAction | Deprecated. TCPSocket is NOT supported as a LifecycleHandler and kept for backward compatibility.
          sleep SleepAction | Sleep represents a duration that the container should sleep.
        SleepAction | SleepAction describes a "sleep" action.
          seconds int64 required | Seconds is the number of seconds to sleep.
        SecurityContext | SecurityContext holds security configuration that will be applied to a container.
          capabilities Capabilities | The capabilities to add/drop when running containers.
          privileged boolean | Run container in privileged mode. Defaults to false.
          seLinuxOptions object | The SELinux context to be applied to the container.
          windowsOptions object | The Windows specific settings applied to all containers.
          runAsUser int64 | The UID to run the entrypoint of the container process.
          runAsGroup int64 | The GID to run the entrypoint of the container process.
          runAsNonRoot boolean | Indicates that the container must run as a non-root user.
          readOnlyRootFilesystem boolean | Whether this container has a read-only root filesystem. Default is false.
          allowPrivilegeEscalation boolean | AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process.
          procMount string | procMount denotes the type of proc mount to use for the containers.
          seccompProfile SeccompProfile | The seccomp options to use by this container.
          appArmorProfile object | appArmorProfile is the AppArmor options to use by this container.
        Capabilities | Adds and removes POSIX capabilities from running containers.
          add []string | Added capabilities
          drop []string | Removed capabilities
        SeccompProfile | SeccompProfile defines a pod/container's seccomp profile settings.
          type string required | type indicates which kind of seccomp profile will be applied. One of Localhost, RuntimeDefault, Unconfined.
          localhostProfile string | localhostProfile indicates a profile defined in a file on the node should be used.
        PodSecurityContext | PodSecurityContext holds pod-level security attributes and common container settings.
          seLinuxOptions object | The SELinux context to be applied to all containers.
          windowsOptions object | The Windows specific settings applied to all containers.
          runAsUser int64 | The UID to run the entrypoint of the container process.
          runAsGroup int64 | The GID to run the entrypoint of the container process.
          runAsNonRoot boolean | Indicates that the container must run as a non-root user.
          supplementalGroups []int64 | A list of groups applied to the first process run in each container.
          supplementalGroupsPolicy string | Defines how supplemental groups of the first container processes are calculated.
          fsGroup int64 | A special supplemental group that applies to all containers in a pod.
          sysctls []object | Sysctls hold a list of namespaced sysctls used for the pod.
          fsGroupChangePolicy string | fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod.
          seccompProfile SeccompProfile | The seccomp options to use by the containers in this pod.
          appArmorProfile object | appArmorProfile is the AppArmor options to use by the containers in this pod.
          seLinuxChangePolicy string | seLinuxChangePolicy defines how the container's SELinux label is applied to all volumes used by the Pod.
        Affinity | Affinity is a group of affinity scheduling rules.
          nodeAffinity NodeAffinity | Describes node affinity scheduling rules for the pod.
          podAffinity PodAffinity | Describes pod affinity scheduling rules.
          podAntiAffinity PodAntiAffinity | Describes pod anti-affinity scheduling rules.
        NodeAffinity | Node affinity is a group of node affinity scheduling rules.
          requiredDuringSchedulingIgnoredDuringExecution NodeSelector | If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.
          preferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm | The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field.
        NodeSelector | A node selector represents the union of the results of one or more label queries over a set of nodes.
          nodeSelectorTerms []NodeSelectorTerm required | Required. A list of node selector terms. The terms are ORed.
        NodeSelectorTerm | A null or empty node selector term matches no objects. The requirements of them are ANDed.
          matchExpressions []NodeSelectorRequirement | A list of node selector requirements by node's labels.
          matchFields []NodeSelectorRequirement | A list of node selector requirements by node's fields.
        NodeSelectorRequirement | A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values.
          key string required | The label key that the selector applies to.
          operator string required | Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt.
          values []string | An array of string values.
        PreferredSchedulingTerm | An empty preferred scheduling term matches all objects with implicit weight 0.
          weight int32 required | Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.
          preference NodeSelectorTerm required | A node selector term, associated with the corresponding weight.
        PodAffinity | Pod affinity is a group of inter pod affinity scheduling rules.
          requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm | If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.
          preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm | The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field.
        PodAntiAffinity | Pod anti affinity is a group of inter pod anti affinity scheduling rules.
          requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm | If the anti-affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.
          preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm | The scheduler will prefer to schedule pods to nodes that satisfy the anti-affinity expressions specified by this field.
        PodAffinityTerm | Defines a set of pods that this pod should be co-located (affinity) or not co-located (anti-affinity) with.
          labelSelector LabelSelector | A label query over a set of resources, in this case pods.
          namespaceSelector LabelSelector | A label query over the set of namespaces that the term applies to.
          namespaces []string | namespaces specifies a static list of namespace names that the term applies to.
          topologyKey string required | This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces.
          matchLabelKeys []string | MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.
          mismatchLabelKeys []string | MismatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.
        WeightedPodAffinityTerm | The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s)
          weight int32 required | weight associated with matching the corresponding podAffinityTerm, in the range 1-100.
          podAffinityTerm PodAffinityTerm required | Required. A pod affinity term, associated with the corresponding weight.
        Toleration | The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.
          key string | Key is the taint key that the toleration applies to. Empty means match all taint keys.
          operator string | Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal.
          value string | Value is the taint value the toleration matches to.
          effect string | Effect indicates the taint effect to match. Empty means match all taint effects.
          tolerationSeconds int64 | TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute) tolerates the taint.
        HostAlias | HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod's hosts file.
          ip string required | IP address of the host file entry.
          hostnames []string | Hostnames for the above IP address.
        PodDNSConfig | PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.
          nameservers []string | A list of DNS name server IP addresses.
          searches []string | A list of DNS search domains for host-name lookup.
          options []object | A list of DNS resolver options.
        PodReadinessGate | PodReadinessGate contains the reference to a pod condition
          conditionType string required | ConditionType refers to a condition in the pod's condition list with matching type.
        PodOS | PodOS defines the OS parameters of a pod.
          name string required | Name is the name of the operating system. The currently supported values are linux and windows.
        PodSchedulingGate | PodSchedulingGate is associated to a Pod to guard its scheduling.
          name string required | Name of the scheduling gate.
        TopologySpreadConstraint | TopologySpreadConstraint specifies how to spread matching pods among the given topology.
          maxSkew int32 required | MaxSkew describes the degree to which pods may be unevenly distributed.
          topologyKey string required | TopologyKey is the key of node labels.
          whenUnsatisfiable string required | WhenUnsatisfiable indicates how to deal with a pod if it doesn't satisfy the spread constraint.
          labelSelector LabelSelector | LabelSelector is used to find matching pods.
          minDomains int32 | MinDomains indicates a minimum number of eligible domains.
          nodeAffinityPolicy string | NodeAffinityPolicy indicates how we will treat Pod's nodeAffinity/nodeSelector when calculating pod topology spread skew.
          nodeTaintsPolicy string | NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew.
          matchLabelKeys []string | MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated.
        LocalObjectReference | LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.
          name string | Name of the referent.
        Volume | Volume represents a named volume in a pod that may be accessed by any container in the pod.
          name string required | name of the volume. Must be a DNS_LABEL and unique within the pod.
          hostPath HostPathVolumeSource | hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container.
          emptyDir EmptyDirVolumeSource | emptyDir represents a temporary directory that shares a pod's lifetime.
          secret SecretVolumeSource | secret represents a secret that should populate this volume.
          configMap ConfigMapVolumeSource | configMap represents a configMap that should populate this volume
          persistentVolumeClaim PersistentVolumeClaimVolumeSource | persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace.
          projected ProjectedVolumeSource | projected items for all in one resources secrets, configmaps, and downward API
          downwardAPI DownwardAPIVolumeSource | downwardAPI represents downward API about the pod that should populate this volume
          csi CSIVolumeSource | csi (Container Storage Interface) represents ephemeral storage that is handled by certain external CSI drivers.
          ephemeral object | ephemeral represents a volume that is handled by a cluster storage driver.
          nfs NFSVolumeSource | nfs represents an NFS mount on the host that shares a pod's lifetime
          image object | image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet's host machine.
          iscsi object | iscsi represents an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod.
          fc object | fc represents a Fibre Channel resource that is attached to a kubelet's host machine and then exposed to the pod.
          rbd object | rbd represents a Rados Block Device mount on the host that shares a pod's lifetime.
          cephfs object | cephFS represents a Ceph FS mount on the host that shares a pod's lifetime.
          gitRepo object | gitRepo represents a git repository at a particular revision. Deprecated.
          glusterfs object | glusterfs represents a Glusterfs mount on the host that shares a pod's lifetime. Deprecated.
          flexVolume object | flexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin. Deprecated.
          gcePersistentDisk object | gcePersistentDisk represents a GCE Disk resource. Deprecated.
          awsElasticBlockStore object | awsElasticBlockStore represents an AWS Disk resource. Deprecated.
          azureDisk object | azureDisk represents an Azure Data Disk mount on the host and bind mount to the pod. Deprecated.
          azureFile object | azureFile represents an Azure File Service mount on the host and bind mount to the pod. Deprecated.
          cinder object | cinder represents a cinder volume attached and mounted on kubelets host machine. Deprecated.
          vsphereVolume object | vsphereVolume represents a vSphere volume attached and mounted on kubelets host machine. Deprecated.
          flocker object | flocker represents a Flocker volume attached to a kubelet's host machine. Deprecated.
          quobyte object | quobyte represents a Quobyte mount on the host that shares a pod's lifetime. Deprecated.
          photonPersistentDisk object | photonPersistentDisk represents a PhotonController persistent disk. Deprecated.
          portworxVolume object | portworxVolume represents a portworx volume. Deprecated.
          scaleIO object | scaleIO represents a ScaleIO persistent volume. Deprecated.
          storageos object | storageOS represents a StorageOS volume. Deprecated.
        HostPathVolumeSource | Represents a host path mapped into a pod.
          path string required | path of the directory on the host. If the path is a symlink, it will follow the link to the real path.
          type string | type for HostPath Volume. Defaults to "".
        EmptyDirVolumeSource | Represents an empty directory for a pod.
          medium string | medium represents what type of storage medium should back this directory.
          sizeLimit quantity | sizeLimit is the total amount of local storage required for this EmptyDir volume.
        SecretVolumeSource | Adapts a Secret into a volume.
          secretName string | secretName is the name of the secret in the pod's namespace to use.
          items []KeyToPath | items If unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file.
          defaultMode int32 | defaultMode is Optional: mode bits used to set permissions on created files by default.
          optional boolean | optional field specify whether the Secret or its keys must be defined
        ConfigMapVolumeSource | Adapts a ConfigMap into a volume.
          name string | Name of the referent.
          items []KeyToPath | items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file.
          defaultMode int32 | defaultMode is optional: mode bits used to set permissions on created files by default.
          optional boolean | optional specify whether the ConfigMap or its keys must be defined
        KeyToPath | Maps a string key to a path within a volume.
          key string required | key is the key to project.
          path string required | path is the relative path of the file to map the key to.
          mode int32 | mode is Optional: mode bits used to set permissions on this file.
        PersistentVolumeClaimVolumeSource | PersistentVolumeClaimVolumeSource references the user's PVC in the same namespace.
          claimName string required | claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume.
          readOnly boolean | readOnly Will force the ReadOnly setting in VolumeMounts. Default false.
        ProjectedVolumeSource | Represents a projected volume source
          sources []VolumeProjection | sources is the list of volume projections.
          defaultMode int32 | defaultMode are the mode bits used to set permissions on created files by default.
        VolumeProjection | Projection that may be projected along with other supported volume types.
          secret SecretProjection | secret information about the secret data to project
          configMap ConfigMapProjection | configMap information about the configMap data to project
          downwardAPI DownwardAPIProjection | downwardAPI information about the downwardAPI data to project
          serviceAccountToken ServiceAccountTokenProjection | serviceAccountToken is information about the serviceAccountToken data to project
          clusterTrustBundle object | ClusterTrustBundle allows a pod to access the `.spec.trustBundle` field of ClusterTrustBundle objects in an auto-updating file.
        SecretProjection | Adapts a secret into a projected volume.
          name string | Name of the referent.
          items []KeyToPath | items if unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file.
          optional boolean | optional field specify whether the Secret or its key must be defined
        ConfigMapProjection | Adapts a ConfigMap into a projected volume.
          name string | Name of the referent.
          items []KeyToPath | items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file.
          optional boolean | optional specify whether the ConfigMap or its keys must be defined
        DownwardAPIProjection | Represents downward API info for projecting into a projected volume.
          items []DownwardAPIVolumeFile | Items is a list of DownwardAPIVolume file
        ServiceAccountTokenProjection | ServiceAccountTokenProjection represents a projected service account token volume.
          audience string | audience is the intended audience of the token.
          expirationSeconds int64 | expirationSeconds is the requested duration of validity of the service account token.
          path string required | path is the path relative to the mount point of the file to project the token into.
        DownwardAPIVolumeSource | DownwardAPIVolumeSource represents a volume containing downward API info.
          items []DownwardAPIVolumeFile | Items is a list of downward API volume file
          defaultMode int32 | Optional: mode bits to use on created files by default.
        DownwardAPIVolumeFile | DownwardAPIVolumeFile represents information to create the file containing the pod field
          path string required | Required: Path is the relative path name of the file to be created.
          fieldRef ObjectFieldSelector | Required: Selects a field of the pod.
          resourceFieldRef ResourceFieldSelector | Selects a resource of the container.
          mode int32 | Optional: mode bits used to set permissions on this file.
        CSIVolumeSource | Represents a source location of a volume to mount, managed by an external CSI driver
          driver string required | driver is the name of the CSI driver that handles this volume.
          readOnly boolean | readOnly specifies a read-only configuration for the volume. Defaults to false (read/write).
          fsType string | fsType to mount. Ex. "ext4", "xfs", "ntfs".
          volumeAttributes {}string | volumeAttributes stores driver-specific properties that are passed to the CSI driver.
          nodePublishSecretRef LocalObjectReference | nodePublishSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver.
        NFSVolumeSource | Represents an NFS mount that lasts the lifetime of a pod.
          server string required | server is the hostname or IP address of the NFS server.
          path string required | path that is exported by the NFS server.
          readOnly boolean | readOnly here will force the NFS export to be mounted with read-only permissions. Defaults to false.
        PodStatus | PodStatus represents information about the status of a pod.
          phase string | The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle.
          conditions []PodCondition merge=type strategy=merge | Current service state of pod.
          message string | A human readable message indicating details about why the pod is in this condition.
          reason string | A brief CamelCase message indicating details about why the pod is in this state.
          nominatedNodeName string | nominatedNodeName is set only when this pod preempts other pods on the node.
          hostIP string | hostIP holds the IP address of the host to which the pod is assigned.
          hostIPs []HostIP | hostIPs holds the IP addresses allocated to the host.
          podIP string | podIP address allocated to the pod. Routable at least within the cluster.
          podIPs []PodIP merge=ip strategy=merge | podIPs holds the IP addresses allocated to the pod.
          startTime time | RFC 3339 date and time at which the object was acknowledged by the Kubelet.
          initContainerStatuses []ContainerStatus | Statuses of init containers in this pod.
          containerStatuses []ContainerStatus | Statuses of containers in this pod.
          qosClass string | The Quality of Service (QOS) classification assigned to the pod based on resource requirements.
          ephemeralContainerStatuses []ContainerStatus | Statuses for any ephemeral containers that have run in this pod.
          resize string | Status of resources resize desired for pod's containers.
          resourceClaimStatuses []object merge=name strategy=merge,retainKeys | Status of resource claims.
        PodCondition | PodCondition contains details for the current condition of this pod.
          type string required | Type is the type of the condition.
          status string required | Status is the status of the condition. Can be True, False, Unknown.
          lastProbeTime time | Last time we probed the condition.
          lastTransitionTime time | Last time the condition transitioned from one status to another.
          reason string | Unique, one-word, CamelCase reason for the condition's last transition.
          message string | Human-readable message indicating details about last transition.
        HostIP | HostIP represents a single IP address allocated to the host.
          ip string required | IP is the IP address assigned to the host
        PodIP | PodIP represents a single IP address allocated to the pod.
          ip string required | IP is the IP address assigned to the pod
        ContainerStatus | ContainerStatus contains details for the current status of this container.
          name string required | Name is a DNS_LABEL representing the unique name of the container.
          state ContainerState | State holds details about the container's current condition.
          lastState ContainerState | LastTerminationState holds the last termination state of the container.
          ready boolean required | Ready specifies whether the container is currently passing its readiness check.
          restartCount int32 required | RestartCount holds the number of times the container has been restarted.
          image string required | Image is the name of container image that the container is running.
          imageID string required | ImageID is the image ID of the container's image.
          containerID string | ContainerID is the ID of the container in the format '<type>://<container_id>'.
          started boolean | Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.
          allocatedResources {}quantity | AllocatedResources represents the compute resources allocated for this container by the node.
          resources ResourceRequirements | Resources represents the compute resource requests and limits that have been successfully enacted on the running container.
          volumeMounts []object | Status of volume mounts.
          user object | User represents user identity information initially attached to the first process of the container
          allocatedResourcesStatus []object | AllocatedResourcesStatus represents the status of various resources allocated for this Pod.
        ContainerState | ContainerState holds a possible state of container. Only one of its members may be specified.
          waiting ContainerStateWaiting | Details about a waiting container
          running ContainerStateRunning | Details about a running container
          terminated ContainerStateTerminated | Details about a terminated container
        ContainerStateWaiting | ContainerStateWaiting is a waiting state of a container.
          reason string | (brief) reason the container is not yet running.
          message string | Message regarding why the container is not yet running.
        ContainerStateRunning | ContainerStateRunning is a running state of a container.
          startedAt time | Time at which the container was last (re-)started
        ContainerStateTerminated | ContainerStateTerminated is a terminated state of a container.
          exitCode int32 required | Exit status from the last termination of the container
          signal int32 | Signal from the last termination of the container
          reason string | (brief) reason from the last termination of the container
          message string | Message regarding the last termination of the container
          startedAt time | Time at which previous execution of the container started
          finishedAt time | Time at which the container last terminated
          containerID string | Container's ID in the format '<type>://<container_id>'

        Service kind=v1 | Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.
          spec ServiceSpec | Spec defines the behavior of a service.
          status ServiceStatus | Most recently observed status of the service. Populated by the system. Read-only.
        ServiceSpec | ServiceSpec describes the attributes that a user creates on a service.
          ports []ServicePort merge=port strategy=merge | The list of ports that are exposed by this service.
          selector {}string | Route service traffic to pods with label keys and values matching this selector.
          clusterIP string | clusterIP is the IP address of the service and is usually assigned randomly.
          clusterIPs []string | ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.
          type string | type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.
          externalIPs []string | externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.
          sessionAffinity string | Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.
          loadBalancerIP string | Only applies to Service Type: LoadBalancer. Deprecated.
          loadBalancerSourceRanges []string | If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.
          externalName string | externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).
          externalTrafficPolicy string | externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service's "externally-facing" addresses.
          healthCheckNodePort int32 | healthCheckNodePort specifies the healthcheck nodePort for the service.
          publishNotReadyAddresses boolean | publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.
          sessionAffinityConfig object | sessionAffinityConfig contains the configurations of session affinity.
          ipFamilies []string | IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.
          ipFamilyPolicy string | IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.
          allocateLoadBalancerNodePorts boolean | allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer.
          loadBalancerClass string | loadBalancerClass is the class of the load balancer implementation this Service belongs to.
          internalTrafficPolicy string | InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.
          trafficDistribution string | TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.
        ServicePort | ServicePort contains information on service's port.
          name string | The name of this port within the service. This must be a DNS_LABEL.
          protocol string | The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.
          appProtocol string | The application protocol for this port.
          port int32 required | The port that will be exposed by this service.
          targetPort intstr | Number or name of the port to access on the pods targeted by the service.
          nodePort int32 | The port on each node on which this service is exposed when type is NodePort or LoadBalancer.
        ServiceStatus | ServiceStatus represents the current status of a service.
          loadBalancer object | LoadBalancer contains the current status of the load-balancer, if one is present.
          conditions []Condition merge=type strategy=merge | Current service state

        Event kind=v1 | Event is a report of an event somewhere in the cluster.
          involvedObject ObjectReference required | The object that this event is about.
          reason string | This should be a short, machine understandable string that gives the reason for the transition into the object's current status.
          message string | A human-readable description of the status of this operation.
          source EventSource | The component reporting this event. Should be a short machine understandable string.
          firstTimestamp time | The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)
          lastTimestamp time | The time at which the most recent occurrence of this event was recorded.
          count int32 | The number of times this event has occurred.
          type string | Type of this event (Normal, Warning), new types could be added in the future
          eventTime microtime | Time when this Event was first observed.
          series EventSeries | Data about the Event series this event represents or nil if it's a singleton Event.
          action string | What action was taken/failed regarding to the Regarding object.
          related ObjectReference | Optional secondary object for more complex actions.
          reportingComponent string | Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.
          reportingInstance string | ID of the controller instance, e.g. `kubelet-xyzf`.
        EventSource | EventSource contains information for an event.
          component string | Component from which the event is generated.
          host string | Node name on which the event is generated.
        EventSeries | EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.
          count int32 | Number of occurrences in this series up to the last heartbeat time
          lastObservedTime microtime | Time of the last occurrence observed
        ObjectReference | ObjectReference contains enough information to let you inspect or modify the referred object.
          kind string | Kind of the referent.
          namespace string | Namespace of the referent.
          name string | Name of the referent.
          uid string | UID of the referent.
          apiVersion string | API version of the referent.
          resourceVersion string | Specific resourceVersion to which this reference is made, if any.
          fieldPath string | If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].

        Secret kind=v1 | Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.
          data {}bytes | Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string.
          stringData {}string | stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.
          type string | Used to facilitate programmatic handling of secret data.
          immutable boolean | Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).
        ConfigMap kind=v1 | ConfigMap holds configuration data for pods to consume.
          data {}string | Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.
          binaryData {}bytes | BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'.
          immutable boolean | Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).
        ServiceAccount kind=v1 | ServiceAccount binds together: a name, understood by users, and perhaps by peripheral systems, for an identity; a principal that can be authenticated and authorized; a set of secrets
          secrets []ObjectReference merge=name strategy=merge | Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.
          imagePullSecrets []LocalObjectReference | ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.
          automountServiceAccountToken boolean | AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.

        PersistentVolume kind=v1 | PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node.
          spec PersistentVolumeSpec | spec defines a specification of a persistent volume owned by the cluster. Provisioned by an administrator.
          status PersistentVolumeStatus | status represents the current information/status for the persistent volume. Populated by the system. Read-only.
        PersistentVolumeSpec | PersistentVolumeSpec is the specification of a persistent volume.
          capacity {}quantity | capacity is the description of the persistent volume's resources and capacity.
          accessModes []string | accessModes contains all ways the volume can be mounted.
          claimRef ObjectReference | claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.
          persistentVolumeReclaimPolicy string | persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated).
          storageClassName string | storageClassName is the name of StorageClass to which this persistent volume belongs.
          mountOptions []string | mountOptions is the list of mount options, e.g. ["ro", "soft"]. Not validated - mount will simply fail if one is invalid.
          volumeMode string | volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.
          nodeAffinity VolumeNodeAffinity | nodeAffinity defines constraints that limit what nodes this volume can be accessed from.
          volumeAttributesClassName string | Name of VolumeAttributesClass to which this persistent volume belongs.
          hostPath HostPathVolumeSource | hostPath represents a directory on the host.
          local LocalVolumeSource | local represents directly-attached storage with node affinity
          csi CSIPersistentVolumeSource | csi represents storage that is handled by an external CSI driver.
          nfs NFSVolumeSource | nfs represents an NFS mount on the host.
          iscsi object | iscsi represents an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod.
          fc object | fc represents a Fibre Channel resource that is attached to a kubelet's host machine and then exposed to the pod.
          rbd object | rbd represents a Rados Block Device mount on the host that shares a pod's lifetime. Deprecated.
          cephfs object | cephFS represents a Ceph FS mount on the host that shares a pod's lifetime. Deprecated.
          glusterfs object | glusterfs represents a Glusterfs volume that is attached to a host and exposed to the pod. Deprecated.
          flexVolume object | flexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin. Deprecated.
          gcePersistentDisk object | gcePersistentDisk represents a GCE Disk resource. Deprecated.
          awsElasticBlockStore object | awsElasticBlockStore represents an AWS Disk resource. Deprecated.
          azureDisk object | azureDisk represents an Azure Data Disk mount on the host and bind mount to the pod. Deprecated.
          azureFile object | azureFile represents an Azure File Service mount on the host and bind mount to the pod. Deprecated.
          cinder object | cinder represents a cinder volume attached and mounted on kubelets host machine. Deprecated.
          vsphereVolume object | vsphereVolume represents a vSphere volume attached and mounted on kubelets host machine. Deprecated.
          flocker object | flocker represents a Flocker volume attached to a kubelet's host machine. Deprecated.
          quobyte object | quobyte represents a Quobyte mount on the host that shares a pod's lifetime. Deprecated.
          photonPersistentDisk object | photonPersistentDisk represents a PhotonController persistent disk. Deprecated.
          portworxVolume object | portworxVolume represents a portworx volume. Deprecated.
          scaleIO object | scaleIO represents a ScaleIO persistent volume. Deprecated.
          storageos object | storageOS represents a StorageOS volume. Deprecated.
        VolumeNodeAffinity | VolumeNodeAffinity defines constraints that limit what nodes this volume can be accessed from.
          required NodeSelector | required specifies hard node constraints that must be met.
        LocalVolumeSource | Local represents directly-attached storage with node affinity
          path string required | path of the full path to the volume on the node.
          fsType string | fsType is the filesystem type to mount.
        CSIPersistentVolumeSource | Represents storage that is managed by an external CSI volume driver
          driver string required | driver is the name of the driver to use for this volume. Required.
          volumeHandle string required | volumeHandle is the unique volume name returned by the CSI volume plugin's CreateVolume to refer to the volume on all subsequent calls. Required.
          readOnly boolean | readOnly value to pass to ControllerPublishVolumeRequest. Defaults to false (read/write).
          fsType string | fsType to mount. Must be a filesystem type supported by the host operating system.
          volumeAttributes {}string | volumeAttributes of the volume to publish.
          controllerPublishSecretRef SecretReference | controllerPublishSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI ControllerPublishVolume and ControllerUnpublishVolume calls.
          nodeStageSecretRef SecretReference | nodeStageSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodeStageVolume and NodeStageVolume and NodeUnstageVolume calls.
          nodePublishSecretRef SecretReference | nodePublishSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodePublishVolume and NodeUnpublishVolume calls.
          controllerExpandSecretRef SecretReference | controllerExpandSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI ControllerExpandVolume call.
          nodeExpandSecretRef SecretReference | nodeExpandSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodeExpandVolume call.
        SecretReference | SecretReference represents a Secret Reference. It has enough information to retrieve secret in any namespace
          name string | name is unique within a namespace to reference a secret resource.
          namespace string | namespace defines the space within which the secret name must be unique.
        PersistentVolumeStatus | PersistentVolumeStatus is the current status of a persistent volume.
          phase string | phase indicates if a volume is available, bound to a claim, or released by a claim.
          message string | message is a human-readable message indicating details about why the volume is in this state.
          reason string | reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.
          lastPhaseTransitionTime time | lastPhaseTransitionTime is the time the phase transitioned from one to another.

        PersistentVolumeClaim kind=v1 | PersistentVolumeClaim is a user's request for and claim to a persistent volume
          spec PersistentVolumeClaimSpec | spec defines the desired characteristics of a volume requested by a pod author.
          status PersistentVolumeClaimStatus | status represents the current information/status of a persistent volume claim. Read-only.
        PersistentVolumeClaimSpec | PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes
          accessModes []string | accessModes contains the desired access modes the volume should have.
          selector LabelSelector | selector is a label query over volumes to consider for binding.
          resources VolumeResourceRequirements | resources represents the minimum resources the volume should have.
          volumeName string | volumeName is the binding reference to the PersistentVolume backing this claim.
          storageClassName string | storageClassName is the name of the StorageClass required by the claim.
          volumeMode string | volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.
          dataSource TypedLocalObjectReference | dataSource field can be used to specify either an existing VolumeSnapshot object or an existing PVC.
          dataSourceRef TypedObjectReference | dataSourceRef specifies the object from which to populate the volume with data, if a non-empty volume is desired.
          volumeAttributesClassName string | volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.
        VolumeResourceRequirements | VolumeResourceRequirements describes the storage resource requirements for a volume.
          limits {}quantity | Limits describes the maximum amount of compute resources allowed.
          requests {}quantity | Requests describes the minimum amount of compute resources required.
        TypedLocalObjectReference | TypedLocalObjectReference contains enough information to let you locate the typed referenced object inside the same namespace.
          apiGroup string | APIGroup is the group for the resource being referenced.
          kind string required | Kind is the type of resource being referenced
          name string required | Name is the name of resource being referenced
        TypedObjectReference | TypedObjectReference contains enough information to let you locate the typed referenced object
          apiGroup string | APIGroup is the group for the resource being referenced.
          kind string required | Kind is the type of resource being referenced
          name string required | Name is the name of resource being referenced
          namespace string | Namespace is the namespace of resource being referenced
        PersistentVolumeClaimStatus | PersistentVolumeClaimStatus is the current status of a persistent volume claim.
          phase string | phase represents the current phase of PersistentVolumeClaim.
          accessModes []string | accessModes contains the actual access modes the volume backing the PVC has.
          capacity {}quantity | capacity represents the actual resources of the underlying volume.
          conditions []PersistentVolumeClaimCondition merge=type strategy=merge | conditions is the current Condition of persistent volume claim.
          allocatedResources {}quantity | allocatedResources tracks the resources allocated to a PVC including its capacity.
          allocatedResourceStatuses {}string | allocatedResourceStatuses stores status of resource being resized for the given PVC.
          currentVolumeAttributesClassName string | currentVolumeAttributesClassName is the current name of the VolumeAttributesClass the PVC is using.
          modifyVolumeStatus object | ModifyVolumeStatus represents the status object of ControllerModifyVolume operation.
        PersistentVolumeClaimCondition | PersistentVolumeClaimCondition contains details about state of pvc
          type string required | Type is the type of the condition.
          status string required | Status is the status of the condition.
          lastProbeTime time | lastProbeTime is the time we probed the condition.
          lastTransitionTime time | lastTransitionTime is the time the condition transitioned from one status to another.
          reason string | reason is a unique, this should be a short, machine understandable string that gives the reason for condition's last transition.
          message string | message is the human-readable message indicating details about last transition.
        ResourceQuota kind=v1 | ResourceQuota sets aggregate quota restrictions enforced per namespace
          spec ResourceQuotaSpec | Spec defines the desired quota.
          status ResourceQuotaStatus | Status defines the actual enforced quota and its current usage.
        ResourceQuotaSpec | ResourceQuotaSpec defines the desired hard limits to enforce for Quota.
          hard {}quantity | hard is the set of desired hard limits for each named resource.
          scopes []string | A collection of filters that must match each object tracked by a quota. If not specified, the quota matches all objects.
          scopeSelector ScopeSelector | scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota but expressed using ScopeSelectorOperator in combination with possible values.
        ScopeSelector | A scope selector represents the AND of the selectors represented by the scoped-resource selector requirements.
          matchExpressions []ScopedResourceSelectorRequirement | A list of scope selector requirements by scope of the resources.
        ScopedResourceSelectorRequirement | A scoped-resource selector requirement is a selector that contains values, a scope name, and an operator that relates the scope name and values.
          scopeName string required | The name of the scope that the selector applies to.
          operator string required | Represents a scope's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist.
          values []string | An array of string values. If the operator is In or NotIn, the values array must be non-empty.
        ResourceQuotaStatus | ResourceQuotaStatus defines the enforced hard limits and observed use.
          hard {}quantity | Hard is the set of enforced hard limits for each named resource.
          used {}quantity | Used is the current observed total usage of the resource in the namespace.
        """;
}
