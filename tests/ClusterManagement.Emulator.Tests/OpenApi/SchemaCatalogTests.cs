using ClusterManagement.Emulator.OpenApi;

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
}
