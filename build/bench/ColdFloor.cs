// The floor under the cold pipeline step (issue 18, goal 1): what a fresh pwsh pays for a binary module that
// does nothing but import and make one HTTPS GET of the nodes with the kubeconfig's client certificate. No
// kubeconfig reading, no SDK, no retries, no objects: the body comes back as kubectl's comes back, a string.
// Cold.Bench.ps1 compiles it into a module of its own with Add-Type; never part of the module.
#nullable enable
using System;
using System.Management.Automation;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;

[Cmdlet(VerbsCommon.Get, "ColdFloorNodeList")]
[OutputType(typeof(string))]
public sealed class GetColdFloorNodeListCommand : PSCmdlet
{
    [Parameter(Mandatory = true)]
    public string Server { get; set; } = "";

    [Parameter(Mandatory = true)]
    public string CertificatePem { get; set; } = "";

    [Parameter(Mandatory = true)]
    public string KeyPem { get; set; } = "";

    protected override void ProcessRecord()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var certificate = X509Certificate2.CreateFromPem(CertificatePem, KeyPem);
        handler.ClientCertificates.Add(certificate);
        using var client = new HttpClient(handler);
        using var response = client.GetAsync(new Uri(new Uri(Server), "/api/v1/nodes")).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        WriteObject(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }
}
