using Routing.Calls.Routing;
using Routing.Checks.Prompts;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>The routing options' own rules (<see cref="RoutingOptionsValidator"/>, the same the
/// engine applies at start), each error placed on the line of the key it names.</summary>
internal static class RoutingOptionsCheck
{
    public static void Run(AppSettingsFile settings, RoutingOptions routing, Findings findings)
    {
        foreach (var error in RoutingOptionsValidator.Validate(routing))
        {
            // Messages start with the configuration key: "Routing:Regions:almaty:OverflowTo 'x' is ...".
            var space = error.IndexOf(' ');
            var key = space > 0 ? error[..space] : RoutingOptions.Section;
            findings.Error(settings.Path, settings.LineOf(key), error);
        }

        // The engine refuses to start on this too (LocationReference:BaseUrl); said here so a deploy finds it first.
        if (string.IsNullOrWhiteSpace(settings.GetString("LocationReference:BaseUrl")))
        {
            foreach (var (key, trunk) in RoutingTrunks.All(routing).Where(t => t.Trunk.TakesPidfLo))
            {
                findings.Error(settings.Path, settings.LineOf(key + ":TakesPidfLo"),
                    $"{key}:TakesPidfLo is true ({trunk.Name}) but LocationReference:BaseUrl is empty: the engine would have no location to refer the agency to");
            }
        }

        if (!string.Equals(routing.Ivr.PromptBase, PromptSet.InstalledBase, StringComparison.Ordinal))
        {
            const string key = "Routing:Ivr:PromptBase";
            findings.Error(settings.Path, settings.LineOf(key),
                $"{key} is '{routing.Ivr.PromptBase}', but dialplans/install.sh installs prompts under <sounds>/{PromptSet.InstalledBase}/<language>/: Asterisk would find none of them");
        }
    }
}
