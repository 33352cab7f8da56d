using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Tests.Apps;

/// <summary>The distribution/reference grammar, checked before any request.</summary>
public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("nginx")]
    [InlineData("nginx:1.27")]
    [InlineData("library/nginx:1.27-alpine")]
    [InlineData("registry.example.com:5000/team/web:v2.1.0")]
    [InlineData("localhost:5000/web")]
    [InlineData("ghcr.io/org/my_app__x:latest")]
    [InlineData("web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("web:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("Registry.Example.com/web:TAG_1")]
    public void AcceptsValidReferences(string image) => Assert.Null(ImageReference.Problem(image));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("nginx 1.27", "spaces")]
    [InlineData("Nginx:1.27", "lowercase")]
    [InlineData("registry.example.com/Team/web", "lowercase")]
    [InlineData("nginx::1", "expected")]
    [InlineData("nginx:", "expected")]
    [InlineData("nginx:-1", "expected")]
    [InlineData("web@sha256:xyz", "expected")]
    [InlineData("-web", "expected")]
    [InlineData("web/", "expected")]
    public void RejectsInvalidReferencesSayingWhy(string image, string reason) =>
        Assert.Contains(reason, ImageReference.Problem(image));

    [Fact]
    public void RejectsTooLongNamesAndTags()
    {
        Assert.Contains("longer than 255", ImageReference.Problem(new string('a', 256)));
        Assert.NotNull(ImageReference.Problem("web:" + new string('t', 129)));
        Assert.Null(ImageReference.Problem("web:" + new string('t', 128)));
    }
}
