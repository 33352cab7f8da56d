using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;
namespace ClusterManagement.Commands.Apps;

/// <summary>
/// What Publish-AppVersion -Image takes: one image reference (for -Container, or the app's only
/// container), or a hashtable of container name to image reference. A type of its own, so syntax and
/// help say what to pass instead of Object.
/// </summary>
public sealed class ContainerImages
{
    internal ContainerImages(IReadOnlyList<KeyValuePair<string?, string>> images, bool namesContainers)
    {
        Images = images;
        NamesContainers = namesContainers;
    }

    /// <summary>Container name to image; a null name is the container -Container (or the app) chooses.</summary>
    public IReadOnlyList<KeyValuePair<string?, string>> Images { get; }

    /// <summary>True when given as a hashtable, which names the containers itself.</summary>
    public bool NamesContainers { get; }

    public override string ToString() => string.Join(", ", Images.Select(i => i.Key is null ? i.Value : $"{i.Key}={i.Value}"));
}
