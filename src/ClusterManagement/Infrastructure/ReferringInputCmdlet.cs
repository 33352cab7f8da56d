using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Base of cmdlets that take their objects by -Name, and also take another of the module's objects from
/// the pipeline to mean the object it refers to: a pod means its node, a claim its volume. The typed
/// -InputObject binds the piped object itself, which PowerShell prefers to binding its own Name property
/// to -Name (that would look for a node named after the pod). A cmdlet whose -Name is mandatory makes
/// the -InputObject set its default: PowerShell tries a mandatory default set's pipeline parameters
/// first, and -Name, positional in its own set only, still takes names.
/// </summary>
public abstract class ReferringInputCmdlet<TInput> : ClusterCmdlet
    where TInput : class
{
    protected const string ByName = "ByName";
    protected const string ByInputObject = "ByInputObject";

    /// <summary>
    /// Each object is worked on once, however many piped objects refer to it (all the pods of one node); by
    /// context as well, since the pods of two clusters may name nodes of the same name.
    /// </summary>
    private readonly HashSet<string> referred = new(StringComparer.Ordinal);

    [Parameter(Mandatory = true, ParameterSetName = ByInputObject, ValueFromPipeline = true)]
    public TInput? InputObject { get; set; }

    /// <summary>The name of the object <paramref name="input"/> refers to; null or empty while it refers to none.</summary>
    private protected abstract string? ReferredName(TInput input);

    /// <summary>The error for an input that refers to no object yet.</summary>
    private protected abstract ErrorRecord Unreferred(TInput input);

    /// <summary>
    /// The names this record asks for: <paramref name="names"/>, or the piped object's referent. Empty
    /// when the referent was already worked on, or when there is none (then an error record says why).
    /// </summary>
    [return: NotNullIfNotNull(nameof(names))]
    private protected string[]? RequestedNames(string[]? names, PipelineWriter writer)
    {
        if (InputObject is null)
        {
            return names;
        }

        if (ReferredName(InputObject) is not { Length: > 0 } name)
        {
            writer.Error(Unreferred(InputObject));
            return [];
        }

        return referred.Add($"{string.Join(",", Context ?? [])}/{name}") ? [name] : [];
    }
}
