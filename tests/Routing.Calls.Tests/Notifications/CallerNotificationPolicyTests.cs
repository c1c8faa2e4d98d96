using Routing.Calls.Notifications;
using Routing.Calls.Routing;

namespace Routing.Calls.Tests.Notifications;

public sealed class CallerNotificationPolicyTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 41, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, AgencyOptions> Agencies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fire"] = new AgencyOptions { DisplayName = "Fire and rescue" },
    };

    private static CallerNotificationOptions Options() => new() { SmsCapablePrefixes = ["+7701", "+7777"] };

    private static NotificationFacts Facts(string number = "+77011234567", string language = "ru", string? agency = null, bool silent = false) =>
        new("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "2E3F4A5B", number, language, agency, silent, At);

    [Fact]
    public void A_mobile_caller_is_told_their_registration_number_in_their_language_at_centre_time()
    {
        var decision = new CallerNotificationPolicy(Options(), Agencies).Decide(NotificationStage.Registered, Facts(language: "kk"));

        Assert.True(decision.Send);
        Assert.Equal("+77011234567", decision.Number);
        Assert.Equal("112: өтінішіңіз тіркелді, № 2E3F4A5B, 14:41.", decision.Text);
    }

    [Fact]
    public void The_hand_over_names_the_agency_as_configured()
    {
        var decision = new CallerNotificationPolicy(Options(), Agencies).Decide(NotificationStage.HandedToAgency, Facts(language: "en", agency: "fire"));

        Assert.Equal("112: report no. 2E3F4A5B handed to Fire and rescue, 14:41.", decision.Text);
    }

    [Theory]
    [InlineData("+77271234567", "not in an SMS-capable range")]   // an Almaty landline
    [InlineData("", "withheld")]
    [InlineData("anonymous", "withheld")]
    public void Numbers_that_cannot_take_an_SMS_get_nothing_and_the_reason_is_kept(string number, string expected)
    {
        var decision = new CallerNotificationPolicy(Options(), Agencies).Decide(NotificationStage.Registered, Facts(number: number));

        Assert.False(decision.Send);
        Assert.Contains(expected, decision.Skipped);
    }

    [Fact]
    public void A_silent_or_prank_call_gets_nothing_unless_configured()
    {
        Assert.Contains("silent or prank", new CallerNotificationPolicy(Options(), Agencies).Decide(NotificationStage.Closed, Facts(silent: true)).Skipped);

        var options = Options();
        options.NotifySilentOrPrank = true;
        Assert.True(new CallerNotificationPolicy(options, Agencies).Decide(NotificationStage.Closed, Facts(silent: true)).Send);
    }

    [Fact]
    public void A_configured_template_wins_and_an_unknown_language_falls_back_to_the_default()
    {
        var options = Options();
        options.Templates["ru"] = new Dictionary<NotificationStage, string> { [NotificationStage.Closed] = "112: № {ref} закрыт." };

        var decision = new CallerNotificationPolicy(options, Agencies).Decide(NotificationStage.Closed, Facts(language: "de"));

        Assert.Equal("112: № 2E3F4A5B закрыт.", decision.Text);
    }

    [Fact]
    public void Stages_left_out_of_configuration_are_not_sent()
    {
        var options = Options();
        options.Stages = [NotificationStage.Registered];

        Assert.Contains("not in Notifications:Stages", new CallerNotificationPolicy(options, Agencies).Decide(NotificationStage.Closed, Facts()).Skipped);
    }

    [Fact]
    public void The_reference_is_the_random_tail_of_the_call_id_a_person_can_read_out()
    {
        Assert.Equal("2E3F4A5B", CallerNotificationPolicy.ReferenceFor("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
    }

    [Fact]
    public void Every_configuration_error_is_named_by_its_key()
    {
        var options = new CallerNotificationOptions
        {
            Sender = "Pigeon",
            SmsCapablePrefixes = ["+77x1"],
            MaxAttempts = 0,
            QueueCapacity = 0,
            Templates = new(StringComparer.OrdinalIgnoreCase) { ["ru"] = new() { [NotificationStage.Registered] = "no number here" } },
        };

        var errors = CallerNotificationOptionsValidator.Validate(options);

        Assert.Contains("Notifications:Sender 'Pigeon' is not SipMessage or Http", errors);
        Assert.Contains("Notifications:SmsCapablePrefixes:0 '+77x1' is not a number prefix such as +7701", errors);
        Assert.Contains("Notifications:MaxAttempts 0 must be 1..20", errors);
        Assert.Contains("Notifications:QueueCapacity must be at least 1", errors);
        Assert.Contains("Notifications:Templates:ru:Registered lacks {ref}: the caller needs the registration number", errors);
    }

    [Fact]
    public void The_shipped_texts_all_carry_the_registration_number()
    {
        foreach (var (_, stages) in NotificationTexts.Defaults)
        {
            foreach (var (_, text) in stages) Assert.Contains("{ref}", text);
        }
    }
}
