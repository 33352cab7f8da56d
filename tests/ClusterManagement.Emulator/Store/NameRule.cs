namespace ClusterManagement.Emulator.Store;

/// <summary>The rule the API server's validation applies to a kind's object names (ValidateNameFunc).</summary>
public enum NameRule
{
    /// <summary>NameIsDNSSubdomain: most kinds (nodes, pods, config maps, deployments, volumes...).</summary>
    Dns1123Subdomain,

    /// <summary>NameIsDNSLabel: namespaces.</summary>
    Dns1123Label,

    /// <summary>NameIsDNS1035Label: services, whose names become DNS labels that must start with a letter.</summary>
    Dns1035Label,

    /// <summary>path.ValidatePathSegmentName: RBAC roles and bindings (system:controller:... names).</summary>
    PathSegment,
}
