# Test data: a CSI driver release shaped like Datera's (datera-csi 1.0.13): RBAC, the controller
# StatefulSet and node DaemonSet, the CSIDriver dsp.csi.daterainc.io, its credentials Secret, and
# the example StorageClass csi-datera with the driver's documented parameters.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function New-DateraManifestSet {
    <# Writes the manifests into $Path (created if missing) and returns the folder. #>
    param([Parameter(Mandatory)] [string] $Path, [string] $ReclaimPolicy = 'Retain', [int] $ControllerReplicas = 1)
    $null = New-Item -ItemType Directory -Path $Path -Force
    Set-Content (Join-Path $Path '00-rbac.yaml') @'
apiVersion: v1
kind: ServiceAccount
metadata:
  name: csi-datera-controller-sa
  namespace: kube-system
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: csi-datera-node-sa
  namespace: kube-system
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: csi-datera-provisioner-role
rules:
  - apiGroups: [""]
    resources: ["persistentvolumes"]
    verbs: ["get", "list", "watch", "create", "delete", "patch"]
  - apiGroups: [""]
    resources: ["persistentvolumeclaims", "persistentvolumeclaims/status"]
    verbs: ["get", "list", "watch", "update", "patch"]
  - apiGroups: ["storage.k8s.io"]
    resources: ["storageclasses", "csinodes", "volumeattachments"]
    verbs: ["get", "list", "watch"]
  - apiGroups: [""]
    resources: ["events"]
    verbs: ["list", "watch", "create", "update", "patch"]
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: csi-datera-provisioner-binding
subjects:
  - kind: ServiceAccount
    name: csi-datera-controller-sa
    namespace: kube-system
roleRef:
  kind: ClusterRole
  name: csi-datera-provisioner-role
  apiGroup: rbac.authorization.k8s.io
'@
    Set-Content (Join-Path $Path '10-csi-datera.yaml') @"
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: dsp.csi.daterainc.io
spec:
  attachRequired: false
  podInfoOnMount: true
  fsGroupPolicy: File
  volumeLifecycleModes:
    - Persistent
---
apiVersion: v1
kind: Secret
metadata:
  name: datera-secret
  namespace: kube-system
type: Opaque
stringData:
  username: admin
  password: not-a-real-password
---
kind: StatefulSet
apiVersion: apps/v1
metadata:
  name: csi-provisioner
  namespace: kube-system
spec:
  serviceName: csi-provisioner
  replicas: $ControllerReplicas
  selector:
    matchLabels:
      app: csi-provisioner
  template:
    metadata:
      labels:
        app: csi-provisioner
    spec:
      serviceAccountName: csi-datera-controller-sa
      containers:
        - name: csi-provisioner
          image: registry.k8s.io/sig-storage/csi-provisioner:v3.6.0
          args: ["--csi-address=`$(DATERA_CSI_ENDPOINT)", "--extra-create-metadata"]
        - name: csi-resizer
          image: registry.k8s.io/sig-storage/csi-resizer:v1.9.0
        - name: dat-csi-plugin-controller
          image: dateraiodev/dat-csi-plugin:1.0.13
          env:
            - name: DAT_TYPE
              value: conidentifier
            - name: DAT_MGMT
              value: 172.31.255.254
---
kind: DaemonSet
apiVersion: apps/v1
metadata:
  name: csi-node
  namespace: kube-system
spec:
  selector:
    matchLabels:
      app: csi-node
  template:
    metadata:
      labels:
        app: csi-node
    spec:
      serviceAccountName: csi-datera-node-sa
      hostNetwork: true
      containers:
        - name: node-driver-registrar
          image: registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.9.0
        - name: dat-csi-plugin-node
          image: dateraiodev/dat-csi-plugin:1.0.13
          securityContext:
            privileged: true
"@
    Set-Content (Join-Path $Path '20-storageclass.yaml') @"
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: csi-datera
provisioner: dsp.csi.daterainc.io
reclaimPolicy: $ReclaimPolicy
allowVolumeExpansion: true
parameters:
  replica_count: "3"
  placement_mode: "hybrid"
  placement_policy: "default"
  ip_pool: "default"
  template: ""
  round_robin: "false"
  read_iops_max: "0"
  write_iops_max: "0"
  total_iops_max: "0"
  read_bandwidth_max: "0"
  write_bandwidth_max: "0"
  total_bandwidth_max: "0"
  iops_per_gb: "0"
  bandwidth_per_gb: "0"
  fs_type: "ext4"
  fs_args: "-E lazy_itable_init=0,lazy_journal_init=0,nodiscard -F"
  delete_on_unmount: "false"
"@
    Get-Item $Path
}

Export-ModuleMember -Function New-DateraManifestSet
