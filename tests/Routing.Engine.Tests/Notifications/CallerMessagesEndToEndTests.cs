using Microsoft.AspNetCore.WebUtilities;
using Routing.Simulator;

namespace Routing.Engine.Tests.Notifications;

/// <summary>Status messages to the caller over the whole engine: SIP MESSAGE through the simulated Asterisk
/// (ARI PUT /endpoints/sendMessage, as recorded in turn2's sip-message trace), every step on the call's story.</summary>
public sealed class CallerMessagesEndToEndTests
{
    [Fact]
    public async Task A_mobile_caller_put_through_to_fire_is_told_registered_handed_over_and_closed_and_each_send_is_on_record()
    {
        await using var harness = await EngineHarness.StartAsync();

        var (call, _) = await harness.CallAsync(new CallScript("+77011234567", "101", TalkFor: TimeSpan.FromSeconds(1)));
        await harness.WaitForOutcomeAsync(call.ChannelId);
        await harness.WaitUntilAsync(() => SentMessages(harness).Count >= 3, "three messages to the caller");

        var sent = SentMessages(harness);
        Assert.All(sent, r => Assert.Equal("pjsip:sms-gateway/sip:+77011234567@sms-gateway", Q(r)["to"]));
        Assert.Contains("зарегистрировано", Q(sent[0])["body"]);
        Assert.Contains("Fire and rescue", Q(sent[1])["body"]);
        Assert.Contains("закрыто", Q(sent[2])["body"]);
        await harness.WaitUntilAsync(async () => await CountSentAsync(harness, call.ChannelId) == 3, "three notify.sent on the call's story");
    }

    [Fact]
    public async Task A_landline_caller_gets_no_message_and_the_reason_is_on_record()
    {
        await using var harness = await EngineHarness.StartAsync();

        var (call, _) = await harness.CallAsync(new CallScript("+77271234567", "101", TalkFor: TimeSpan.FromSeconds(1)));
        await harness.WaitForOutcomeAsync(call.ChannelId);

        await harness.WaitUntilAsync(async () => (await StoryAsync(harness, call.ChannelId)).Count(e => e.Kind == "notify.skipped") == 3, "three skipped messages on record");
        Assert.Empty(SentMessages(harness));
        Assert.Contains(await StoryAsync(harness, call.ChannelId), e => e.Kind == "notify.skipped" && e.Detail.Contains("not in an SMS-capable range", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Q(RecordedRequest request) =>
        QueryHelpers.ParseQuery(request.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private static List<RecordedRequest> SentMessages(EngineHarness harness) =>
        harness.Asterisk.Requests.Where(r => r.Method == "PUT" && r.Path.EndsWith("/endpoints/sendMessage", StringComparison.Ordinal)).ToList();

    private static async Task<List<Routing.Calls.Ports.CallEventRecord>> StoryAsync(EngineHarness harness, string channelId)
    {
        var calls = await harness.Engine.Ledger.FindByCallerChannelAsync(channelId, CancellationToken.None);
        if (calls.Count == 0) return [];
        var history = await harness.Engine.Ledger.GetCallAsync(calls[0].Call.CallId, CancellationToken.None);
        return history!.Events.Select(e => e.Event).ToList();
    }

    private static async Task<int> CountSentAsync(EngineHarness harness, string channelId) => (await StoryAsync(harness, channelId)).Count(e => e.Kind == "notify.sent");
}
