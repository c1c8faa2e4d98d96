using Routing.Asterisk.Ari;

namespace Routing.Asterisk.Tests.Support;

public static class AriTestOptions
{
    public const string Password = "routing-secret";

    public static AriOptions For(Uri baseUrl) => new()
    {
        BaseUrl = baseUrl,
        Application = "routing112",
        User = "routing",
        Password = Password,
        RequestTimeout = TimeSpan.FromSeconds(5),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    public static AriOptions Default() => For(new Uri("http://127.0.0.1:8088/ari/"));
}
