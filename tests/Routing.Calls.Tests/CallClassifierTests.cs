using Routing.Calls.Routing;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

public class CallClassifierTests
{
    private static readonly CallClassifier Classifier = new(TestOptions.Default());

    /// <summary>Stasis args as the dialplan writes them: comma-separated.</summary>
    private static string[] Args(string commaSeparated) => commaSeparated.Length == 0 ? [] : commaSeparated.Split(',');

    private static Classification Classify(string[] args, string number = "+77171234567", string name = "Caller") =>
        Classifier.Classify(new CallArrival("1.1", number, name, "112", args, "", DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData("")]
    [InlineData("112")]
    public void Plain_112_goes_to_the_menus_in_the_callers_region(string args)
    {
        var c = Classify(Args(args));
        Assert.Equal((CallEntry.Emergency112, "112", FirstStep.Menu, null, "astana"), (c.Entry, c.EntryName, c.FirstStep, c.Agency, c.Region));
        Assert.Empty(c.Notes);
    }

    [Fact]
    public void The_mobile_app_goes_to_the_menus_like_112()
    {
        var c = Classify(["app"]);
        Assert.Equal((CallEntry.App, "app", FirstStep.Menu), (c.Entry, c.EntryName, c.FirstStep));
    }

    [Theory]
    [InlineData("fire")]
    [InlineData("police")]
    [InlineData("AMBULANCE")]
    [InlineData("gas")]
    public void A_direct_number_goes_straight_to_its_agency(string agency)
    {
        var c = Classify(["direct", agency]);
        Assert.Equal((CallEntry.Direct, FirstStep.Agency, agency.ToLowerInvariant()), (c.Entry, c.FirstStep, c.Agency));
        Assert.Equal($"direct:{agency.ToLowerInvariant()}", c.EntryName);
    }

    [Fact]
    public void A_direct_number_for_an_unknown_agency_is_still_answered_as_112()
    {
        var c = Classify(["direct", "coastguard"]);
        Assert.Equal((CallEntry.Emergency112, FirstStep.Menu), (c.Entry, c.FirstStep));
        Assert.Contains(c.Notes, n => n.Contains("unknown agency 'coastguard'"));
    }

    [Fact]
    public void An_SOS_button_is_found_by_its_caller_number_and_routed_to_its_agency_and_region()
    {
        var c = Classify(["sos"], number: "+77170000201");
        Assert.Equal((CallEntry.Sos, "sos", FirstStep.Agency, "police", "astana"), (c.Entry, c.EntryName, c.FirstStep, c.Agency, c.Region));
        Assert.Equal("Astana, Republic Ave 5, pole 3", c.Location);
        Assert.Equal("+77170000201", c.DeviceId);
    }

    [Fact]
    public void An_SOS_button_is_found_by_the_device_id_the_dialplan_passes()
    {
        // The device is in Almaty even though the number that carries it looks like Astana.
        var c = Classify(["sos", "+77270000101"], number: "+77179999999");
        Assert.Equal(("police", "almaty"), (c.Agency, c.Region));
    }

    [Fact]
    public void An_unknown_SOS_device_goes_to_a_call_taker()
    {
        var c = Classify(["sos", "pole-999"], number: "+77251230000");
        Assert.Equal((CallEntry.Sos, "sos:unknown", FirstStep.Operator, null, "shymkent"), (c.Entry, c.EntryName, c.FirstStep, c.Agency, c.Region));
        Assert.Contains(c.Notes, n => n.Contains("unknown SOS device"));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("direct")]
    [InlineData("112,extra")]
    [InlineData("sos,a,b")]
    [InlineData("dialed,fire")]
    [InlineData(",")]
    public void Garbled_args_are_answered_as_112_and_the_reason_is_kept(string args)
    {
        var c = Classify(Args(args));
        Assert.Equal((CallEntry.Emergency112, FirstStep.Menu), (c.Entry, c.FirstStep));
        Assert.NotEmpty(c.Notes);
    }

    [Fact]
    public void Our_own_originated_legs_are_recognised_and_name_the_caller_channel()
    {
        Assert.True(CallClassifier.IsOriginatedLeg(["dialed", "fire", "1795486382.2"], out var caller));
        Assert.Equal("1795486382.2", caller);
        Assert.True(CallClassifier.IsOriginatedLeg(["dialed", "operator", "9.9"], out var target, out _));
        Assert.Equal("operator", target);
        Assert.False(CallClassifier.IsOriginatedLeg([], out _));
        Assert.False(CallClassifier.IsOriginatedLeg(["dialed", "fire"], out _));
        Assert.False(CallClassifier.IsOriginatedLeg(["dialed", "fire", ""], out _));
        Assert.False(CallClassifier.IsOriginatedLeg(null, out _));
    }

    public static TheoryData<string, string> HostileNumbers => new()
    {
        { "control characters", "+7727\u0000\u0007\r\n1234567" },
        { "10 KB", "+7727" + new string('1', 10_000) },
        { "SQL", "'; DROP TABLE calls; --" },
        { "format string", "{0}{1}%s%n%x" },
        { "empty", "" },
        { "right-to-left override", "\u202e+77271234567" },
    };

    [Theory]
    [MemberData(nameof(HostileNumbers))]
    public void A_hostile_caller_number_is_cleaned_to_digits_and_never_throws(string what, string number)
    {
        var c = Classify([], number: number, name: number);
        Assert.Matches(@"^\+?[0-9]*$", c.CallerNumber);
        Assert.True(c.CallerNumber.Length <= CallerText.MaxNumberLength, what);
        Assert.True(c.CallerName.Length <= CallerText.MaxTextLength, what);
        Assert.DoesNotContain(c.CallerName, ch => char.IsControl(ch));
        Assert.All(c.Notes, n => Assert.True(n.Length < 200, $"{what}: note too long: {n.Length}"));
        Assert.All(c.Notes, n => Assert.DoesNotContain(n, ch => char.IsControl(ch)));
    }

    [Fact]
    public void A_cleaned_caller_number_leaves_a_note_for_the_ledger()
    {
        var c = Classify([], number: "+7727\u0000123");
        Assert.Equal("+7727123", c.CallerNumber);
        Assert.Contains(c.Notes, n => n.StartsWith("caller number cleaned", StringComparison.Ordinal));
    }

    [Fact]
    public void Null_args_and_fields_are_treated_as_missing()
    {
        var c = Classifier.Classify(new CallArrival("1.1", null!, null!, null!, null!, null!, DateTimeOffset.UnixEpoch));
        Assert.Equal((CallEntry.Emergency112, "", "almaty"), (c.Entry, c.CallerNumber, c.Region));
    }
}
