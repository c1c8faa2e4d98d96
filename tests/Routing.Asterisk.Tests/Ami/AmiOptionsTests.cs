using Routing.Asterisk.Ami;

namespace Routing.Asterisk.Tests.Ami;

public class AmiOptionsTests
{
    [Fact]
    public void ToString_masks_the_password()
    {
        var text = new AmiOptions { User = "routing", Password = "routing-secret" }.ToString();
        Assert.DoesNotContain("routing-secret", text);
        Assert.Contains("Password=****", text);
    }

    [Fact]
    public void Broken_settings_are_reported_with_their_keys()
    {
        var errors = new AmiOptions { Host = "", Port = 0, User = "", Password = "", ActionTimeout = TimeSpan.Zero, EventBufferCapacity = 0 }.Validate();

        foreach (var key in new[] { "Host", "Port", "User", "Password", "ActionTimeout", "EventBufferCapacity" })
            Assert.Contains(errors, e => e.StartsWith($"Asterisk:Ami:{key} ", StringComparison.Ordinal));
    }

    [Fact]
    public void Connection_refuses_invalid_options()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AmiConnection(new AmiOptions()));
        Assert.Contains("Asterisk:Ami:User", ex.Message);
    }
}
