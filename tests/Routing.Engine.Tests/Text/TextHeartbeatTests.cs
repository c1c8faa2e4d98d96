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
        var puts = asterisk.Requests.Where(r => r.Method == "POST" && r.Path == "/ari/asterisk/variable").ToList();
        Assert.All(puts, r => Assert.Equal(204, r.Status));
        Assert.Contains("variable=ROUTING112_TEXT_HEARTBEAT", puts[0].Query, StringComparison.Ordinal);

        await text.Harness.WaitUntilAsync(() => asterisk.Requests.Count(r => r.Method == "POST" && r.Path == "/ari/asterisk/variable") >= puts.Count + 2, "two more heartbeats");
    }

    [Fact]
    public async Task A_clean_stop_sets_the_heartbeat_to_0_so_the_dialplan_takes_the_next_text_at_once_and_the_next_engine_beats_again()
    {
        await using var text = await TextHarness.StartAsync(new() { ["Text:HeartbeatInterval"] = "00:00:01" }, login: false);
        var asterisk = text.Asterisk;
        await text.Harness.WaitUntilAsync(() => asterisk.GlobalVariable(TextHeartbeat.Variable) is { } v && v != TextHeartbeat.Away, "the first heartbeat");

        string? whileDown = null;
        await text.Harness.RestartEngineAsync(() =>
        {
            whileDown = asterisk.GlobalVariable(TextHeartbeat.Variable);
            return Task.CompletedTask;
        });

        // Before: the value stayed fresh for TEXT_HEARTBEAT_STALE seconds after the stop, and the dialplan left those
        // texts to an app that was gone.
        Assert.Equal(TextHeartbeat.Away, whileDown);
        await text.Harness.WaitUntilAsync(() => asterisk.GlobalVariable(TextHeartbeat.Variable) is { } v && v != TextHeartbeat.Away, "the new engine's heartbeat");
    }

    [Fact]
    public async Task Without_text_there_is_no_heartbeat_so_the_dialplan_keeps_handling_texts_itself()
    {
        await using var harness = await EngineHarness.StartAsync();
        Assert.Null(harness.Engine.Host.Services.GetService(typeof(TextHeartbeat)));
        Assert.Null(harness.Asterisk.GlobalVariable(TextHeartbeat.Variable));
        Assert.DoesNotContain(harness.Asterisk.Requests, r => r.Path == "/ari/asterisk/variable");
    }

    [Fact]
    public async Task A_heartbeat_Asterisk_refuses_is_counted_as_failed_and_never_ends_the_service()
    {
        var ari = System.Reflection.DispatchProxy.Create<Routing.Asterisk.Ari.IAriRestClient, RefusingAri>();
        var fake = (RefusingAri)(object)ari;
        var heartbeat = new TextHeartbeat(ari, new Routing.Calls.Text.TextOptions(), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TextHeartbeat>.Instance);

        Assert.False(await heartbeat.BeatAsync(CancellationToken.None));
        fake.Error = new InvalidOperationException("anything else");
        Assert.False(await heartbeat.BeatAsync(CancellationToken.None));
        fake.Error = null;
        Assert.True(await heartbeat.BeatAsync(CancellationToken.None));
        Assert.Equal(["ROUTING112_TEXT_HEARTBEAT", "ROUTING112_TEXT_HEARTBEAT", "ROUTING112_TEXT_HEARTBEAT"], fake.Variables);
    }

    /// <summary>ARI whose global-variable write fails with <see cref="Error"/>; anything else it is asked is a test bug.</summary>
    public class RefusingAri : System.Reflection.DispatchProxy
    {
        public Exception? Error { get; set; } = new Routing.Asterisk.Ari.AriException(System.Net.HttpStatusCode.ServiceUnavailable, "POST", "/asterisk/variable", "down");

        public List<string> Variables { get; } = [];

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(Routing.Asterisk.Ari.IAriRestClient.SetGlobalVariableAsync)) throw new NotSupportedException(targetMethod?.Name);
            Variables.Add((string)args![0]!);
            return Error is { } e ? Task.FromException(e) : Task.CompletedTask;
        }
    }
}
