using System.Security.Cryptography;
using System.Text;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Ssh;

namespace ClusterManagement.Tests.NodeHosts;

public sealed class HostKeyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cm-known-hosts-").FullName;
    private static readonly byte[] KeyA = RandomNumberGenerator.GetBytes(51);
    private static readonly byte[] KeyB = RandomNumberGenerator.GetBytes(51);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private KnownHosts File(string text = "")
    {
        var path = Path.Combine(folder, "known_hosts");
        System.IO.File.WriteAllText(path, text);
        return new KnownHosts(path);
    }

    private static string Hashed(string name, byte[] salt) =>
        $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name)))}";

    [Fact]
    public void FingerprintsAreOpenSshStyle()
    {
        var fingerprint = SshFingerprint.Of(KeyA);
        Assert.StartsWith("SHA256:", fingerprint);
        Assert.DoesNotContain("=", fingerprint);
        Assert.True(SshFingerprint.Matches(fingerprint[7..], KeyA));
        Assert.False(SshFingerprint.Matches(fingerprint, KeyB));
    }

    [Fact]
    public void FindsPlainHashedBracketedAndCommaSeparatedEntries()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hosts = File($"""
            # a comment
            node1,10.0.0.5 ssh-ed25519 {Convert.ToBase64String(KeyA)}
            [127.0.0.11]:2201 ssh-ed25519 {Convert.ToBase64String(KeyB)} comment here
            {Hashed("[127.0.0.12]:2202", salt)} ecdsa-sha2-nistp256 {Convert.ToBase64String(KeyA)}
            @cert-authority *.example ssh-ed25519 {Convert.ToBase64String(KeyB)}
            not-base64 ssh-ed25519 ###
            """);

        Assert.Single(hosts.Find("10.0.0.5", 22));
        Assert.Single(hosts.Find("NODE1", 22));
        Assert.Empty(hosts.Find("node1", 2200));
        Assert.Equal(KeyB, hosts.Find("127.0.0.11", 2201).Single().Blob);
        Assert.Equal("ecdsa-sha2-nistp256", hosts.Find("127.0.0.12", 2202).Single().KeyType);
        Assert.Empty(hosts.Find("127.0.0.12", 22));
        Assert.Empty(hosts.Find("a.example", 22));
    }

    [Fact]
    public void ConcurrentAddsAllLand()
    {
        var hosts = File("other ssh-ed25519 " + Convert.ToBase64String(KeyB));
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => hosts.Add($"127.0.1.{i}", 2200 + i, new KnownHostKey("ssh-ed25519", KeyA)));
        for (var i = 0; i < 32; i++)
        {
            Assert.Single(hosts.Find($"127.0.1.{i}", 2200 + i));
        }

        Assert.Equal(33, System.IO.File.ReadAllLines(hosts.Path).Count(l => l.Length > 0));
    }

    [Fact]
    public void AddedKeysAreFoundAgainInOpenSshFormat()
    {
        var hosts = File("other ssh-ed25519 " + Convert.ToBase64String(KeyB));
        hosts.Add("127.0.0.13", 2203, new KnownHostKey("ssh-ed25519", KeyA));
        Assert.Equal(KeyA, hosts.Find("127.0.0.13", 2203).Single().Blob);
        Assert.Contains($"[127.0.0.13]:2203 ssh-ed25519 {Convert.ToBase64String(KeyA)}\n", System.IO.File.ReadAllText(hosts.Path));
        Assert.Single(hosts.Find("other", 22));
    }

    [Fact]
    public void AKnownKeyIsTrusted()
    {
        var hosts = File($"[h]:2200 ssh-ed25519 {Convert.ToBase64String(KeyA)}");
        Assert.Equal(HostKeyVerdict.Known, new HostKeyPolicy(hosts, acceptNewHostKey: false, recordedFingerprint: null).Verify("h", 2200, "ssh-ed25519", KeyA));
    }

    [Fact]
    public void AChangedKeyIsRefusedWithBothFingerprintsEvenWithAcceptNew()
    {
        var hosts = File($"[h]:2200 ssh-ed25519 {Convert.ToBase64String(KeyA)}");
        var error = Assert.Throws<ClusterException>(() => new HostKeyPolicy(hosts, acceptNewHostKey: true, recordedFingerprint: null).Verify("h", 2200, "ssh-ed25519", KeyB));
        Assert.Equal("HostKeyChanged", error.ErrorId);
        Assert.Contains(SshFingerprint.Of(KeyA), error.Message);
        Assert.Contains(SshFingerprint.Of(KeyB), error.Message);
        Assert.Single(hosts.Find("h", 2200));
    }

    [Fact]
    public void AnUnknownKeyIsRefusedByDefaultAndNothingIsWritten()
    {
        var hosts = File();
        var error = Assert.Throws<ClusterException>(() => new HostKeyPolicy(hosts, acceptNewHostKey: false, recordedFingerprint: null).Verify("h", 2200, "ssh-ed25519", KeyA));
        Assert.Equal("HostKeyUnknown", error.ErrorId);
        Assert.Contains("-AcceptNewHostKey", error.Message);
        Assert.Empty(hosts.Find("h", 2200));
    }

    [Fact]
    public void AcceptNewTrustsOnceAndRecords()
    {
        var hosts = File();
        Assert.Equal(HostKeyVerdict.AcceptedNew, new HostKeyPolicy(hosts, acceptNewHostKey: true, recordedFingerprint: null).Verify("h", 2200, "ssh-ed25519", KeyA));
        Assert.Equal(HostKeyVerdict.Known, new HostKeyPolicy(hosts, acceptNewHostKey: false, recordedFingerprint: null).Verify("h", 2200, "ssh-ed25519", KeyA));
    }

    [Fact]
    public void TheFingerprintRecordedOnTheNodeLetsASecondAdminIn()
    {
        var hosts = File();
        var policy = new HostKeyPolicy(hosts, acceptNewHostKey: false, recordedFingerprint: SshFingerprint.Of(KeyA));
        Assert.Equal(HostKeyVerdict.RecordedInCluster, policy.Verify("h", 2200, "ssh-ed25519", KeyA));
        Assert.Single(hosts.Find("h", 2200));

        var mismatch = Assert.Throws<ClusterException>(() => new HostKeyPolicy(File(), acceptNewHostKey: true, recordedFingerprint: SshFingerprint.Of(KeyA)).Verify("h", 2200, "ssh-ed25519", KeyB));
        Assert.Equal("HostKeyChanged", mismatch.ErrorId);
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(rm -rf /)", "'$(rm -rf /)'")]
    public void ShellQuotingKeepsEverythingLiteral(string value, string quoted) => Assert.Equal(quoted, NodeShell.Quote(value));
}
