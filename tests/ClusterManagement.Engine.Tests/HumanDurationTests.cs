using ClusterManagement.Common;
using ClusterManagement.Engine.Common;

namespace ClusterManagement.Tests;

/// <summary>Cases from k8s.io/apimachinery/pkg/util/duration/duration_test.go.</summary>
public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(-2, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(1, "1s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(121, "2m1s")]
    [InlineData(9 * 60 + 59, "9m59s")]
    [InlineData(10 * 60, "10m")]
    [InlineData(3 * 3600 - 1, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(8 * 3600 - 1, "7h59m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(48 * 3600 - 1, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(49 * 3600, "2d1h")]
    [InlineData(8 * 24 * 3600 - 1, "7d23h")]
    [InlineData(8 * 24 * 3600, "8d")]
    [InlineData(2 * 365 * 24 * 3600 - 1, "729d")]
    [InlineData(2 * 365 * 24 * 3600, "2y")]
    [InlineData(2 * 365 * 24 * 3600 + 24 * 3600, "2y1d")]
    [InlineData(8 * 365 * 24 * 3600L, "8y")]
    public void FormatsLikeKubectl(long seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
