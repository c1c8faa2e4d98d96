namespace Routing.Engine.Simulation;

/// <summary>The in-process simulator only listens on loopback for this process's own engine, so
/// its credentials are generated per run rather than configured (and never the real ones).</summary>
internal static class SimulatorCredentials
{
    public const string User = "routing";

    public static readonly string Password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
