using System.Security.Cryptography;
using System.Text;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;

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

        Assert.Single(hosts.Lookup("10.0.0.5", 22).Keys);
        Assert.Single(hosts.Lookup("NODE1", 22).Keys);
        Assert.Empty(hosts.Lookup("node1", 2200).Keys);
        Assert.Equal(KeyB, hosts.Lookup("127.0.0.11", 2201).Keys.Single().Blob);
        Assert.Equal("ecdsa-sha2-nistp256", hosts.Lookup("127.0.0.12", 2202).Keys.Single().KeyType);
        Assert.Empty(hosts.Lookup("127.0.0.12", 22).Keys);
        Assert.Empty(hosts.Lookup("a.example", 22).Keys);
    }

    [Fact]
    public void ConcurrentAddsAllLand()
    {
        var hosts = File("other ssh-ed25519 " + Convert.ToBase64String(KeyB));
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => hosts.Add($"127.0.1.{i}", 2200 + i, new KnownHostKey("ssh-ed25519", KeyA)));
        for (var i = 0; i < 32; i++)
        {
            Assert.Single(hosts.Lookup($"127.0.1.{i}", 2200 + i).Keys);
        }

        Assert.Equal(33, System.IO.File.ReadAllLines(hosts.Path).Count(l => l.Length > 0));
    }

    [Fact]
    public async Task AReadWaitsForAWriterInsteadOfFailing()
    {
        var hosts = File($"[h]:2200 ssh-ed25519 {Convert.ToBase64String(KeyA)}\n");

        // What another process appending a key looks like: the file under an exclusive lock.
        Task<KnownHostEntries> read;
        using (new FileStream(hosts.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            read = Task.Factory.StartNew(() => hosts.Lookup("h", 2200), TaskCreationOptions.LongRunning);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.False(read.IsCompleted, "the read must wait while the writer holds the file");
        }

        var entries = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(KeyA, entries.Keys.Single().Blob);
    }

    [Fact]
    public void AFileLockedBeyondTheBoundIsRefusedInTime()
    {
        var hosts = new KnownHosts(File().Path, TimeSpan.FromMilliseconds(300));
        using var writer = new FileStream(hosts.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<ClusterException>(() => new HostKeyPolicy(hosts, acceptNewHostKey: true, recordedFingerprint: null).Verify("h", 2200, "ssh-ed25519", KeyA));
        Assert.Equal("KnownHostsLocked", error.ErrorId);
        Assert.Contains(hosts.Path, error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void ParallelFirstVisitsAndKnownVisitsAllSucceed()
    {
        // Hashed and plain entries mixed, as a file that has seen HashKnownHosts and later appends.
        var salt = RandomNumberGenerator.GetBytes(20);
        var hosts = File($"{Hashed("[127.0.2.1]:2200", salt)} ssh-ed25519 {Convert.ToBase64String(KeyB)}\n[127.0.2.2]:2200 ssh-ed25519 {Convert.ToBase64String(KeyB)}\n");
        var verdicts = new HostKeyVerdict[200];
        Parallel.For(0, verdicts.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 }, i =>
        {
            var policy = new HostKeyPolicy(hosts, acceptNewHostKey: true, recordedFingerprint: null);
            verdicts[i] = i % 2 == 0
                ? policy.Verify($"127.0.3.{i / 2}", 2200, "ssh-ed25519", KeyA)
                : policy.Verify($"127.0.2.{1 + (i % 4 / 2)}", 2200, "ssh-ed25519", KeyB);
        });

        Assert.All(verdicts.Where((_, i) => i % 2 == 0), v => Assert.Equal(HostKeyVerdict.AcceptedNew, v));
        Assert.All(verdicts.Where((_, i) => i % 2 == 1), v => Assert.Equal(HostKeyVerdict.Known, v));
        for (var i = 0; i < 100; i++)
        {
            Assert.Single(hosts.Lookup($"127.0.3.{i}", 2200).Keys);
        }
    }

    [Fact]
    public void TwoFirstVisitsOfOneHostRecordItOnce()
    {
        var hosts = File();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ => hosts.Add("h", 2200, new KnownHostKey("ssh-ed25519", KeyA)));
        Assert.Single(System.IO.File.ReadAllLines(hosts.Path), l => l.Length > 0);
    }

    [Fact]
    public void ARevokedKeyIsRefusedNamingTheFileAndLineEvenWhenAlsoKnown()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hosts = File($"""
            [h]:2200 ssh-ed25519 {Convert.ToBase64String(KeyA)}
            # revoked after the host was reinstalled
            @revoked {Hashed("[h]:2200", salt)} ssh-ed25519 {Convert.ToBase64String(KeyA)}
            @revoked other ssh-ed25519 {Convert.ToBase64String(KeyB)}
            """);
        var error = Assert.Throws<ClusterException>(() => new HostKeyPolicy(hosts, acceptNewHostKey: true, recordedFingerprint: SshFingerprint.Of(KeyA)).Verify("h", 2200, "ssh-ed25519", KeyA));
        Assert.Equal("HostKeyRevoked", error.ErrorId);
        Assert.Contains($"line 3 of {hosts.Path}", error.Message);
        Assert.Contains(SshFingerprint.Of(KeyA), error.Message);

        // A key revoked for another host only is no reason to refuse this one.
        var other = File($"""
            [h]:2200 ssh-ed25519 {Convert.ToBase64String(KeyB)}
            @revoked other ssh-ed25519 {Convert.ToBase64String(KeyB)}
            """);
        Assert.Equal(HostKeyVerdict.Known, new HostKeyPolicy(other, acceptNewHostKey: false, recordedFingerprint: null).Verify("h", 2200, "ssh-ed25519", KeyB));
    }

    [Fact]
    public void AWildcardRevocationRefusesANewKeyBeforeAnyTrustOnFirstUse()
    {
        var hosts = File($"@revoked * ssh-ed25519 {Convert.ToBase64String(KeyA)}\n");
        var error = Assert.Throws<ClusterException>(() => new HostKeyPolicy(hosts, acceptNewHostKey: true, recordedFingerprint: null).Verify("fresh", 2200, "ssh-ed25519", KeyA));
        Assert.Equal("HostKeyRevoked", error.ErrorId);
        Assert.Contains("line 1", error.Message);
        Assert.Empty(hosts.Lookup("fresh", 2200).Keys);
    }

    [Fact]
    public void AHostUnderACertificateAuthorityIsReportedAsUnsupportedWithWhatToDo()
    {
        var hosts = File($"""
            # hosts of example carry certificates
            @cert-authority *.example,!old.example ssh-ed25519 {Convert.ToBase64String(KeyB)}
            """);
        foreach (var accept in new[] { false, true })
        {
            var error = Assert.Throws<ClusterException>(() => new HostKeyPolicy(hosts, acceptNewHostKey: accept, recordedFingerprint: null).Verify("a.example", 22, "ssh-ed25519", KeyA));
            Assert.Equal("HostCertificateUnsupported", error.ErrorId);
            Assert.Contains($"line 2 of {hosts.Path}", error.Message);
            Assert.Contains("does not verify host certificates", error.Message);
            Assert.Contains(SshFingerprint.Of(KeyA), error.Message);
            Assert.Contains($"a.example ssh-ed25519 {Convert.ToBase64String(KeyA)}", error.Message);
        }

        Assert.Empty(hosts.Lookup("a.example", 22).Keys);
        Assert.Equal(2, hosts.Lookup("a.example", 22).Authorities.Single().Line);
        Assert.Empty(hosts.Lookup("old.example", 22).Authorities);

        // Once the plain key is recorded, as the message says, the host is known.
        hosts.Add("a.example", 22, new KnownHostKey("ssh-ed25519", KeyA));
        Assert.Equal(HostKeyVerdict.Known, new HostKeyPolicy(hosts, acceptNewHostKey: false, recordedFingerprint: null).Verify("a.example", 22, "ssh-ed25519", KeyA));
    }

    [Fact]
    public void AddedKeysAreFoundAgainInOpenSshFormat()
    {
        var hosts = File("other ssh-ed25519 " + Convert.ToBase64String(KeyB));
        hosts.Add("127.0.0.13", 2203, new KnownHostKey("ssh-ed25519", KeyA));
        Assert.Equal(KeyA, hosts.Lookup("127.0.0.13", 2203).Keys.Single().Blob);
        Assert.Contains($"[127.0.0.13]:2203 ssh-ed25519 {Convert.ToBase64String(KeyA)}\n", System.IO.File.ReadAllText(hosts.Path));
        Assert.Single(hosts.Lookup("other", 22).Keys);
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
        Assert.Single(hosts.Lookup("h", 2200).Keys);
    }

    [Fact]
    public void AnUnknownKeyIsRefusedByDefaultAndNothingIsWritten()
    {
        var hosts = File();
        var error = Assert.Throws<ClusterException>(() => new HostKeyPolicy(hosts, acceptNewHostKey: false, recordedFingerprint: null).Verify("h", 2200, "ssh-ed25519", KeyA));
        Assert.Equal("HostKeyUnknown", error.ErrorId);
        Assert.Contains("-AcceptNewHostKey", error.Message);
        Assert.Empty(hosts.Lookup("h", 2200).Keys);
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
        Assert.Single(hosts.Lookup("h", 2200).Keys);

        var mismatch = Assert.Throws<ClusterException>(() => new HostKeyPolicy(File(), acceptNewHostKey: true, recordedFingerprint: SshFingerprint.Of(KeyA)).Verify("h", 2200, "ssh-ed25519", KeyB));
        Assert.Equal("HostKeyChanged", mismatch.ErrorId);
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(rm -rf /)", "'$(rm -rf /)'")]
    public void ShellQuotingKeepsEverythingLiteral(string value, string quoted) => Assert.Equal(quoted, NodeShell.Quote(value));
}
