namespace Routing.Checks.Tests;

/// <summary>Defect 8 of issue 6: modules.conf autoloaded pbx_ael (the sample AEL contexts ended up
/// in the dialplan), chan_websocket and SIP over WebSocket.</summary>
public sealed class ModulesTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    private string Modules => _copy.Dialplan("modules.conf");

    [Theory]
    [InlineData("pbx_ael.so", "loads extensions.ael")]
    [InlineData("chan_websocket.so", "WebSocket media channels")]
    [InlineData("res_pjsip_transport_websocket.so", "SIP over WebSocket")]
    public void An_autoloaded_listener_or_dialplan_module_is_reported_on_the_modules_section(string module, string why)
    {
        _copy.Replace(Modules, $"noload = {module}\n", "");

        var findings = _copy.Check();

        var error = findings.HasError(Modules, ConfigCopy.LineOf(Modules, "[modules]"), $"autoload = yes loads {module}: ");
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"add noload = {module}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_noload_of_the_websocket_ari_needs_is_reported_on_its_line()
    {
        _copy.Replace(Modules, "noload = chan_websocket.so\n", "noload = chan_websocket.so\nnoload = res_http_websocket.so\n");

        var findings = _copy.Check();

        findings.HasError(Modules, ConfigCopy.LineOf(Modules, "noload = res_http_websocket.so"), "noload = res_http_websocket.so: the engine needs it");
    }
}
