namespace ClusterManagement.Emulator.Kubelet;

/// <summary>What pulling an image from the emulated registry gives.</summary>
public enum ImagePull
{
    Pullable,

    /// <summary>The registry has no such reference (containerd: `... not found`).</summary>
    NotFound,

    /// <summary>The registry wants credentials the node does not have (`pull access denied ...`).</summary>
    Unauthorized,
}

/// <summary>
/// How an image behaves on the emulated nodes, declared by tests through
/// <see cref="ImageRegistry"/> or the control API (`PUT /_emulator/images`). An image nobody declared
/// pulls and runs until it is stopped, and passes its readiness probe.
/// </summary>
public sealed record ImageBehaviour
{
    /// <summary>The reference exactly as pod specs name it (`nginx:1.27`, `registry.example/app:v2`).</summary>
    public required string Image { get; init; }

    public ImagePull Pull { get; init; } = ImagePull.Pullable;

    /// <summary>The container's process exits with this code after <see cref="RunSeconds"/>; null runs it until stopped.</summary>
    public int? ExitCode { get; init; }

    /// <summary>What the process wrote to its terminationMessagePath before exiting.</summary>
    public string? TerminationMessage { get; init; }

    /// <summary>How long the process runs before it exits, in emulator seconds (not scaled).</summary>
    public double RunSeconds { get; init; }

    /// <summary>The prober's output for a failing readiness probe (`HTTP probe failed with statuscode: 503`); null passes.</summary>
    public string? ReadinessFailure { get; init; }
}

/// <summary>The emulated registry and runtime: image behaviours by reference, changed while the emulator runs.</summary>
public sealed class ImageRegistry
{
    /// <summary>Tests make a release fail by giving it an image whose tag contains this (web:broken, web:broken-2): it does not exist.</summary>
    public const string UnpullableImageMarker = ":broken";

    private readonly Dictionary<string, ImageBehaviour> _declared = [];

    public void Declare(ImageBehaviour behaviour)
    {
        lock (_declared)
        {
            _declared[behaviour.Image] = behaviour;
        }
    }

    public bool Forget(string image)
    {
        lock (_declared)
        {
            return _declared.Remove(image);
        }
    }

    public void Clear()
    {
        lock (_declared)
        {
            _declared.Clear();
        }
    }

    public IReadOnlyList<ImageBehaviour> Declared
    {
        get
        {
            lock (_declared)
            {
                return [.. _declared.Values.OrderBy(b => b.Image, StringComparer.Ordinal)];
            }
        }
    }

    public ImageBehaviour Find(string image)
    {
        lock (_declared)
        {
            if (_declared.TryGetValue(image, out var declared))
            {
                return declared;
            }
        }
        return new ImageBehaviour
        {
            Image = image,
            Pull = image.Contains(UnpullableImageMarker, StringComparison.Ordinal) ? ImagePull.NotFound : ImagePull.Pullable,
        };
    }
}
