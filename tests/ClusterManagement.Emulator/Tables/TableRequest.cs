namespace ClusterManagement.Emulator.Tables;

public enum IncludeObject
{
    None,
    Metadata,
    Object,
}

/// <summary>Whether a request negotiated a meta.k8s.io/v1 Table (kubectl get does) and what each row should embed.</summary>
public sealed record TableRequest(IncludeObject Include)
{
    public static TableRequest? From(string? accept, string? includeObject)
    {
        if (accept is null || !accept.Split(',').Any(IsTableMediaType))
        {
            return null;
        }
        var include = includeObject switch
        {
            "None" => IncludeObject.None,
            "Object" => IncludeObject.Object,
            _ => IncludeObject.Metadata,
        };
        return new TableRequest(include);
    }

    /// <summary>Only the first media range the client prefers counts, and only a Table in meta.k8s.io v1 (or v1beta1).</summary>
    private static bool IsTableMediaType(string mediaRange)
    {
        var parameters = mediaRange.Split(';', StringSplitOptions.TrimEntries).Skip(1)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return parameters.GetValueOrDefault("as") == "Table" && parameters.GetValueOrDefault("g") == "meta.k8s.io";
    }
}
