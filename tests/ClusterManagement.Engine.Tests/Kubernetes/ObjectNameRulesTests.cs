using ClusterManagement.Engine.Kubernetes;
using Xunit;

namespace ClusterManagement.Tests.Kubernetes;

/// <summary>Cases and messages from apimachinery's own validation tests and errors (pkg/util/validation).</summary>
public sealed class ObjectNameRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("worker-1")]
    [InlineData("node.example.com")]
    [InlineData("1-2.3")]
    public void AcceptsDns1123Subdomains(string value) => Assert.Empty(ObjectNameRules.Dns1123Subdomain(value));

    [Theory]
    [InlineData("")]
    [InlineData("Worker-1")]
    [InlineData("worker_1")]
    [InlineData("-worker")]
    [InlineData("worker-")]
    [InlineData("a..b")]
    [InlineData("a.-b")]
    [InlineData("a-.b")]
    [InlineData(".a")]
    [InlineData("worker-1\n")]
    [InlineData("$(touch pwned)")]
    public void RefusesOtherNames(string value) =>
        Assert.Equal(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            Assert.Single(ObjectNameRules.Dns1123Subdomain(value)));

    [Fact]
    public void CountsTheLengthOfASubdomain()
    {
        Assert.Empty(ObjectNameRules.Dns1123Subdomain(new string('a', 253)));
        Assert.Equal("must be no more than 253 characters", Assert.Single(ObjectNameRules.Dns1123Subdomain(new string('a', 254))));
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("now-with-dashes")]
    [InlineData("1-starts-with-num")]
    [InlineData("1234")]
    [InlineData("simple/simple")]
    [InlineData("now-with-dashes/simple")]
    [InlineData("now-with-dashes/now-with-dashes")]
    [InlineData("now.with.dots/now-with-dashes")]
    [InlineData("now-with.dashes-and.dots/now-with-dashes")]
    [InlineData("1.2.3.4/3-starts-with-num")]
    [InlineData("UpperCaseAreOK123")]
    [InlineData("node-role.kubernetes.io/control-plane")]
    public void AcceptsQualifiedNames(string value) => Assert.Empty(ObjectNameRules.QualifiedName(value));

    [Theory]
    [InlineData("nospecialchars%^=@")]
    [InlineData("cantendwithadash-")]
    [InlineData("-cantstartwithadash-")]
    [InlineData("only/one/slash")]
    [InlineData("Example.com/abc")]
    [InlineData("example_com/abc")]
    [InlineData("example.com/")]
    [InlineData("/simple")]
    [InlineData("a b")]
    [InlineData("$(touch pwned)")]
    [InlineData("")]
    public void RefusesOtherKeys(string value) => Assert.NotEmpty(ObjectNameRules.QualifiedName(value));

    [Fact]
    public void WordsKeyErrorsAsTheApiServer()
    {
        Assert.Equal(
            ["name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            ObjectNameRules.QualifiedName("bad key"));
        Assert.Equal(["name part must be no more than 63 characters"], ObjectNameRules.QualifiedName(new string('a', 64)));
        Assert.Equal(["prefix part must be non-empty"], ObjectNameRules.QualifiedName("/name"));
        Assert.StartsWith("prefix part a lowercase RFC 1123 subdomain", Assert.Single(ObjectNameRules.QualifiedName("Bad.Prefix/name")), StringComparison.Ordinal);
        Assert.Equal(["name part must be non-empty", "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            ObjectNameRules.QualifiedName("example.com/"));
        Assert.StartsWith("a qualified name must consist of", Assert.Single(ObjectNameRules.QualifiedName("a/b/c")), StringComparison.Ordinal);
        Assert.Empty(ObjectNameRules.QualifiedName(new string('a', 253) + "/" + new string('b', 63)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("simple")]
    [InlineData("now-with-dashes")]
    [InlineData("1-starts-with-num")]
    [InlineData("end-with-num-1")]
    [InlineData("1234")]
    [InlineData("UpperCase123")]
    [InlineData("dots.and_underscores")]
    public void AcceptsLabelValues(string value) => Assert.Empty(ObjectNameRules.LabelValue(value));

    [Theory]
    [InlineData("nospecialchars%^=@")]
    [InlineData("Tama-nui-te-rā.is.Māori.sun")]
    [InlineData("\\backslashes\\are\\bad")]
    [InlineData("-starts-with-dash")]
    [InlineData("ends-with-dash-")]
    [InlineData(".starts.with.dot")]
    [InlineData("ends.with.dot.")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void RefusesOtherLabelValues(string value) =>
        Assert.Equal(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            Assert.Single(ObjectNameRules.LabelValue(value)));

    [Fact]
    public void CountsTheLengthOfALabelValue()
    {
        Assert.Empty(ObjectNameRules.LabelValue(new string('a', 63)));
        Assert.Equal(["must be no more than 63 characters"], ObjectNameRules.LabelValue(new string('a', 64)));
    }
}
