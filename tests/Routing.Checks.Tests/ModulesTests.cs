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

    [Theory]
    [InlineData("app_dial.so", "Dial(): the fallback reaches no one")]
    [InlineData("app_exec.so", "TryExec()")]
    [InlineData("app_stack.so", "Gosub()")]
    [InlineData("pbx_config.so", "extensions.conf")]
    [InlineData("app_mixmonitor.so", "MixMonitor()")]
    public void A_noload_of_a_module_the_dialplan_needs_is_reported_on_its_line(string module, string why)
    {
        _copy.Replace(Modules, "noload = chan_websocket.so\n", $"noload = chan_websocket.so\nnoload = {module}\n");

        var findings = _copy.Check();

        var error = findings.HasError(Modules, ConfigCopy.LineOf(Modules, $"noload = {module}"), $"noload = {module}: the dialplan needs it: ");
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_noload_of_the_fallback_marker_module_is_a_warning_not_a_refusal()
    {
        _copy.Replace(Modules, "noload = chan_websocket.so\n", "noload = chan_websocket.so\nnoload = app_celgenuserevent.so\n");

        var findings = _copy.Check();

        Assert.DoesNotContain(findings, f => f.Severity == Severity.Error && f.Message.Contains("app_celgenuserevent", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Severity == Severity.Warning && f.Message.StartsWith("noload = app_celgenuserevent.so: the fallback's CEL marker", StringComparison.Ordinal));
    }

    [Fact]
    public void The_module_list_of_install_and_test_asterisk_is_the_one_check_config_enforces()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.Dialplans, "needed-modules.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', 3)).ToList();
        var required = lines.Where(l => l[1] == "required").ToDictionary(l => l[0], l => l[2]);
        var optional = lines.Where(l => l[1] == "optional").ToDictionary(l => l[0], l => l[2]);
        Assert.Equal(lines.Count, required.Count + optional.Count);

        foreach (var (module, why) in Routing.Checks.Checks.ModulesCheck.DialplanNeeds) Assert.Equal(why, required.GetValueOrDefault(module));
        foreach (var module in required.Keys) Assert.True(Routing.Checks.Checks.ModulesCheck.DialplanNeeds.ContainsKey(module) || Routing.Checks.Checks.ModulesCheck.Needed.Contains(module), module);
        Assert.Equal(Routing.Checks.Checks.ModulesCheck.DialplanOptional.Keys.Order(), optional.Keys.Order());
    }
}
