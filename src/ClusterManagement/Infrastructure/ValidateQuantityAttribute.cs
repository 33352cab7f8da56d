using System.Management.Automation;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;
using ClusterManagement.Commands.Storage;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Rejects sizes that are not Kubernetes quantities while parameters bind, before any request.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateQuantityAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var text = (arguments is PSObject wrapped ? wrapped.BaseObject : arguments)?.ToString();
        if (!StorageQuantity.TryParse(text, out _, out var error))
        {
            throw new ValidationMetadataException(error);
        }
    }
}
