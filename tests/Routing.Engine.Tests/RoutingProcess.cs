using System.Diagnostics;

namespace Routing.Engine.Tests;

/// <summary>Runs the `routing` binary (built beside these tests) as a person would, in a scratch
/// directory with its own ledger, and returns what it printed and how it exited.</summary>
internal static class RoutingProcess
{
    /// <summary>Hang guard only: a run that has not exited by then is killed and the test fails.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var directory = Path.Combine(Path.GetTempPath(), "routing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [Path.Combine(AppContext.BaseDirectory, "routing.dll"), .. args])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Nothing of the machine's own engine settings leaks in; the run gets a ledger of its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Asterisk__", StringComparison.Ordinal) || k.StartsWith("Admin__", StringComparison.Ordinal)
                     || k.StartsWith("Ledger__", StringComparison.Ordinal) || k.StartsWith("Simulation__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        // These tests are about crashes and restarts: a loaded box must not shed their callers to the fallback.
        start.Environment["Overload__Enabled"] = "false";
        start.Environment["Ledger__Provider"] = "sqlite";
        start.Environment["Ledger__ConnectionString"] = $"Data Source={Path.Combine(directory, "ledger.db")}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"routing {string.Join(' ', args)} did not exit within {Limit}; it printed:\n{await stdout}\n{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A scratch directory left behind in /tmp is harmless.
            }
        }
    }
}
