using System.Text.Json;

namespace Routing.Engine.Tests;

/// <summary>What the shipped <c>routing</c> binary asks of the .NET runtime (its routing.runtimeconfig.json).</summary>
public class RuntimeConfigTests
{
    [Fact]
    public void Idle_thread_pool_workers_sleep_instead_of_spinning_on_the_cores_Asterisk_needs()
    {
        // Issue 11: a quarter of the engine's CPU samples at 50 calls/s on a real Asterisk were idle workers spinning on
        // sched_yield (load-tests/README.md, the CPU profile).
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "routing.runtimeconfig.json")));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
