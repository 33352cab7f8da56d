using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Tests;

/// <summary>The engine is the module's inside: the cmdlet assembly and these tests see it, nothing else.</summary>
public sealed class EngineSurfaceTests
{
    [Fact]
    public void TheEngineExportsNoType()
    {
        var engine = typeof(KubeApi).Assembly;
        Assert.Equal("ClusterManagement.Engine", engine.GetName().Name);
        Assert.True(engine.GetTypes().Length > 50);
        Assert.Empty(engine.GetExportedTypes().Select(t => t.FullName));
    }
}
