using System.Collections;
using ClusterManagement.Collections;
using ClusterManagement.Common;
using ClusterManagement.Engine.Common;

namespace ClusterManagement.Tests;

/// <summary>The list, map and duration values of output types: their text is what Export-Csv writes.</summary>
public sealed class OutputValueTests
{
    [Fact]
    public void ListTextJoinsItemsWithSemicolons()
    {
        ValueList<string> roles = ["control-plane", "etcd"];
        Assert.Equal("control-plane;etcd", roles.ToString());
        Assert.Equal(string.Empty, ValueList<string>.Empty.ToString());
    }

    [Fact]
    public void MapIsSortedByKeyOrdinallyAndReadsAsKeyValuePairs()
    {
        var labels = new ValueMap(new Dictionary<string, string> { ["b"] = "2", ["B"] = "3", ["a"] = "1" });
        Assert.Equal("B=3;a=1;b=2", labels.ToString());
        Assert.Equal("1", labels["a"]);
    }

    [Fact]
    public void MapGivesPairsToDictionaryReadersAndKeyValueTextToPlainEnumeration()
    {
        var labels = new ValueMap(new Dictionary<string, string> { ["app"] = "web" });
        // ConvertTo-Json reads IDictionary; PowerShell's fallback list enumerates the plain IEnumerable.
        var entries = ((IDictionary)labels).GetEnumerator();
        Assert.True(entries.MoveNext());
        Assert.Equal(("app", "web"), ((string)entries.Key, (string?)entries.Value));
        Assert.False(entries.MoveNext());
        Assert.Equal(["app=web"], ((IEnumerable)labels).Cast<object>());
        Assert.Equal(KeyValuePair.Create("app", "web"), Assert.Single(labels));
    }

    [Theory]
    [InlineData(0, "PT0S")]
    [InlineData(41.9, "PT41S")]
    [InlineData(3 * 3600 + 12 * 60, "PT3H12M")]
    [InlineData(44 * 86400 + 7, "P44DT7S")]
    [InlineData(-3, "PT0S")]
    public void DurationIsIso8601InWholeSeconds(double seconds, string expected)
    {
        Assert.Equal(expected, IsoDuration.Format(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(Math.Floor(Math.Max(0, seconds)), IsoDuration.Parse(expected).TotalSeconds);
    }
}
