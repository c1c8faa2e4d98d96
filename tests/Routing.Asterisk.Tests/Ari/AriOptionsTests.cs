using Routing.Asterisk.Ari;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ari;

public class AriOptionsTests
{
    [Fact]
    public void Defaults_with_credentials_are_valid()
    {
        var options = new AriOptions { User = "routing", Password = "routing-secret" };
        Assert.Empty(options.Validate());
        Assert.Equal(("routing112", 16, 10_000), (options.Application, options.MaxConnections, options.EventBufferCapacity));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10)),
            (options.RequestTimeout, options.ReconnectMinDelay, options.ReconnectMaxDelay));
    }

    [Fact]
    public void ToString_masks_the_password()
    {
        var text = AriTestOptions.Default().ToString();
        Assert.DoesNotContain(AriTestOptions.Password, text);
        Assert.Contains("Password=****", text);
        Assert.Contains("User=routing", text);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8088/", "Asterisk:Ari:BaseUrl must be an absolute http(s) URL ending in /ari/")]
    [InlineData("ftp://127.0.0.1/ari/", "Asterisk:Ari:BaseUrl")]
    public void Bad_base_url_names_the_key(string url, string expected)
    {
        var options = AriTestOptions.Default();
        options.BaseUrl = new Uri(url);
        Assert.Contains(options.Validate(), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_broken_setting_is_reported_with_its_key()
    {
        var options = new AriOptions
        {
            Application = "routing 112",
            User = "",
            Password = "",
            RequestTimeout = TimeSpan.Zero,
            MaxConnections = 500,
            ReconnectMinDelay = TimeSpan.FromSeconds(5),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            EventBufferCapacity = 0,
        };

        var errors = options.Validate();

        foreach (var key in new[] { "Application", "User", "Password", "RequestTimeout", "MaxConnections", "ReconnectMaxDelay", "EventBufferCapacity" })
            Assert.Contains(errors, e => e.StartsWith($"Asterisk:Ari:{key} ", StringComparison.Ordinal));
    }

    [Fact]
    public void Client_refuses_invalid_options_with_the_reasons()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AriRestClient(new AriOptions()));
        Assert.Contains("Asterisk:Ari:User", ex.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8088/ari/", false, "ws://127.0.0.1:8088/ari/events?app=routing112&subscribeAll=false")]
    [InlineData("https://pbx.example:8089/ari/", true, "wss://pbx.example:8089/ari/events?app=routing112&subscribeAll=true")]
    public void Events_url_is_derived_from_the_base_url_without_credentials(string baseUrl, bool all, string expected)
    {
        var options = AriTestOptions.For(new Uri(baseUrl));
        options.SubscribeAll = all;
        Assert.Equal(expected, options.EventsUrl.AbsoluteUri);
    }
}
