namespace Routing.Checks.Tests;

/// <summary>What a newcomer met running check-config on a broken routing file (issue 6, item 12):
/// each fault once, where it is, in words about the configuration rather than about .NET.</summary>
public sealed class CheckConfigPapercutTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void One_wrong_endpoint_is_one_error_on_its_line_and_nothing_is_blamed_on_the_untouched_dialplan()
    {
        _copy.Replace(_copy.AppSettings, "\"PJSIP/police-astana-2\"", "\"PJSIP/police-astana-9\"");

        var findings = _copy.Check();

        var error = Assert.Single(findings);
        Assert.Equal(Path.GetFullPath(_copy.AppSettings), Path.GetFullPath(error.File));
        Assert.Equal(ConfigCopy.LineOf(_copy.AppSettings, "\"PJSIP/police-astana-9\""), error.Line);
        Assert.Contains("no endpoint [police-astana-9]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_timer_says_what_a_duration_looks_like_and_not_what_dotnet_thinks()
    {
        _copy.Replace(_copy.AppSettings, "\"MenuDigit\": \"00:00:05\"", "\"MenuDigit\": \"5 seconds\"");

        var findings = _copy.Check();

        var error = findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"MenuDigit\""),
            "Routing:Timers:MenuDigit: '5 seconds' is not a duration; use hh:mm:ss, e.g. 00:00:05");
        Assert.DoesNotContain("TimeSpan", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_json_syntax_error_is_one_finding_with_one_line_number()
    {
        _copy.Replace(_copy.AppSettings, "\"Prompt\": \"00:00:20\",", "\"Prompt\": \"00:00:20\"");

        var findings = _copy.Check();

        var error = Assert.Single(findings, f => f.Message.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Equal(ConfigCopy.LineOf(_copy.AppSettings, "\"MenuDigit\""), error.Line);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("\"MenuDigit\": \"00:00:05\"", "\"MenuDigt\": \"00:00:05\"", "MenuDigt", "Routing:Timers:MenuDigt is not a setting; did you mean MenuDigit?")]
    [InlineData("\"DefaultLanguage\": \"ru\"", "\"DefaultLanguge\": \"ru\"", "DefaultLanguge", "Routing:Ivr:DefaultLanguge is not a setting; did you mean DefaultLanguage?")]
    [InlineData("\"AgencyCallerId\":", "\"AgencyCallerID_\":", "AgencyCallerID_", "Routing:AgencyCallerID_ is not a setting; did you mean AgencyCallerId?")]
    public void A_misspelled_key_is_an_error_naming_it_and_the_closest_known_key(string from, string to, string misspelled, string message)
    {
        _copy.Replace(_copy.AppSettings, from, to);

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, $"\"{misspelled}\""), message);
    }
}
