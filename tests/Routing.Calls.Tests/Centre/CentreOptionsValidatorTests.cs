using System.Text.Json;
using System.Text.Json.Serialization;
using Routing.Calls.Centre;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests.Centre;

public class CentreOptionsValidatorTests
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The Centre section exactly as engine/Routing.Engine/appsettings.json ships it.</summary>
    private static CentreOptions Shipped()
    {
        var path = Path.Combine(TestOptions.RepositoryRoot(), "engine", "Routing.Engine", "appsettings.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty(CentreOptions.Section).Deserialize<CentreOptions>(Json)!;
    }

    private static IReadOnlyList<string> ErrorsAfter(Action<CentreOptions> breakIt)
    {
        var options = CentreHarness.Options();
        breakIt(options);
        return CentreOptionsValidator.Validate(options, TestOptions.Default());
    }

    [Fact]
    public void The_shipped_centre_is_valid_against_the_shipped_routing_regions()
    {
        var shipped = Shipped();
        Assert.Empty(CentreOptionsValidator.Validate(shipped, TestOptions.Default()));
        Assert.Equal(12, shipped.Positions.Count);
        Assert.Equal(DistributionStrategy.RingAll, shipped.Groups["shymkent"].Strategy);
        Assert.Equal(EntryMode.HumanFirst, shipped.Entries[CallEntry.Emergency112].Mode);
        Assert.Equal("police", shipped.Entries[CallEntry.Sos].Group);
    }

    [Fact]
    public void The_test_centre_is_valid()
    {
        Assert.Empty(CentreOptionsValidator.Validate(CentreHarness.Options()));
    }

    public static TheoryData<string, Action<CentreOptions>, string> BrokenConfigs => new()
    {
        { "no positions", o => o.Positions.Clear(), "Centre:Positions has no position" },
        { "endpoint without tech", o => o.Positions["ct-1"].Endpoint = "ct-1", "Centre:Positions:ct-1:Endpoint 'ct-1' is not of the form TECH/resource" },
        { "empty endpoint", o => o.Positions["ct-2"].Endpoint = "", "Centre:Positions:ct-2:Endpoint is empty" },
        { "shared device", o => o.Positions["ct-2"].Endpoint = "PJSIP/ct-1", "Centre:Positions:ct-2:Endpoint 'PJSIP/ct-1' is already the device of ct-1" },
        { "unknown group", o => o.Positions["ct-3"].Group = "aktobe", "Centre:Positions:ct-3:Group 'aktobe' is not a configured group" },
        { "no languages", o => o.Positions["ct-3"].Languages.Clear(), "Centre:Positions:ct-3:Languages is empty" },
        { "bad language", o => o.Positions["ct-3"].Languages[0] = "e n", "Centre:Positions:ct-3:Languages:0 'e n' is not a language code" },
        { "language twice", o => o.Positions["ct-1"].Languages.Add("KK"), "Centre:Positions:ct-1:Languages:2 'KK' is listed twice" },
        { "bad position id", o => o.Positions["ct 9"] = new() { Endpoint = "PJSIP/ct-9", Group = "almaty", Languages = ["ru"] }, "Centre:Positions:ct 9 is not a valid position id" },
        { "no groups", o => o.Groups.Clear(), "Centre:Groups has no group" },
        { "unknown default group", o => o.DefaultGroup = "aktobe", "Centre:DefaultGroup 'aktobe' is not a configured group" },
        { "empty default group", o => o.DefaultGroup = "", "Centre:DefaultGroup is empty" },
        { "unknown region", o => o.Groups["almaty"].Regions.Add("aktobe"), "Centre:Groups:almaty:Regions:1 'aktobe' is not a configured region (Routing:Regions)" },
        { "region in two groups", o => o.Groups["national"].Regions.Add("almaty"), "Centre:Groups:national:Regions:0 'almaty' is already served by group 'almaty'" },
        { "zero max wait", o => o.Groups["almaty"].MaxWait = TimeSpan.Zero, "Centre:Groups:almaty:MaxWait must be greater than zero" },
        { "unknown overflow", o => o.Groups["almaty"].OverflowTo = "aktobe", "Centre:Groups:almaty:OverflowTo 'aktobe' is not a configured group" },
        { "overflow to itself", o => o.Groups["almaty"].OverflowTo = "almaty", "Centre:Groups:almaty:OverflowTo 'almaty' points to the group itself" },
        { "overflow cycle", o => o.Groups["national"].OverflowTo = "almaty", "Centre:Groups:almaty:OverflowTo forms a cycle almaty → national → almaty" },
        { "group without positions", o => o.Groups["aktobe"] = new() { OverflowTo = "national" }, "Centre:Groups:aktobe has no position" },
        { "bad strategy", o => o.Groups["almaty"].Strategy = (DistributionStrategy)7, "Centre:Groups:almaty:Strategy '7' is not LongestIdle or RingAll" },
        { "direct entry", o => o.Entries[CallEntry.Direct] = new(), "Centre:Entries:Direct may not be set: 101–104 go straight to their agency" },
        { "entry to unknown group", o => o.Entries[CallEntry.Sos].Group = "swat", "Centre:Entries:Sos:Group 'swat' is not a configured group" },
        { "zero offer timeout", o => o.OfferTimeout = TimeSpan.Zero, "Centre:OfferTimeout must be greater than zero" },
        { "negative wrap-up", o => o.WrapUp = TimeSpan.FromSeconds(-1), "Centre:WrapUp may not be negative" },
        { "negative device poll", o => o.DevicePollInterval = TimeSpan.FromSeconds(-1), "Centre:DevicePollInterval must be between 00:00:00 (never) and 00:05:00" },
        { "device poll of an hour", o => o.DevicePollInterval = TimeSpan.FromHours(1), "Centre:DevicePollInterval must be between 00:00:00 (never) and 00:05:00" },
        { "negative device-failed window", o => o.DeviceFailedWithin = TimeSpan.FromSeconds(-1), "Centre:DeviceFailedWithin must be between 0 and 00:01:00 (is -00:00:01)" },
        { "device-failed window of a whole talk", o => o.DeviceFailedWithin = TimeSpan.FromMinutes(5), "Centre:DeviceFailedWithin must be between 0 and 00:01:00 (is 00:05:00)" },
        { "negative language wait", o => o.LanguageWait = TimeSpan.FromSeconds(-1), "Centre:LanguageWait may not be negative" },
        { "zero announce interval", o => o.AnnounceInterval = TimeSpan.Zero, "Centre:AnnounceInterval must be greater than zero" },
        { "classes out of order", o => o.Queue.CriticalHeadStart = TimeSpan.FromSeconds(30), "Centre:Queue:CriticalHeadStart (00:00:30) must be longer than EmergencyHeadStart (00:01:00)" },
        { "requeued before 112", o => o.Queue.RequeuedHeadStart = TimeSpan.FromMinutes(2), "Centre:Queue:EmergencyHeadStart (00:01:00) must be at least RequeuedHeadStart (00:02:00)" },
        { "no queue", o => o.Queue = null!, "Centre:Queue is missing" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigs))]
    public void A_broken_centre_configuration_is_reported_with_its_key(string what, Action<CentreOptions> breakIt, string expected)
    {
        var errors = ErrorsAfter(breakIt);
        Assert.True(errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), $"{what}: expected '{expected}', got: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        var errors = ErrorsAfter(o =>
        {
            o.OfferTimeout = TimeSpan.Zero;
            o.Positions["ct-1"].Group = "";
            o.Groups["almaty"].MaxWait = TimeSpan.Zero;
        });
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void A_missing_section_is_one_error_and_the_centre_refuses_invalid_options_naming_them()
    {
        Assert.Equal(["Centre section is missing"], CentreOptionsValidator.Validate(null));
        var options = CentreHarness.Options();
        options.OfferTimeout = TimeSpan.Zero;
        var ex = Assert.Throws<ArgumentException>(() => new CallCentre(options, TimeProvider.System));
        Assert.Contains("Centre:OfferTimeout", ex.Message);
    }
}
