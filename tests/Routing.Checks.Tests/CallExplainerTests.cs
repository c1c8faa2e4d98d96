using System.Text.Json;
using Routing.Calls.Routing;

namespace Routing.Checks.Tests;

public class CallExplainerTests
{
    private static RoutingOptions Shipped()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.AppSettings));
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            PreferredObjectCreationHandling = System.Text.Json.Serialization.JsonObjectCreationHandling.Populate,
        };
        return JsonSerializer.Deserialize<RoutingOptions>(document.RootElement.GetProperty("Routing").GetRawText(), options)!;
    }

    [Fact]
    public void A_112_call_from_almaty_choosing_russian_and_fire_walks_the_fire_plan_of_almaty()
    {
        var lines = CallExplainer.Explain(Shipped(), "+77271234567", "112", "21");
        var text = string.Join("\n", lines);

        Assert.Contains("Region: almaty (the number starts with +7727", text);
        Assert.Contains("digit 2 -> language ru", text);
        Assert.Contains("digit 1 -> fire", text);
        var dials = lines.Where(l => l.StartsWith("Dial ", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("Dial 1: fire-almaty-1 (PJSIP/fire-almaty-1) rings up to 20 s [primary, almaty]", dials[0]);
        Assert.StartsWith("Dial 2: fire-almaty-2", dials[1]);
        Assert.Contains("[overflow, astana]", dials[2]);
        Assert.Contains(lines, l => l.StartsWith("Overflow:", StringComparison.Ordinal));
        Assert.Contains("ROUTING112_AGENCY=fire, ROUTING112_REGION=almaty", text);
        Assert.Contains("then, once, the number's own destination (operator) the same way.", text);
    }

    [Fact]
    public void A_dialing_total_timer_that_would_cut_the_plan_short_is_explained_as_invalid()
    {
        var options = Shipped();
        options.Timers.DialingTotal = TimeSpan.FromSeconds(100);

        var lines = CallExplainer.Explain(options, "+77271234567", "101", "");

        // The validator refuses a DialingTotal shorter than the worst-case plan (it would cut the
        // national fallback's ring short), so the explainer shows why instead of a path.
        Assert.StartsWith("The routing configuration is invalid", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("Routing:Timers:DialingTotal (00:01:40) must be longer than the worst-case dialing plan: fire from region almaty", StringComparison.Ordinal));
    }

    [Fact]
    public void A_silent_112_caller_ends_with_the_call_takers()
    {
        var lines = CallExplainer.Explain(Shipped(), "+77171234567", "112", "");
        var text = string.Join("\n", lines);

        Assert.Contains("Region: astana", text);
        Assert.Contains("'silent-call'", text);
        Assert.Contains("Dial 1: calltakers-1", text);
        Assert.Contains("ROUTING112_AGENCY=operator", text);
    }

    [Fact]
    public void An_unknown_prefix_goes_to_the_default_region_and_a_hostile_caller_id_is_cleaned()
    {
        var lines = CallExplainer.Explain(Shipped(), "\u202e+1 (555) <script>", "102", "");

        Assert.Contains(lines, l => l == "Region: almaty (no caller prefix matched: Routing:DefaultRegion).");
        Assert.Contains(lines, l => l.StartsWith("Call from +1555 to 102", StringComparison.Ordinal));
    }

    [Fact]
    public void Any_other_number_is_explained_as_the_112_it_becomes()
    {
        var lines = CallExplainer.Explain(Shipped(), "+77271234567", "999", "");

        Assert.Contains(lines, l => l.StartsWith("Entry: 999 is none of 112, 101-104, sos, app: the dialplan's catch-all treats it as 112", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Entry: Stasis(routing112,112)", StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_configuration_is_explained_instead_of_a_path()
    {
        var options = Shipped();
        options.Regions["almaty"].OverflowTo = "nowhere";

        var lines = CallExplainer.Explain(options, "+77271234567", "112", "21");

        Assert.StartsWith("The routing configuration is invalid", lines[0]);
        Assert.Contains(lines, l => l.Contains("Routing:Regions:almaty:OverflowTo 'nowhere'", StringComparison.Ordinal));
    }
}
