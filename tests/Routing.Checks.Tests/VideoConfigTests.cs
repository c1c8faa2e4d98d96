namespace Routing.Checks.Tests;

/// <summary>Video entries (Routing:Video in appsettings.json, as shipped: App and Sos) against pjsip.conf.in's codecs, in
/// a copy of the shipped files broken one way at a time.</summary>
public sealed class VideoConfigTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    private static bool IsAboutVideo(CheckFinding f) => f.Message.Contains("video", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void The_shipped_video_entries_reach_only_endpoints_that_allow_a_video_codec()
    {
        Assert.DoesNotContain(_copy.Check(), IsAboutVideo);
    }

    [Fact]
    public void Without_the_video_codecs_every_endpoint_a_video_call_passes_is_an_error_on_its_section()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "[video-endpoint](!)\nallow = h264,vp8\n", "[video-endpoint](!)\n");

        var findings = _copy.Check();

        findings.HasError(pjsip, ConfigCopy.LineOf(pjsip, "[app-gateway](caller-endpoint,video-endpoint)"), "endpoint [app-gateway] (callers of the video entry App) allows no video codec (alaw,ulaw)");
        findings.HasError(pjsip, ConfigCopy.LineOf(pjsip, "[sos-buttons](caller-endpoint,video-endpoint)"), "endpoint [sos-buttons] (callers of the video entry Sos) allows no video codec");
        findings.HasError(pjsip, ConfigCopy.LineOf(pjsip, "[calltaker-1](calltaker-endpoint)"), "endpoint [calltaker-1] (call-taker position) allows no video codec");
        findings.HasError(pjsip, ConfigCopy.LineOf(pjsip, "[police-almaty-1](agency-endpoint)"), "endpoint [police-almaty-1] (agency trunk) allows no video codec");
        Assert.Contains(findings, f => f.Message.Contains("Routing:Video:Entries (App, Sos,", StringComparison.Ordinal));
        // The PSTN interconnect carries no video entry's calls: audio only is fine there.
        Assert.DoesNotContain(findings, f => f.Message.StartsWith("endpoint [pstn]", StringComparison.Ordinal));
    }

    [Fact]
    public void One_trunk_that_takes_video_away_with_a_later_disallow_is_the_only_error()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "[fire-astana-2](agency-endpoint)\naors = fire-astana-2\n", "[fire-astana-2](agency-endpoint)\naors = fire-astana-2\ndisallow = all\nallow = ulaw\n");

        var findings = _copy.Check().Where(IsAboutVideo).ToList();

        var error = Assert.Single(findings);
        Assert.Equal((Severity.Error, ConfigCopy.LineOf(pjsip, "[fire-astana-2](agency-endpoint)")), (error.Severity, error.Line));
        Assert.Contains("endpoint [fire-astana-2] (agency trunk) allows no video codec (ulaw)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Making_112_a_video_entry_is_refused_on_the_audio_only_PSTN_interconnect()
    {
        _copy.Replace(_copy.AppSettings, "\"Entries\": [ \"App\", \"Sos\" ]", "\"Entries\": [ \"App\", \"Sos\", \"Emergency112\" ]");
        var pjsip = _copy.Dialplan("pjsip.conf.in");

        _copy.Check().HasError(pjsip, ConfigCopy.LineOf(pjsip, "[pstn](caller-endpoint)"), "endpoint [pstn] (callers of the video entry Emergency112) allows no video codec (alaw,ulaw)");
    }

    [Fact]
    public void An_unknown_video_entry_is_an_error_naming_the_key()
    {
        _copy.Replace(_copy.AppSettings, "\"Entries\": [ \"App\", \"Sos\" ]", "\"Entries\": [ \"App\", \"Camera\" ]");

        var findings = _copy.Check();

        var error = Assert.Single(findings, f => f.Message.StartsWith("Routing:Video:Entries:1 'Camera' is not a call entry", StringComparison.Ordinal));
        Assert.Equal((Severity.Error, Path.GetFullPath(_copy.AppSettings)), (error.Severity, Path.GetFullPath(error.File)));
        Assert.Equal(ConfigCopy.LineOf(_copy.AppSettings, "\"Entries\": [ \"App\", \"Camera\" ]"), error.Line);
    }
}
