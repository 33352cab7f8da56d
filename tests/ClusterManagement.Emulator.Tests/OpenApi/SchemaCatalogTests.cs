using ClusterManagement.Emulator.OpenApi;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.OpenApi;

/// <summary>How the catalog names structures and resolves references when two API versions publish the same short names.</summary>
public sealed class SchemaCatalogTests
{
    private const string TwoPackages = """
        package a
        Shared | one
          x string | x
        User | uses a's Shared
          shared Shared | a's
        package b
        Shared | two
          y string | y
        """;

    [Fact]
    public void EachTypeKeepsThePackageItIsWrittenInAndReferencesReachTheirOwnPackagesType()
    {
        var catalog = new SchemaCatalog(TwoPackages);

        var user = catalog.Closure(catalog.Resolve(new FieldType.Named("User", "a")));

        Assert.Equal(["a.Shared", "a.User"], user.Order());
        Assert.NotNull(catalog.Resolve(new FieldType.Named("Shared", "b")).Field("y"));
    }

    [Fact]
    public void ANameTwoPackagesDefineCannotBeUsedFromAThird()
    {
        var ambiguous = () => new SchemaCatalog(TwoPackages + """

            package c
            Other | uses Shared from neither a nor b
              shared Shared | which one?
            """);

        Assert.Contains("Shared is used in c but not defined there", Assert.Throws<InvalidOperationException>(ambiguous).Message);
    }

    [Fact]
    public void AutoscalingV1AndV2EachReachTheirOwnSpec()
    {
        SchemaType Spec(string version) =>
            SchemaCatalog.Default.Resolve((FieldType.Named)SchemaCatalog.Default.ForKind("autoscaling", version, "HorizontalPodAutoscaler")!.Field("spec")!.Type);

        var v2 = Spec("v2");
        var v1 = Spec("v1");

        Assert.Equal("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec", v2.FullName);
        Assert.NotNull(v2.Field("metrics"));
        Assert.Null(v2.Field("targetCPUUtilizationPercentage"));
        Assert.Equal("io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec", v1.FullName);
        Assert.NotNull(v1.Field("targetCPUUtilizationPercentage"));
        Assert.Equal("io.k8s.api.autoscaling.v1.CrossVersionObjectReference", SchemaCatalog.Default.Resolve((FieldType.Named)v1.Field("scaleTargetRef")!.Type).FullName);
    }

    [KubectlFact]
    public void EveryStructureHasTheFieldsOfKubectlsOwnGeneratedProto()
    {
        // kubectl carries the k8s.io/api descriptors of its version (v1.32): a schema line missing, misspelt or
        // invented shows as a difference here. Kinds' apiVersion and kind are TypeMeta, which the proto leaves out.
        var proto = ClusterManagement.Emulator.Protobuf.KubeProtoSchema.Installed!;
        var differences = SchemaCatalog.Default.Types
            .Select(type => (type, message: proto.Message("." + type.FullName.Replace("io.k8s.", "k8s.io.", StringComparison.Ordinal))))
            .Where(x => x.message is not null)
            .Select(x => (x.type.FullName,
                Missing: JsonNames(proto, x.message!, x.type).Except(x.type.Fields.Select(f => f.Name)).ToList(),
                Invented: x.type.Fields.Select(f => f.Name).Except(JsonNames(proto, x.message!, x.type)).Except(x.type.Kind is null ? [] : (string[])["apiVersion", "kind"]).ToList()))
            .Where(d => d.Missing.Count + d.Invented.Count > 0)
            .Select(d => $"{d.FullName}: missing [{string.Join(", ", d.Missing)}] invented [{string.Join(", ", d.Invented)}]");

        Assert.Empty(differences);
    }

    /// <summary>A message's JSON field names, with the fields of Go structs embedded inline (LocalObjectReference's name, VolumeSource's kinds) in place of the embedding field.</summary>
    private static IEnumerable<string> JsonNames(ClusterManagement.Emulator.Protobuf.KubeProtoSchema proto, Google.Protobuf.Reflection.DescriptorProto message, SchemaType type) =>
        message.Field.SelectMany(f => type.Field(f.JsonName) is null && f.TypeName is { Length: > 0 } inner && proto.Message(inner) is { } embedded
            ? embedded.Field.Select(e => e.JsonName)
            : [f.JsonName]);
}
