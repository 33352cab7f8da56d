using ClusterManagement.Diagnostics;
using ClusterManagement.Manifests;
using ClusterManagement.Engine.Manifests;

namespace ClusterManagement.Tests.Storage;

public sealed class ManifestReaderTests
{
    [Fact]
    public void ReadsMultiDocumentYamlWithYamlTypes()
    {
        var documents = ManifestReader.Parse("""
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: csi-datera
            provisioner: dsp.csi.daterainc.io
            allowVolumeExpansion: true
            parameters:
              replica_count: "3"
              template: ""
            ---
            # a comment-only document is skipped
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: csi-provisioner, namespace: kube-system}
            spec:
              replicas: 2
            """, "test.yaml");

        Assert.Equal(2, documents.Count);
        var sc = documents[0].Object;
        Assert.True(sc["allowVolumeExpansion"]!.GetValue<bool>());
        Assert.Equal("3", sc["parameters"]!["replica_count"]!.GetValue<string>());
        Assert.Equal("", sc["parameters"]!["template"]!.GetValue<string>());
        Assert.Equal(2, documents[1].Object["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("kube-system", documents[1].Namespace);
    }

    [Fact]
    public void UnpacksJsonListsAndArrays()
    {
        var documents = ManifestReader.Parse("""
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}},
              {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}]}
            """, "list.json");

        Assert.Equal(["ConfigMap", "Namespace"], documents.Select(d => d.Kind));
    }

    [Fact]
    public void OrdersNamespacesThenCrdsThenRbacThenTheRestKeepingFileOrder()
    {
        var documents = ManifestReader.Order(ManifestReader.Parse("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: node}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: binding}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: role}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: crd}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: ns}
            ---
            apiVersion: storage.k8s.io/v1
            kind: CSIDriver
            metadata: {name: driver}
            """, "set.yaml"));

        Assert.Equal(["ns", "crd", "role", "binding", "node", "driver"], documents.Select(d => d.Name));
    }

    [Fact]
    public void RejectsObjectsWithoutKindOrNameAndBrokenYamlNamingTheFile()
    {
        var missing = Assert.Throws<ClusterException>(() => ManifestReader.Parse("apiVersion: v1\nkind: ConfigMap\n", "cm.yaml"));
        Assert.Equal("ManifestInvalid", missing.ErrorId);
        Assert.Contains("cm.yaml", missing.Message);

        var broken = Assert.Throws<ClusterException>(() => ManifestReader.Parse("a: [unclosed\n", "broken.yaml"));
        Assert.Contains("broken.yaml", broken.Message);
    }
}
