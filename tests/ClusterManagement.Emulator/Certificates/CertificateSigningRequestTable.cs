using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Certificates;

/// <summary>printers.go printCertificateSigningRequest, with extractCSRStatus's order of precedence.</summary>
public sealed class CertificateSigningRequestTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.AgeColumn,
        new("SignerName", "string", "signerName indicates the requested signer, and is a qualified name."),
        new("Requestor", "string", "request contains an x509 certificate signing request encoded in a \"CERTIFICATE REQUEST\" PEM block. When serialized as JSON or YAML, the data is additionally base64-encoded."),
        new("RequestedDuration", "string", "expirationSeconds is the requested duration of validity of the issued certificate."),
        new("Condition", "string", "conditions applied to the request. Known conditions are \"Approved\", \"Denied\", and \"Failed\"."),
    ];

    public JsonArray Cells(JsonObject csr, DateTimeOffset now)
    {
        var types = csr.ObjectsAt("status", "conditions").Select(c => c.StringAt("type")).ToHashSet();
        var condition = types.Contains("Denied") ? "Denied" : types.Contains("Approved") ? "Approved" : "Pending";
        if (types.Contains("Failed"))
        {
            condition += ",Failed";
        }

        if (!string.IsNullOrEmpty(csr.StringAt("status", "certificate")))
        {
            condition += ",Issued";
        }

        return
        [
            csr.Name(),
            HumanDuration.Since(csr.StringAt("metadata", "creationTimestamp"), now),
            csr.StringAt("spec", "signerName") ?? "<none>",
            csr.StringAt("spec", "username") ?? string.Empty,
            csr.LongAt("spec", "expirationSeconds") is { } seconds ? HumanDuration.Format(TimeSpan.FromSeconds(seconds)) : "<none>",
            condition,
        ];
    }
}
