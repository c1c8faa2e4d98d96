using Routing.Simulator;

namespace Routing.Engine.Tests;

public sealed partial class CentreEndToEndTests
{
    /// <summary>ARI originates (POST /ari/channels) of the offers to a position, oldest first.</summary>
    private static List<RecordedRequest> OffersTo(EngineHarness harness, string position) =>
        harness.Asterisk.Requests.Where(r => r.Method == "POST" && r.Path == "/ari/channels"
            && r.Query.Contains("PJSIP%2F" + position, StringComparison.Ordinal)).ToList();

    /// <summary>Seen on Asterisk 23.4.1 (load-tests/asterisk video-app): an originate without an originator asks the
    /// endpoint for audio only (main/dial.c), so the call-taker's phone was offered no video and never saw the caller's
    /// camera. A video entry's offer names the caller as originator (its codecs, video included, as Dial() does).</summary>
    [Fact]
    public async Task A_video_callers_offer_is_originated_with_the_callers_media_and_an_audio_callers_without()
    {
        // The shipped Routing:Video:Entries (App, Sos) make the SOS button a video caller; 112 from the PSTN is audio.
        await using var centre = await StartAsync(Phones(("calltaker-1", Answers)));
        await centre.WaitReachableAsync("calltaker-1");
        await centre.Api.LoginAsync("aigerim", "calltaker-1");

        var sos = await centre.Harness.Asterisk.PlaceCallAsync(
            new CallScript("+77270000101", "112", "SOS button", Context: "from-sos", HangUpAfter: TimeSpan.FromSeconds(1)), CancellationToken.None);
        await centre.OnCallWithAsync("calltaker-1");
        var videoOffer = Assert.Single(OffersTo(centre.Harness, "calltaker-1"));
        Assert.Contains("originator=" + Uri.EscapeDataString(sos.ChannelId), videoOffer.Query, StringComparison.Ordinal);

        await centre.Harness.WaitForOutcomeAsync(sos.ChannelId);
        await centre.WaitForCallTakerAsync("calltaker-1", c => c.GetProperty("state").GetString() == "Available", "available again");
        await centre.Harness.Asterisk.PlaceCallAsync(Caller(8) with { HangUpAfter = TimeSpan.FromSeconds(1) }, CancellationToken.None);
        await centre.Harness.WaitUntilAsync(() => OffersTo(centre.Harness, "calltaker-1").Count == 2, "the audio caller's offer");
        Assert.DoesNotContain("originator=", OffersTo(centre.Harness, "calltaker-1")[^1].Query, StringComparison.Ordinal);
    }
}
