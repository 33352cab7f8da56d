using System.Security.Cryptography;

namespace ClusterManagement.Emulator.Auth;

/// <summary>Per-instance secrets: fresh for every emulator, so a kubeconfig from one run never works against another.</summary>
public sealed record EmulatorCredentials(string TeamAToken, string ReadonlyToken, string BadToken, string ControlToken)
{
    public static EmulatorCredentials Generate() => new(Random(), Random(), Random(), Random());

    private static string Random() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
