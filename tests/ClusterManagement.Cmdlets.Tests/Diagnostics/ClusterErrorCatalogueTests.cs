using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Tests.Diagnostics;

/// <summary>The error catalogue's contract (CONTRIBUTING.md, "Errors"): scripts match on these ids.</summary>
public sealed partial class ClusterErrorCatalogueTests
{
    // A problem word in front is the word order the catalogue replaced (InvalidMetric, NoCurrentContext).
    private static readonly string[] ProblemWords = ["Invalid", "Unsupported", "Unknown", "Missing", "No", "Not", "Duplicate", "Last", "Bad", "Failed", "Cannot", "Unable"];

    public static TheoryData<string> Ids() => [.. Fixed().Select(e => e.Error.Id)];

    [Fact]
    public void EveryIdIsItsMembersNameAndUnique()
    {
        var all = Fixed().Concat(Templates()).ToList();
        Assert.NotEmpty(Fixed());
        Assert.All(all, e => Assert.Equal(e.Member, e.Error.Id));
        var repeated = Fixed().Select(e => e.Error.Id).Concat(Templates().Select(e => e.Error.Id))
            .GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(repeated);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void IdsNameTheSubjectFirstAndTheProblemLast(string id)
    {
        var words = Words().Matches(id).Select(m => m.Value).ToArray();
        Assert.Equal(id, string.Concat(words));
        Assert.True(words.Length >= 2, $"{id}: <Subject><Problem>, at least two words");
        Assert.DoesNotContain(words[0], ProblemWords);
    }

    [Fact]
    public void TemplatesCompleteToTheSameRule()
    {
        Assert.Equal("NodeNotFound", ClusterErrors.Resource.NotFound.About("Node").Id);
        Assert.Equal(ClusterErrorKind.Conflict, ClusterErrors.Resource.Conflict.About("ConfigMap").Kind);
        Assert.All(Templates(), e => Assert.Matches(Words(), e.Error.About("Deployment").Id));
    }

    // ErrorRecords maps each kind to one ErrorCategory, so a kind per id is a category per id; that
    // mapping is checked on the built module by tests/Pester/Module.Tests.ps1.
    [Fact]
    public void AProblemWordKeepsItsKind()
    {
        var expected = new (string Suffix, ClusterErrorKind[] Kinds)[]
        {
            ("NotFound", [ClusterErrorKind.NotFound, ClusterErrorKind.ContextNotFound]),
            ("AlreadyExists", [ClusterErrorKind.AlreadyExists]),
            ("Timeout", [ClusterErrorKind.Timeout]),
            ("Invalid", [ClusterErrorKind.Invalid, ClusterErrorKind.InvalidArgument, ClusterErrorKind.ConfigurationInvalid, ClusterErrorKind.CertificateInvalid]),
            ("Unreachable", [ClusterErrorKind.Unreachable]),
        };
        var checkedIds = 0;
        foreach (var (_, error) in Fixed().Concat(Templates()))
        {
            foreach (var (_, kinds) in expected.Where(x => error.Id.EndsWith(x.Suffix, StringComparison.Ordinal)))
            {
                Assert.True(kinds.Contains(error.Kind), $"{error.Id} is {error.Kind}");
                checkedIds++;
            }
        }

        Assert.True(checkedIds > 20, $"only {checkedIds} ids checked");
    }

    [Fact]
    public void OnlyTheCatalogueCreatesIds()
    {
        Assert.DoesNotContain(typeof(ClusterException).GetConstructors(), c => c.GetParameters().Any(p => p.ParameterType == typeof(ClusterErrorKind) || p.ParameterType == typeof(string) && p.Position == 0));
        Assert.Empty(typeof(ClusterError).GetConstructors(BindingFlags.Public | BindingFlags.Instance));
    }

    [Fact]
    public void NoSourceBuildsAnErrorFromALiteral()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var offences = new List<string>();
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count > 100, src);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var name = Path.GetRelativePath(src, file);
            offences.AddRange(LiteralId().Matches(text).Select(m => $"{name}: {m.Value}"));
            if (!name.EndsWith("ErrorRecords.cs", StringComparison.Ordinal))
            {
                offences.AddRange(BareRecord().Matches(text).Select(m => $"{name}: {m.Value}"));
            }
        }

        Assert.Empty(offences);
    }

    [Fact]
    public void TheSourceScanFindsWhatItLooksFor()
    {
        Assert.Matches(LiteralId(), "throw new ClusterException(ClusterErrorKind.Invalid, \"Oops\", message);");
        Assert.Matches(LiteralId(), "if (e.ErrorId == \"Oops\")");
        Assert.Matches(BareRecord(), "WriteError(new ErrorRecord(e, \"Oops\", ErrorCategory.NotSpecified, null));");
        Assert.DoesNotMatch(LiteralId(), "throw new ClusterException(ClusterErrors.NodeNotFound, \"Node 'a' was not found.\");");
    }

    private static IEnumerable<(string Member, ClusterError Error)> Fixed() => Members(typeof(ClusterErrors));

    private static IEnumerable<(string Member, ClusterError Error)> Templates() => Members(typeof(ClusterErrors.Resource));

    private static IEnumerable<(string Member, ClusterError Error)> Members(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(ClusterError))
            .Select(f => (f.Name, (ClusterError)f.GetValue(null)!));

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    // PascalCase words; acronyms such as IP and CA stay one word (IPRange, ClusterCaUnknown).
    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z][a-z0-9]+")]
    private static partial Regex Words();

    // An id written as a literal where an error is built or compared.
    [GeneratedRegex("""(ClusterErrorKind\.\w+,\s*"|ErrorId\s*(==|is)\s*")""")]
    private static partial Regex LiteralId();

    // An ErrorRecord built outside ErrorRecords, or written past the shared path.
    [GeneratedRegex("""new ErrorRecord\(|(?<![\w.])(WriteError|ThrowTerminatingError)\((?!record\))""")]
    private static partial Regex BareRecord();
}
