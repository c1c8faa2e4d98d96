using Routing.Engine.Hosting;

namespace Routing.Engine.Tests;

/// <summary>A broken configuration stops the engine before any call, naming every bad key.</summary>
public sealed class EngineConfigurationTests
{
    private static readonly Dictionary<string, string?> Secrets = new()
    {
        ["Asterisk:Ari:Password"] = "test-secret",
        ["Asterisk:Ami:Password"] = "test-secret",
    };

    private static EngineConfiguration Bind(params (string Key, string? Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>(Secrets);
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        return EngineConfiguration.Bind(EngineConfiguration.Load(null, overrides));
    }

    [Fact]
    public void The_shipped_configuration_is_valid_once_secrets_are_supplied()
    {
        var configuration = Bind();

        Assert.Equal("routing112", configuration.Ari.Application);
        Assert.Equal(4, configuration.Routing.Agencies.Count);
    }

    [Fact]
    public void Missing_ARI_and_AMI_passwords_are_named()
    {
        var error = Assert.Throws<ConfigurationException>(() => EngineConfiguration.Bind(EngineConfiguration.Load(null)));

        Assert.Contains(error.Errors, e => e.StartsWith("Asterisk:Ari:Password", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Asterisk:Ami:Password", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_broken_key_is_reported_at_once_with_its_name()
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind(
            ("Routing:DefaultRegion", "atlantis"),
            ("Routing:Regions:almaty:Trunks:fire:0:Endpoint", "fire-without-tech"),
            ("Ledger:Provider", "mongodb"),
            ("Asterisk:SweepInterval", "00:00:00")));

        Assert.Contains(error.Errors, e => e.Contains("Routing:DefaultRegion", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("Routing:Regions:almaty:Trunks:fire:0:Endpoint", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("Ledger:Provider", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("Asterisk:SweepInterval", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1 ; evil")]
    [InlineData("host>\r\nX-Evil: 1")]
    [InlineData("")]
    [InlineData("-bad-.example")]
    public void An_asserted_identity_host_that_is_no_host_is_refused_with_its_key(string host)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind(("Asterisk:AssertedIdentityHost", host)));

        Assert.Contains(error.Errors, e => e.StartsWith("Asterisk:AssertedIdentityHost", StringComparison.Ordinal) && e.Contains("is not a host name or address", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("00:00:04.500")]
    [InlineData("-00:00:08")]
    public void A_dead_mans_switch_that_TIMEOUT_absolute_cannot_hold_is_refused_by_name(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind(("Asterisk:DeadMansSwitch", value)));

        Assert.Contains(error.Errors, e => e.StartsWith("Asterisk:DeadMansSwitch", StringComparison.Ordinal));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_section()
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind(("Routing:Timers:MenuDigit", "five seconds")));

        Assert.Contains(error.Errors, e => e.StartsWith("Routing", StringComparison.Ordinal) && e.Contains("MenuDigit", StringComparison.Ordinal));
    }

    [Fact]
    public void An_extra_settings_file_that_is_not_JSON_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"routing-broken-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"Routing\": { \"DefaultRegion\": ");
        try
        {
            var error = Assert.Throws<ConfigurationException>(() => EngineConfiguration.Load(path, Secrets));

            Assert.Contains(error.Errors, e => e.Contains(Path.GetFileName(path), StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Secrets_never_appear_in_the_options_text()
    {
        var configuration = Bind();

        Assert.DoesNotContain("test-secret", configuration.Ari.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("test-secret", configuration.Ami.ToString(), StringComparison.Ordinal);
    }
}
