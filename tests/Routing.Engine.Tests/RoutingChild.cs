using System.Diagnostics;
using System.Text;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// The `routing` binary (built beside these tests) running as a separate process against a simulated
/// Asterisk of this test process, with its own scratch ledger, so that a test can kill it as a crash
/// would (SIGKILL: no shutdown code of the engine runs).
/// </summary>
internal sealed class RoutingChild : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;
    private readonly StringBuilder output = new();

    private RoutingChild(Process process, string directory)
    {
        this.process = process;
        this.directory = directory;
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>Starts `routing run --real --plain` against <paramref name="asterisk"/>.</summary>
    public static RoutingChild Start(SimulatedAsterisk asterisk, SimulatorOptions options, IReadOnlyDictionary<string, string> environment)
    {
        var directory = Path.Combine(Path.GetTempPath(), "routing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [Path.Combine(AppContext.BaseDirectory, "routing.dll"), "run", "--real", "--plain"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Asterisk__", StringComparison.Ordinal) || k.StartsWith("Admin__", StringComparison.Ordinal)
                     || k.StartsWith("Ledger__", StringComparison.Ordinal) || k.StartsWith("Simulation__", StringComparison.Ordinal)
                     || k.StartsWith("Centre__", StringComparison.Ordinal) || k.StartsWith("Routing__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var settings = new Dictionary<string, string?>();
        Hosting.AsteriskAddress.Of(asterisk, options).WriteTo(settings);
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // These tests are about crashes and restarts: a loaded box must not shed their callers to the fallback.
        start.Environment["Overload__Enabled"] = "false";
        start.Environment["Admin__Urls"] = "http://127.0.0.1:0";
        start.Environment["Ledger__Provider"] = "sqlite";
        start.Environment["Ledger__ConnectionString"] = $"Data Source={Path.Combine(directory, "ledger.db")}";
        start.Environment["Recordings__Directory"] = Path.Combine(directory, "recordings");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var child = new RoutingChild(process, directory);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL (Process.Kill on Unix), as the OOM killer or `kill -9` would: the engine gets no say.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: false);
        using var limit = new CancellationTokenSource(RoutingProcess.Limit);
        await process.WaitForExitAsync(limit.Token);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var limit = new CancellationTokenSource(RoutingProcess.Limit);
            await process.WaitForExitAsync(limit.Token);
        }

        process.Dispose();
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
