namespace Routing.AriFloor.Tests;

/// <summary>ari-floor's command line: a mistake is named, the password never comes from the command line.</summary>
public class FloorOptionsTests
{
    private static readonly string[] Valid = ["--ari-url", "http://127.0.0.1:28088/ari/", "--user", "routing", "--dial", "PJSIP/fire-almaty-1"];

    private static FloorOptions Parse(string[] args, string? password = "secret") =>
        FloorOptions.Parse(args, name => name == "ARI_FLOOR_PASSWORD" ? password : null);

    [Fact]
    public void The_bench_command_line_gives_the_app_the_endpoint_and_http()
    {
        var options = Parse(Valid);

        Assert.Equal(("routing112", "routing", "secret", "PJSIP/fire-almaty-1", false),
            (options.Ari.Application, options.Ari.User, options.Ari.Password, options.AgencyEndpoint, options.RestOverWebSocket));
        Assert.Equal(new Uri("http://127.0.0.1:28088/ari/"), options.Ari.BaseUrl);
    }

    [Fact]
    public void WebSocket_transport_sends_rest_over_the_event_socket() =>
        Assert.True(Parse([.. Valid, "--transport", "WebSocket"]).RestOverWebSocket);

    [Theory]
    [InlineData("--dial", "fire-almaty-1", "--dial must be a channel endpoint")]
    [InlineData("--transport", "Udp", "--transport must be Http or WebSocket (got 'Udp')")]
    [InlineData("--ari-url", "not a url", "--ari-url must be an absolute URL")]
    [InlineData("--ari-url", "http://127.0.0.1:28088/", "Asterisk:Ari:BaseUrl must be an absolute http(s) URL ending in /ari/")]
    [InlineData("--colour", "blue", "unknown argument '--colour'")]
    public void A_bad_argument_is_named(string name, string value, string message)
    {
        var args = new List<string>(Valid);
        var at = args.IndexOf(name);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([name, value]);

        var error = Assert.Throws<ArgumentException>(() => Parse([.. args]));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_value_is_named() =>
        Assert.Contains("--user needs a value", Assert.Throws<ArgumentException>(() => Parse(["--user"])).Message, StringComparison.Ordinal);

    [Fact]
    public void Without_ARI_FLOOR_PASSWORD_it_says_where_the_password_comes_from() =>
        Assert.Contains("ARI_FLOOR_PASSWORD", Assert.Throws<ArgumentException>(() => Parse(Valid, password: null)).Message, StringComparison.Ordinal);
}
