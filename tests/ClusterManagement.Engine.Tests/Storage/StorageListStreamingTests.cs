using System.Text.Json.Nodes;
using ClusterManagement.Connection;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Storage;
using ClusterManagement.Storage;
using ClusterManagement.Tests.Kubernetes;

namespace ClusterManagement.Tests.Storage;

/// <summary>
/// Storage lists stream: a claim is written once its page and its volume are in, while the volume
/// list is still being read, and the output is the same join as when every volume was read first;
/// classes and drivers are written page by page.
/// </summary>
public sealed class StorageListStreamingTests
{
    private const int ClaimCount = Paging.PageSize + 100;
    private const string VolumeList = "/api/v1/persistentvolumes";
    private const string ClaimList = "/api/v1/persistentvolumeclaims";

    /// <summary>Claims are seeded round-robin into bench-01..10 and listed by namespace, then name.</summary>
    private static readonly (string, string)[] Retained = [("bench-01", "data-00000"), ("bench-10", $"data-{ClaimCount - 11:00000}")];

    [Fact]
    public async Task ClaimsAreWrittenWhileTheVolumeListIsHeldAndBeforeTheLastClaimPageIsAsked()
    {
        await using var emulator = await StartAsync();
        var connection = Connect(emulator);
        var held = emulator.Faults.Add(new FaultRule { Method = "GET", Path = VolumeList, Hang = true, Times = 1 });
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var claims = new List<CsiVolumeClaim>();
        IReadOnlyList<string>? askedBeforeFirst = null;
        long lastAnswered = 0;

        await foreach (var claim in new VolumeClaimService(connection, new RecordingLog()).ListAsync(null, null, limit.Token))
        {
            askedBeforeFirst ??= [.. emulator.Requests.All.Select(r => r.Path)];
            lastAnswered = emulator.Requests.All[^1].Sequence;
            claims.Add(claim);
        }

        Assert.Equal(1, emulator.Faults.Find(held)!.Value.Hits);
        // The volume list was asked (the rule hit it) and held: it ends, and is logged, only once the listing lets
        // it go, after every claim was written.
        Assert.All(
            emulator.Requests.All.Where(r => r.Path.StartsWith(VolumeList + "?", StringComparison.Ordinal)),
            r => Assert.True(r.Sequence > lastAnswered, $"the volume list ended (#{r.Sequence}) before the last claim was written (#{lastAnswered})"));
        Assert.NotNull(askedBeforeFirst);
        Assert.Single(askedBeforeFirst, p => p.StartsWith(ClaimList + "?", StringComparison.Ordinal));
        Assert.Contains(emulator.Requests.All, r => r.Path.StartsWith(ClaimList + "?", StringComparison.Ordinal) && r.Path.Contains("continue=", StringComparison.Ordinal));
        AssertJoined(claims);
    }

    [Fact]
    public async Task WithTheVolumeListInTheJoinIsTheSameAsReadingEveryVolumeFirst()
    {
        await using var emulator = await StartAsync();
        var connection = Connect(emulator);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var claims = new List<CsiVolumeClaim>();

        await foreach (var claim in new VolumeClaimService(connection, new RecordingLog()).ListAsync(null, null, limit.Token))
        {
            if (claims.Count == 0)
            {
                // The volume list has two pages: once the last is in, the claims after this one are joined from it.
                while (!emulator.Requests.All.Any(r => r.Path.StartsWith(VolumeList + "?", StringComparison.Ordinal) && r.Path.Contains("continue=", StringComparison.Ordinal) && r.Status == 200))
                {
                    await Task.Delay(20, limit.Token);
                }
            }
            claims.Add(claim);
        }

        var singleReads = emulator.Requests.All.Count(r => r.Path.StartsWith(VolumeList + "/", StringComparison.Ordinal));
        Assert.InRange(singleReads, 1, ClaimCount / 2);
        AssertJoined(claims);
    }

    [Fact]
    public async Task StorageClassesAreWrittenBeforeTheirLastPageIsAsked()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false });
        for (var i = 0; i < Paging.PageSize; i++)
        {
            emulator.Store.Create(StorageKinds.StorageClasses, new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"class-{i:000}" }, ["provisioner"] = StorageSeeder.Driver });
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var pagesBeforeFirst = -1;
        var names = new List<string>();
        await foreach (var sc in new StorageClassService(Connect(emulator), new RecordingLog()).ListAsync(limit.Token))
        {
            pagesBeforeFirst = pagesBeforeFirst < 0 ? PagesAsked(emulator, "/apis/storage.k8s.io/v1/storageclasses") : pagesBeforeFirst;
            names.Add(sc.Name);
        }

        Assert.Equal(1, pagesBeforeFirst);
        Assert.Equal(2, PagesAsked(emulator, "/apis/storage.k8s.io/v1/storageclasses"));
        Assert.Equal(Paging.PageSize + 1, names.Distinct().Count());
    }

    [Fact]
    public async Task CsiDriversAreWrittenBeforeTheirLastPageIsAskedWithTheClassesThatUseThem()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false });
        for (var i = 0; i < Paging.PageSize; i++)
        {
            emulator.Store.Create(StorageKinds.CsiDrivers, new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"driver-{i:000}.example.com" }, ["spec"] = new JsonObject() });
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var pagesBeforeFirst = -1;
        var drivers = new List<CsiDriver>();
        await foreach (var driver in new CsiDriverService(Connect(emulator)).ListAsync(limit.Token))
        {
            pagesBeforeFirst = pagesBeforeFirst < 0 ? PagesAsked(emulator, "/apis/storage.k8s.io/v1/csidrivers") : pagesBeforeFirst;
            drivers.Add(driver);
        }

        Assert.Equal(1, pagesBeforeFirst);
        Assert.Equal(2, PagesAsked(emulator, "/apis/storage.k8s.io/v1/csidrivers"));
        Assert.Equal(Paging.PageSize + 1, drivers.Count);
        Assert.Equal(["standard"], drivers.Single(d => d.Name == StorageSeeder.Driver).StorageClasses);
        Assert.All(drivers.Where(d => d.Name != StorageSeeder.Driver), d => Assert.Empty(d.StorageClasses));
    }

    private static int PagesAsked(KubeEmulator emulator, string path) =>
        emulator.Requests.All.Count(r => r.Method == "GET" && r.Path.StartsWith(path + "?", StringComparison.Ordinal));

    private static async Task<KubeEmulator> StartAsync()
    {
        var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false, SeedClaims = ClaimCount });
        // The first claim listed and one of the last keep their volumes under another policy and driver
        // than their class's, and the last one has lost its volume: only a real join tells them apart.
        foreach (var (ns, name) in Retained)
        {
            var claim = emulator.Store.Get(StorageKinds.PersistentVolumeClaims, ns, name)!;
            emulator.Store.Mutate(StorageKinds.PersistentVolumes, null, VolumeOf(claim), pv =>
            {
                pv["spec"]!["persistentVolumeReclaimPolicy"] = "Retain";
                pv["spec"]!["csi"]!["driver"] = "other.csi.example.com";
                return true;
            });
        }
        var last = emulator.Store.Get(StorageKinds.PersistentVolumeClaims, "bench-10", $"data-{ClaimCount - 1:00000}")!;
        emulator.Store.Delete(StorageKinds.PersistentVolumes, null, VolumeOf(last));
        return emulator;
    }

    private static string VolumeOf(JsonObject claim) => claim["spec"]!["volumeName"]!.GetValue<string>();

    private static void AssertJoined(List<CsiVolumeClaim> claims)
    {
        Assert.Equal(ClaimCount, claims.Count);
        Assert.Equal(Retained[0], (claims[0].Namespace, claims[0].Name));
        var retained = claims.Where(c => Retained.Contains((c.Namespace, c.Name))).ToList();
        Assert.Equal(Retained.Length, retained.Count);
        Assert.All(retained, c => Assert.Equal(("Retain", "other.csi.example.com"), (c.ReclaimPolicy, c.Driver)));
        var lost = Assert.Single(claims, c => c.Name == $"data-{ClaimCount - 1:00000}");
        Assert.Null(lost.ReclaimPolicy);
        Assert.All(claims.Except(retained).Where(c => c != lost), c => Assert.Equal(("Delete", StorageSeeder.Driver), (c.ReclaimPolicy, c.Driver)));
        Assert.Equal(claims.Count, claims.Select(c => (c.Namespace, c.Name)).Distinct().Count());
    }

    private static ClusterConnection Connect(KubeEmulator emulator) =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
}
