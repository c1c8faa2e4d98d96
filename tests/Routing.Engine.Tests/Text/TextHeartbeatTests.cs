using Routing.Engine.Text;

namespace Routing.Engine.Tests.Text;

/// <summary>The engine tells the dialplan it reads texts: a global heartbeat it keeps fresh over ARI, which the
/// dialplan's text fallback reads (DialplanTextFallbackTests in Routing.Checks.Tests).</summary>
public sealed class TextHeartbeatTests
{
    [Fact]
    public async Task With_text_on_the_engine_writes_its_clock_to_the_global_heartbeat_and_keeps_writing_it()
    {
        await using var text = await TextHarness.StartAsync(new() { ["Text:HeartbeatInterval"] = "00:00:01" }, login: false);
        var asterisk = text.Asterisk;

        await text.Harness.WaitUntilAsync(() => asterisk.GlobalVariable(TextHeartbeat.Variable) is not null, "the first heartbeat");
        var first = long.Parse(asterisk.GlobalVariable(TextHeartbeat.Variable)!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(first, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var puts = asterisk.Requests.Where(r => r.Method == "PUT" && r.Path == "/ari/asterisk/variable").ToList();
        Assert.All(puts, r => Assert.Equal(204, r.Status));
        Assert.Contains("variable=ROUTING112_TEXT_HEARTBEAT", puts[0].Query, StringComparison.Ordinal);

        await text.Harness.WaitUntilAsync(() => asterisk.Requests.Count(r => r.Method == "PUT" && r.Path == "/ari/asterisk/variable") >= puts.Count + 2, "two more heartbeats");
    }

    [Fact]
    public async Task Without_text_there_is_no_heartbeat_so_the_dialplan_keeps_handling_texts_itself()
    {
        await using var harness = await EngineHarness.StartAsync();
        Assert.Null(harness.Engine.Host.Services.GetService(typeof(TextHeartbeat)));
        Assert.Null(harness.Asterisk.GlobalVariable(TextHeartbeat.Variable));
        Assert.DoesNotContain(harness.Asterisk.Requests, r => r.Path == "/ari/asterisk/variable");
    }
}
