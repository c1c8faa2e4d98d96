using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Routing.Calls.Ports;
using Routing.Engine.Calls.Cel;

namespace Routing.Engine.Tests.Cel;

public sealed class CelImportTests
{
    private static IEnumerable<(long, string)> Numbered(IEnumerable<string> lines) => lines.Select((l, i) => ((long)i + 1, l));

    [Fact]
    public void Every_recorded_CEL_line_parses_into_its_twenty_columns()
    {
        foreach (var line in CelFixture.FallbackCallRows())
        {
            Assert.True(CelCsv.TryParseLine(line, out var fields, out var error), error);
            Assert.True(CelRow.TryFrom(fields, TimeSpan.Zero, out var row, out error), error);
            Assert.Equal("1796555333.8", row!.LinkedId);
        }
    }

    [Fact]
    public void A_call_the_dialplan_routed_while_the_engine_was_down_is_told_with_its_leg_answer_bridge_and_hang_ups()
    {
        var rows = CelFixture.FallbackCallRows().Select(Parse).ToList();

        var story = CelFallbackStory.From(rows)!;

        Assert.Equal("1796555333.8", story.Call.CallerChannelId);
        Assert.Equal("+77011234567", story.Call.CallerNumber);
        Assert.Equal("112", story.Call.DialedNumber);
        Assert.Equal(CelFallbackStory.Entry, story.Call.Entry);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 11, 8, 53, TimeSpan.Zero), story.Call.ArrivedAt);
        var leg = Assert.Single(story.Legs);
        Assert.Equal(("police", "almaty", "police", "PJSIP/police", "1796555333.9"), (leg.Agency, leg.Region, leg.Trunk, leg.Endpoint, leg.ChannelId));
        Assert.Equal(
            ["fallback.route", "leg.answered", "connected", "leg.ended", "hangup", "fallback.recorded", "outcome"],
            story.Events.Select(e => e.Kind));
        Assert.Equal("agency=police region=almaty stasis=FAILED failover=", story.Events[0].Detail);
        Assert.Equal("cause 16, hung up by PJSIP/caller, dialstatus ANSWER", story.Events.Single(e => e.Kind == "hangup").Detail);
        Assert.Contains("00:00:06 from arrival to the last hang-up", story.Events.Single(e => e.Kind == "fallback.recorded").Detail);
        Assert.Equal("FailedOver", story.Events[^1].Detail);
    }

    [Fact]
    public void The_rows_a_real_Asterisk_writes_for_a_fallback_call_name_the_marker_as_the_event_type_and_are_our_story()
    {
        var rows = File.ReadAllLines(Traces.PathOf("suite/cel-fallback-real/fallback-101-shymkent.cel.csv"))
            .Where(l => l.Length > 0).Select(Parse).ToList();
        Assert.Contains(rows, r => r.EventType == CelFallbackStory.Marker); // the legacy form, not USER_DEFINED

        var story = CelFallbackStory.From(rows)!;

        Assert.NotNull(story);
        Assert.Equal(("1796573209.24", "+77251000601", "101"), (story.Call.CallerChannelId, story.Call.CallerNumber, story.Call.DialedNumber));
        var leg = Assert.Single(story.Legs);
        Assert.Equal(("fire", "shymkent", "PJSIP/fire-shymkent-1"), (leg.Agency, leg.Region, leg.Endpoint));
        Assert.Equal("agency=fire region=shymkent stasis=FAILED failover=", story.Events[0].Detail);
        Assert.Contains(story.Events, e => e.Kind == "leg.answered");
        Assert.Equal("FailedOver", story.Events[^1].Detail);
    }

    [Fact]
    public void A_linkedid_that_never_passed_our_fallback_is_not_our_story()
    {
        Assert.Null(CelFallbackStory.From(CelFixture.RecordedRows().Select(Parse).ToList()));
    }

    [Fact]
    public void The_same_linkedid_always_gets_the_same_ids()
    {
        Assert.Equal(CelFallbackStory.StableId("call", "1796555333.8"), CelFallbackStory.StableId("call", "1796555333.8"));
        Assert.NotEqual(CelFallbackStory.StableId("call", "1796555333.8"), CelFallbackStory.StableId("leg", "1796555333.8"));
        Assert.Equal('8', CelFallbackStory.StableId("call", "x")[14]); // RFC 9562 version 8
    }

    [Fact]
    public async Task A_call_the_engine_already_recorded_live_is_not_recorded_again()
    {
        var journal = new ListJournal();
        var importer = new CelImporter(journal, (channel, _) => Task.FromResult(channel == "1796555333.8"), TimeSpan.Zero, NullLogger.Instance);

        var result = await importer.ConsumeAsync(Numbered(CelFixture.FallbackCallRows()), "Master.csv", CancellationToken.None);

        Assert.Equal((0, 1), (result.Recorded, result.AlreadyKnown));
        Assert.Empty(journal.Calls);
    }

    [Fact]
    public async Task A_story_is_recorded_once_its_linkedid_ends_and_not_before()
    {
        var journal = new ListJournal();
        var importer = new CelImporter(journal, (channel, _) => Task.FromResult(journal.Calls.Any(c => c.CallerChannelId == channel)), TimeSpan.Zero, NullLogger.Instance);
        var rows = CelFixture.FallbackCallRows();

        var first = await importer.ConsumeAsync(Numbered(rows[..^3]), "Master.csv", CancellationToken.None);
        Assert.Equal((0, 1), (first.Recorded, first.Pending));
        Assert.Empty(journal.Calls);

        var rest = await importer.ConsumeAsync(Numbered(rows[^3..]), "Master.csv", CancellationToken.None);
        Assert.Equal((1, 0), (rest.Recorded, rest.Pending));
        Assert.Single(journal.Calls);
        Assert.Single(journal.Legs);
        Assert.Equal(7, journal.Events.Count);

        var again = await importer.ConsumeAsync(Numbered(rows), "Master.csv", CancellationToken.None);
        Assert.Equal((0, 1), (again.Recorded, again.AlreadyKnown));
        Assert.Single(journal.Calls);
    }

    [Theory]
    [InlineData("\"HANGUP\",\"2026-12-06 11:08:59\"", "2 columns where the cel_custom mapping writes 20")]
    [InlineData("\"HANGUP,\"x\"", "has text after its closing quote")]
    [InlineData("\"HANGUP", "quoted field 1 is not closed")]
    public async Task A_malformed_line_is_named_with_file_and_line_and_the_rest_is_still_recorded(string bad, string expected)
    {
        var journal = new ListJournal();
        var importer = new CelImporter(journal, (_, _) => Task.FromResult(false), TimeSpan.Zero, NullLogger.Instance);
        var rows = CelFixture.FallbackCallRows().ToList();
        rows.Insert(3, bad);

        var result = await importer.ConsumeAsync(Numbered(rows), "Master.csv", CancellationToken.None);

        Assert.Equal(1, result.Rejected);
        Assert.StartsWith("Master.csv:4: ", result.FirstError);
        Assert.Contains(expected, result.FirstError);
        Assert.Equal(1, result.Recorded);
    }

    [Fact]
    public void A_bad_time_is_refused_by_name()
    {
        var fields = new List<string>(Enumerable.Repeat("x", CelRow.ColumnCount)) { [1] = "yesterday" };

        Assert.False(CelRow.TryFrom(fields, TimeSpan.Zero, out _, out var error));
        Assert.Contains("eventtime 'yesterday'", error);
    }

    [Fact]
    public void Times_written_in_Asterisk_local_time_take_the_configured_offset_and_an_explicit_zone_wins()
    {
        var local = CelFixture.FallbackCallRows()[0];
        Assert.True(CelCsv.TryParseLine(local, out var fields, out _));
        Assert.True(CelRow.TryFrom(fields, TimeSpan.FromHours(5), out var row, out _));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 6, 8, 53, TimeSpan.Zero), row!.EventTime.ToUniversalTime());

        fields[1] = "2026-12-06 11:08:53 +0000";
        Assert.True(CelRow.TryFrom(fields, TimeSpan.FromHours(5), out row, out _));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 11, 8, 53, TimeSpan.Zero), row!.EventTime.ToUniversalTime());
    }

    [Fact]
    public async Task The_service_reads_what_was_appended_since_its_last_pass_and_starts_over_on_a_rotated_file()
    {
        var dir = Directory.CreateTempSubdirectory("cel-import-");
        try
        {
            var file = Path.Combine(dir.FullName, "routing112.csv");
            var rows = CelFixture.FallbackCallRows();
            await File.WriteAllTextAsync(file, string.Join("\n", rows[..5]) + "\n" + rows[5][..10]); // ends in a partial line
            var journal = new ListJournal();
            var service = new CelImportService(new CelImportOptions { File = file }, journal,
                (channel, _) => Task.FromResult(journal.Calls.Any(c => c.CallerChannelId == channel)), new FakeTimeProvider(), NullLogger<CelImportService>.Instance);

            var first = await service.PassAsync(CancellationToken.None);
            Assert.Equal((5, 0, 0), (first!.Lines, first.Rejected, first.Recorded));

            await File.AppendAllTextAsync(file, rows[5][10..] + "\n" + string.Join("\n", rows[6..]) + "\n");
            var second = await service.PassAsync(CancellationToken.None);
            Assert.Equal((rows.Length - 5, 0, 1), (second!.Lines, second.Rejected, second.Recorded));

            await File.WriteAllTextAsync(file, rows[0] + "\n"); // rotated: a new, shorter file
            var third = await service.PassAsync(CancellationToken.None);
            Assert.Equal((1, 0, 0), (third!.Lines, third.Rejected, third.Recorded));
            Assert.Single(journal.Calls);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_file_is_reported_not_thrown()
    {
        var service = new CelImportService(new CelImportOptions { File = "/nonexistent/routing112.csv" }, new ListJournal(),
            (_, _) => Task.FromResult(false), new FakeTimeProvider(), NullLogger<CelImportService>.Instance);

        Assert.Null(await service.PassAsync(CancellationToken.None));
    }

    private static CelRow Parse(string line)
    {
        Assert.True(CelCsv.TryParseLine(line, out var fields, out var error), error);
        Assert.True(CelRow.TryFrom(fields, TimeSpan.Zero, out var row, out error), error);
        return row!;
    }

    /// <summary>What Asterisk 23.4.1 wrote for a text [messages-app] forwarded while the engine was away (turn2, T7b).</summary>
    private static string[] TextFallbackRows() => File.ReadAllLines(Traces.PathOf("turn2/cel-text-fallback.cel-rows.csv")).Where(l => l.Length > 0).ToArray();

    [Fact]
    public async Task A_text_the_dialplan_forwarded_while_the_engine_was_away_is_recorded_once_with_sender_desk_and_body()
    {
        var journal = new ListJournal();
        var importer = new CelImporter(journal, (channel, _) => Task.FromResult(journal.Calls.Any(c => c.CallerChannelId == channel)), TimeSpan.Zero, NullLogger.Instance);

        var result = await importer.ConsumeAsync(Numbered(TextFallbackRows()), "routing112.csv", CancellationToken.None);

        Assert.Equal((1, 1, 0, 0), (result.Recorded, result.Texts, result.Rejected, result.Pending));
        var call = Assert.Single(journal.Calls);
        Assert.Equal(("+77271000952", CelTextFallback.Entry, new DateTimeOffset(2026, 12, 6, 22, 52, 58, TimeSpan.Zero)), (call.CallerNumber, call.Entry, call.ArrivedAt));
        var story = journal.Events.Select(e => (e.Kind, e.Detail)).ToList();
        Assert.Equal(("text.in", "#1: Help, I cannot speak. Shots at the market"), story[0]);
        var fallback = Assert.Single(story, e => e.Kind == "text.fallback").Detail;
        Assert.Contains("to pjsip:police-text (SUCCESS)", fallback, StringComparison.Ordinal);
        Assert.Contains("told to call 112 (SUCCESS)", fallback, StringComparison.Ordinal);
        Assert.Contains("Call-ID 1-2549@127.0.0.1", fallback, StringComparison.Ordinal);
        Assert.Equal(("outcome", "FailedOver"), story[^1]);
        Assert.Single(story, e => e.Kind == "outcome");

        var again = await importer.ConsumeAsync(Numbered(TextFallbackRows()), "routing112.csv", CancellationToken.None);
        Assert.Equal((0, 1), (again.Recorded, again.AlreadyKnown));
        Assert.Single(journal.Calls);
    }

    [Fact]
    public async Task The_message_channels_rows_never_pile_up_waiting_for_an_end_asterisk_never_writes()
    {
        // main/message.c reuses one Message/ast_msg_queue channel for every MESSAGE: its linkedid never ends.
        var importer = new CelImporter(new ListJournal(), (_, _) => Task.FromResult(false), TimeSpan.Zero, NullLogger.Instance);

        var result = await importer.ConsumeAsync(Numbered(TextFallbackRows().Take(1)), "routing112.csv", CancellationToken.None);

        Assert.Equal((1, 0, 0), (result.Lines, result.Recorded, result.Pending));
    }

    [Theory]
    [InlineData("number=+77011234567 desk=pjsip:police-text deskstatus=FAILURE replystatus=SUCCESS callid=x body=Help", "LostDuringOutage")]
    [InlineData("number=+77011234567 desk=pjsip:police-text deskstatus=SUCCESS replystatus=FAILURE callid=y body=%D0%9F%D0%BE%D0%BC%D0%BE%D0%B3%D0%B8%D1%82%D0%B5%2C%20%E2%80%AEevil%E2%80%AC%0A%F0%9F%98%80%D0", "FailedOver")]
    public async Task A_desk_that_did_not_take_the_text_asks_for_a_call_back_and_a_hostile_or_cut_body_is_cleaned(string extra, string outcome)
    {
        var journal = new ListJournal();
        var importer = new CelImporter(journal, (_, _) => Task.FromResult(false), TimeSpan.Zero, NullLogger.Instance);

        var result = await importer.ConsumeAsync(Numbered([TextRow(extra)]), "routing112.csv", CancellationToken.None);

        Assert.Equal(1, result.Texts);
        Assert.Equal(outcome, journal.Events.Single(e => e.Kind == "outcome").Detail);
        Assert.Equal(outcome == "LostDuringOutage", journal.Events.Any(e => e.Kind == "callback.required"));
        var body = journal.Events.First(e => e.Kind == "text.in").Detail;
        Assert.DoesNotContain('\u202E', body);
        if (outcome == "FailedOver")
        {
            Assert.Equal("#1: Помогите, evil\n😀", body);
            Assert.Contains(journal.Events, e => e.Kind == "text.cleaned");
        }
    }

    [Theory]
    [InlineData("desk=pjsip:police-text deskstatus=SUCCESS body=x", "without a sender number")]
    [InlineData("number=${EPOCH} body=x", "without a sender number")]
    public async Task A_text_event_without_a_sender_is_named_and_the_rest_goes_on(string extra, string expected)
    {
        var journal = new ListJournal();
        var importer = new CelImporter(journal, (_, _) => Task.FromResult(false), TimeSpan.Zero, NullLogger.Instance);

        var result = await importer.ConsumeAsync(Numbered([TextRow(extra), .. TextFallbackRows()]), "routing112.csv", CancellationToken.None);

        Assert.Equal((1, 1), (result.Rejected, result.Texts));
        Assert.StartsWith("routing112.csv:1: ", result.FirstError);
        Assert.Contains(expected, result.FirstError);
    }

    private static string TextRow(string extra) =>
        $"\"routing112-text-fallback\",\"2026-12-06 22:52:58 +0000\",\"\",\"\",\"\",\"\",\"\",\"text\",\"messages-app\",\"Message/ast_msg_queue\",\"CELGenUserEvent\",\"routing112-text-fallback,{extra}\",\"3\",\"\",\"1796597569.0\",\"1796597569.0\",\"\",\"\",\"routing112-text-fallback\",\"{{\"\"extra\"\":\"\"{extra}\"\"}}\"";

    private sealed class ListJournal : ICallJournal
    {
        public List<CallRecord> Calls { get; } = [];

        public List<LegRecord> Legs { get; } = [];

        public List<CallEventRecord> Events { get; } = [];

        public ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken)
        {
            Calls.Add(call);
            return ValueTask.CompletedTask;
        }

        public ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken)
        {
            Legs.Add(leg);
            return ValueTask.CompletedTask;
        }

        public ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken)
        {
            Events.Add(callEvent);
            return ValueTask.CompletedTask;
        }
    }
}
