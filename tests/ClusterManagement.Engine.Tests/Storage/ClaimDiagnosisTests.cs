using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Storage;
using ClusterManagement.Events;
using k8s;
using k8s.Models;

namespace ClusterManagement.Tests.Storage;

/// <summary>The claim diagnoses: the mapping from class, driver, conditions and events, and the waits that attach them.</summary>
public sealed class ClaimDiagnosisTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void NoClassAndNoDefaultIsNoDefaultStorageClassWithTheFailedBindingEvent()
    {
        var failedBinding = Event("FailedBinding", "no persistent volumes available for this claim and no storage class is set");

        var diagnosis = ClaimDiagnosis.Pending(new PendingClaimFacts(Claim(null), null, DefaultClassExists: false, DriverRegistered: false, [failedBinding]));

        Assert.Equal(DiagnosisCause.NoDefaultStorageClass, diagnosis.Cause);
        Assert.Equal(new DiagnosedObject("PersistentVolumeClaim", "default", "data", "Pending"), Assert.Single(diagnosis.Affected));
        var evidence = Assert.Single(diagnosis.Evidence);
        Assert.Equal(("Event", "FailedBinding", "no persistent volumes available for this claim and no storage class is set", 3), (evidence.Source, evidence.Reason, evidence.Message, evidence.Count));
    }

    [Fact]
    public void NoClassWhileADefaultExistsIsNotBlamedOnTheDefault() =>
        Assert.Equal(DiagnosisCause.Unknown, ClaimDiagnosis.Pending(new PendingClaimFacts(Claim(null), null, DefaultClassExists: true, DriverRegistered: false, [])).Cause);

    [Fact]
    public void AMissingClassIsStorageClassNotFound() =>
        Assert.Equal(DiagnosisCause.StorageClassNotFound, ClaimDiagnosis.Pending(new PendingClaimFacts(Claim("gone"), null, DefaultClassExists: true, DriverRegistered: false, [])).Cause);

    [Fact]
    public void AProvisionerWithoutCsiDriverIsNoCsiDriverWithTheClassAsEvidence()
    {
        var diagnosis = ClaimDiagnosis.Pending(new PendingClaimFacts(Claim("fast"), Class("fast", "absent.csi.example.com"), true, DriverRegistered: false,
            [Event("ExternalProvisioning", "Waiting for a volume to be created either by the external provisioner 'absent.csi.example.com' or manually by the system administrator.")]));

        Assert.Equal(DiagnosisCause.NoCsiDriver, diagnosis.Cause);
        Assert.Contains("provisioner 'absent.csi.example.com', but no such CSI driver is registered", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Equal(["StorageClass Provisioner", "Event ExternalProvisioning"], diagnosis.Evidence.Select(e => $"{e.Source} {e.Reason}"));
    }

    [Fact]
    public void WaitForFirstConsumerWithoutASelectedNodeSaysItBindsWhenAPodUsesIt()
    {
        var diagnosis = ClaimDiagnosis.Pending(new PendingClaimFacts(Claim("late"), Class("late", "hostpath.csi.k8s.io", "WaitForFirstConsumer"), true, true,
            [Event("WaitForFirstConsumer", "waiting for first consumer to be created before binding")]));

        Assert.Equal(DiagnosisCause.WaitingForFirstConsumer, diagnosis.Cause);
        Assert.Contains("bound when the first pod that uses claim 'data' is scheduled to a node", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Equal(["StorageClass VolumeBindingMode", "Event WaitForFirstConsumer"], diagnosis.Evidence.Select(e => $"{e.Source} {e.Reason}"));
    }

    [Fact]
    public void AProvisionerFailureQuotesItsLatestMessage()
    {
        var claim = Claim("late");
        claim.Metadata.Annotations = new Dictionary<string, string> { [StorageMapper.SelectedNodeAnnotation] = "worker-1" };
        var diagnosis = ClaimDiagnosis.Pending(new PendingClaimFacts(claim, Class("late", "ebs.csi.aws.com", "WaitForFirstConsumer"), true, true,
        [
            Event("Provisioning", "External provisioner is provisioning volume for claim \"default/data\""),
            Event("ProvisioningFailed", "failed to provision volume with StorageClass \"late\": rpc error: code = ResourceExhausted desc = old", at: Now.AddMinutes(-2)),
            Event("ProvisioningFailed", "failed to provision volume with StorageClass \"late\": rpc error: code = Internal desc = new"),
        ]));

        Assert.Equal(DiagnosisCause.ProvisioningFailed, diagnosis.Cause);
        Assert.Equal("Provisioner 'ebs.csi.aws.com' failed to create the volume of claim default/data: failed to provision volume with StorageClass \"late\": rpc error: code = Internal desc = new", diagnosis.Summary);
        Assert.Equal(["ProvisioningFailed", "ProvisioningFailed"], diagnosis.Evidence.Select(e => e.Reason));
    }

    [Fact]
    public void AResizeNoResizerTookUpBlamesTheDriver()
    {
        var diagnosis = ClaimDiagnosis.Resize(new ResizingClaimFacts(Grown(null), "fixed.csi.example.com", DriverRegistered: true, [],
            [Event("ExternalExpanding", "waiting for an external controller to expand this PVC")]));

        Assert.Equal(DiagnosisCause.ResizeIncomplete, diagnosis.Cause);
        Assert.Equal("Nothing has begun to expand the volume of claim default/data: kube-controller-manager left it to an external resizer (ExternalExpanding), but no resizer of driver 'fixed.csi.example.com' acted on it (no Resizing condition): the driver does not expand volumes, or its csi-resizer is not running.", diagnosis.Summary);
        Assert.Equal("1Gi of 2Gi", Assert.Single(diagnosis.Affected).State);
        Assert.Equal("ExternalExpanding", Assert.Single(diagnosis.Evidence).Reason);
    }

    [Fact]
    public void AResizeTheResizerFailedQuotesItsError()
    {
        var claim = Grown("ControllerResizeInProgress");
        claim.Status.Conditions = [new V1PersistentVolumeClaimCondition { Type = "Resizing", Status = "True" }];
        var diagnosis = ClaimDiagnosis.Resize(new ResizingClaimFacts(claim, "brittle.csi.example.com", true, [],
            [Event("Resizing", "External resizer is resizing volume pvc-1"), Event("VolumeResizeFailed", "resize volume \"pvc-1\" by resizer \"brittle.csi.example.com\" failed: rpc error: code = OutOfRange desc = quota exceeded")]));

        Assert.Equal(DiagnosisCause.ResizeIncomplete, diagnosis.Cause);
        Assert.EndsWith("failed to expand the volume of claim default/data: resize volume \"pvc-1\" by resizer \"brittle.csi.example.com\" failed: rpc error: code = OutOfRange desc = quota exceeded", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Equal(["ResizeStatus ControllerResizeInProgress", "Condition Resizing", "Event VolumeResizeFailed"], diagnosis.Evidence.Select(e => $"{e.Source} {e.Reason}"));
    }

    [Fact]
    public void AFileSystemResizeThatAPodWaitsForNamesThePod()
    {
        var claim = Grown("NodeResizePending");
        claim.Status.Conditions = [new V1PersistentVolumeClaimCondition { Type = "FileSystemResizePending", Status = "True", Message = "Waiting for user to (re-)start a pod to finish file system resize of volume on node." }];

        var diagnosis = ClaimDiagnosis.Resize(new ResizingClaimFacts(claim, "hostpath.csi.k8s.io", true, ["app-0"], []));

        Assert.Contains("the kubelet has not finished growing its file system for pod app-0 (FileSystemResizePending)", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains(diagnosis.Affected, a => a is { Kind: "Pod", Name: "app-0" });
        Assert.Contains(diagnosis.Evidence, e => e.Reason == "FileSystemResizePending" && e.Message.StartsWith("FileSystemResizePending is True: Waiting for user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClaimWhoseProvisioningFailsTimesOutWithTheProvisionersMessage()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        await CreateDriverAndClassAsync(connection, "failing.csi.example.com", "failing", "emulator.clustermanagement.io/create-volume-error", "rpc error: code = ResourceExhausted desc = pool exhausted");
        var claims = new VolumeClaimService(connection, NullOperationLog.Instance);
        await claims.CreateAsync(new ClaimRequest("default", "doomed", "1Gi", ["ReadWriteOnce"], "failing", "Filesystem", new Dictionary<string, string>()), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ClusterException>(() => claims.WaitBoundAsync("default", "doomed", TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.Equal("CsiVolumeClaimWaitTimeout", error.ErrorId);
        var diagnosis = Assert.IsType<Diagnosis>(error.Diagnosis);
        Assert.Equal(DiagnosisCause.ProvisioningFailed, diagnosis.Cause);
        Assert.Contains(diagnosis.Evidence, e => e.Source == "Event" && e.Reason == "ProvisioningFailed"
            && e.Message == "failed to provision volume with StorageClass \"failing\": rpc error: code = ResourceExhausted desc = pool exhausted");
        Assert.Contains($"{Environment.NewLine}Cause: Provisioner 'failing.csi.example.com' failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResizeADriverCannotDoTimesOutWithResizeIncomplete()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        await CreateDriverAndClassAsync(connection, "fixed.csi.example.com", "fixed", "emulator.clustermanagement.io/controller-expansion", "false");
        var claims = new VolumeClaimService(connection, NullOperationLog.Instance);
        await claims.CreateAsync(new ClaimRequest("default", "fixed-data", "1Gi", ["ReadWriteOnce"], "fixed", "Filesystem", new Dictionary<string, string>()), CancellationToken.None);
        await claims.WaitBoundAsync("default", "fixed-data", TimeSpan.FromSeconds(30), CancellationToken.None);
        await claims.ResizeAsync(await claims.PlanResizeAsync("default", "fixed-data", "2Gi", CancellationToken.None), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ClusterException>(() => claims.WaitResizedAsync("default", "fixed-data", TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.Equal("CsiVolumeClaimWaitTimeout", error.ErrorId);
        var diagnosis = Assert.IsType<Diagnosis>(error.Diagnosis);
        Assert.Equal(DiagnosisCause.ResizeIncomplete, diagnosis.Cause);
        Assert.Contains("no resizer of driver 'fixed.csi.example.com' acted on it", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains(diagnosis.Evidence, e => e.Reason == "ExternalExpanding");
    }

    private static async Task CreateDriverAndClassAsync(ClusterConnection connection, string driver, string className, string knob, string value)
    {
        await connection.Client.StorageV1.CreateCSIDriverAsync(new V1CSIDriver
        {
            Metadata = new V1ObjectMeta { Name = driver, Annotations = new Dictionary<string, string> { [knob] = value } },
            Spec = new V1CSIDriverSpec { AttachRequired = false },
        });
        await connection.Client.StorageV1.CreateStorageClassAsync(new V1StorageClass
        {
            Metadata = new V1ObjectMeta { Name = className },
            Provisioner = driver,
            AllowVolumeExpansion = true,
        });
    }

    private static V1PersistentVolumeClaim Claim(string? className) => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "default" },
        Spec = new V1PersistentVolumeClaimSpec { StorageClassName = className },
        Status = new V1PersistentVolumeClaimStatus { Phase = "Pending" },
    };

    private static V1PersistentVolumeClaim Grown(string? step) => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "default" },
        Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "fast", Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("2Gi") } } },
        Status = new V1PersistentVolumeClaimStatus
        {
            Phase = "Bound",
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
            AllocatedResourceStatuses = step is null ? null : new Dictionary<string, string> { ["storage"] = step },
        },
    };

    private static V1StorageClass Class(string name, string provisioner, string binding = "Immediate") =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Provisioner = provisioner, VolumeBindingMode = binding };

    private static ClusterEvent Event(string reason, string message, DateTime? at = null) => new()
    {
        Name = $"data.{reason}",
        Namespace = "default",
        LastSeen = at ?? Now,
        FirstSeen = (at ?? Now).AddMinutes(-5),
        Count = 3,
        Type = reason.EndsWith("Failed", StringComparison.Ordinal) ? ClusterEventType.Warning : ClusterEventType.Normal,
        Reason = reason,
        Object = "persistentvolumeclaim/data",
        Message = message,
        InvolvedObject = new ClusterEventObject { Kind = "PersistentVolumeClaim", Name = "data", Namespace = "default" },
    };
}
