namespace Routing.Checks.Tests;

/// <summary>Defect 2 of issue 6: channels arrived with language 'en' because no caller-side endpoint
/// had language=. check-config wants it set, and only to a language with prompts.</summary>
public sealed class CallerLanguageTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    private string Pjsip => _copy.Dialplan("pjsip.conf.in");

    [Fact]
    public void A_caller_endpoint_without_a_language_is_reported_on_the_endpoint()
    {
        _copy.Replace(Pjsip, "language = ru\n", "");

        var findings = _copy.Check();

        findings.HasError(Pjsip, ConfigCopy.LineOf(Pjsip, "[pstn](caller-endpoint)"), "caller endpoint [pstn] has no language=: Asterisk gives its callers' channels 'en' by accident");
    }

    [Fact]
    public void A_caller_endpoint_language_without_prompts_is_reported_on_its_line()
    {
        _copy.Replace(Pjsip, "[sos-buttons](caller-endpoint,video-endpoint)\n", "[sos-buttons](caller-endpoint,video-endpoint)\nlanguage = de\n");

        var findings = _copy.Check();

        findings.HasError(Pjsip, ConfigCopy.LineOf(Pjsip, "language = de"), "caller endpoint [sos-buttons]: language = de has no prompts (Routing:Ivr:LanguageDigits offers kk, ru, en)");
    }
}
