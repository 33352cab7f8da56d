using System.Collections;
using System.Management.Automation;

using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

/// <summary>Turns -Image's string or hashtable into <see cref="ContainerImages"/>; anything else is refused at binding, naming what came.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ContainerImagesTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
        return Unwrap(inputData) switch
        {
            ContainerImages images => images,
            string image => new ContainerImages([new(null, image)], namesContainers: false),
            IDictionary map => new ContainerImages(
                [.. map.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string?, string>(Unwrap(e.Key)?.ToString(), Unwrap(e.Value)?.ToString() ?? ""))],
                namesContainers: true),
            var other => throw new ArgumentTransformationMetadataException(
                $"-Image takes an image reference or a hashtable of container name to image reference, not {other?.GetType().Name ?? "null"}."),
        };
    }
}
