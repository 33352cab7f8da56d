using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using ClusterManagement.Engine.NodeHosts.Ssh;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>
/// SSH.NET trusts any host key unless the caller checks it, so every client the module opens must
/// come from the one place that wires up the host-key policy. Read from the compiled engine, so a
/// client constructed anywhere else (an SftpClient for a download, a second SshClient) fails here.
/// </summary>
public sealed class SshClientFactoryTests
{
    [Fact]
    public void OnlyNodeShellConnectConstructsAnSshClientAndNothingConstructsAFileTransferClient()
    {
        using var file = File.OpenRead(typeof(NodeShell).Assembly.Location);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        var constructors = new Dictionary<string, int>();
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (metadata.GetString(member.Name) == ".ctor" && member.Parent.Kind == HandleKind.TypeReference)
            {
                var type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
                if (metadata.GetString(type.Namespace) == "Renci.SshNet" && metadata.GetString(type.Name).EndsWith("Client", StringComparison.Ordinal))
                {
                    constructors[metadata.GetString(type.Name)] = MetadataTokens.GetToken(handle);
                }
            }
        }

        Assert.Equal(["SshClient"], constructors.Keys);
        var users = new List<string>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress != 0 && Constructs(pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!, constructors["SshClient"]))
                {
                    users.Add($"{metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}");
                }
            }
        }

        // ConnectAsync is an async method: its body lives in the compiler's state machine type.
        Assert.Contains("ConnectAsync", Assert.Single(users));
    }

    /// <summary>Whether the IL holds a newobj of this constructor token (opcode 0x73, then the token little-endian).</summary>
    private static bool Constructs(byte[] il, int token)
    {
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] == 0x73 && BitConverter.ToInt32(il, i + 1) == token)
            {
                return true;
            }
        }

        return false;
    }
}
