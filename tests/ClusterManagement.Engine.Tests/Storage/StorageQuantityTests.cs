using ClusterManagement.Diagnostics;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Tests.Storage;

/// <summary>Quantities as resource.Quantity reads and prints storage sizes.</summary>
public sealed class StorageQuantityTests
{
    [Theory]
    [InlineData("1Gi", 1073741824)]
    [InlineData("500Mi", 524288000)]
    [InlineData("1G", 1000000000)]
    [InlineData("1.5Gi", 1610612736)]
    [InlineData("2048", 2048)]
    [InlineData("1e3", 1000)]
    [InlineData("10k", 10000)]
    [InlineData(" 3Ti ", 3298534883328)]
    public void ParsesKubernetesForms(string text, long bytes)
    {
        Assert.True(StorageQuantity.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("1GB")]
    [InlineData("1gi")]
    [InlineData("1 Gi")]
    [InlineData("Gi")]
    [InlineData("abc")]
    [InlineData("-1Gi")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("100m")]
    [InlineData("1.5")]
    public void RejectsEverythingElseWithExamples(string text)
    {
        Assert.False(StorageQuantity.TryParse(text, out _, out var error));
        Assert.Contains(text.Trim() == "" ? "''" : text, error);
    }

    [Theory]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1Gi", "1Gi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("1000M", "1G")]
    [InlineData("1500M", "1500M")]
    [InlineData("500Mi", "500Mi")]
    [InlineData("2048", "2048")]
    [InlineData("2000", "2k")]
    public void CanonicalFormIsWhatTheServerPrints(string text, string canonical) =>
        Assert.Equal(canonical, StorageQuantity.Canonical(text));

    // Only ClusterException leaves the engine: a bad size reaches the cmdlet as a catalogued error.
    [Theory]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("1.5")]
    public void CanonicalRefusesWhatIsNotASizeWithACatalogueError(string text)
    {
        var error = Assert.Throws<ClusterException>(() => StorageQuantity.Canonical(text));
        Assert.Equal(ClusterErrors.QuantityInvalid, error.Error);
        Assert.Equal(text, error.Target);
    }

    [Fact]
    public void FormatsBytesInTheLargestWholeBinarySuffix()
    {
        Assert.Equal("2Gi", StorageQuantity.Format(2m * 1024 * 1024 * 1024));
        Assert.Equal("1000", StorageQuantity.Format(1000));
        Assert.Null(StorageQuantity.BytesOf("nonsense"));
    }
}
