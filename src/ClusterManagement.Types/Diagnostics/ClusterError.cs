namespace ClusterManagement.Diagnostics;

/// <summary>
/// One entry of the error catalogue (<see cref="ClusterErrors"/>): the id PowerShell shows as the
/// FullyQualifiedErrorId and the kind that fixes its ErrorCategory. Only this assembly creates
/// entries, so an id and its category are decided in one place.
/// </summary>
public sealed record ClusterError
{
    internal ClusterError(string id, ClusterErrorKind kind)
    {
        Id = id;
        Kind = kind;
    }

    public string Id { get; }

    public ClusterErrorKind Kind { get; }

    /// <summary>
    /// The error about one kind of object, for problems the API server reports for every kind
    /// (<c>NodeNotFound</c>, <c>DeploymentConflict</c>): the subject is only known at run time.
    /// </summary>
    public ClusterError About(string subject) => new(subject + Id, Kind);

    public override string ToString() => Id;
}
