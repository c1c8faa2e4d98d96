using System.CommandLine;
using Routing.Checks;
using Routing.Engine.Hosting;

namespace Routing.Engine.Commands;

/// <summary>`routing explain`: the path a given call would take through regions, agencies, trunks and timers.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "An extra JSON settings file, applied over appsettings.json." };
        var caller = new Option<string>("--caller") { Description = "Caller number, e.g. +77271234567.", Required = true };
        var dialed = new Option<string>("--dialed") { Description = "Number dialled: 112, 101, 102, 103 or 104.", DefaultValueFactory = _ => "112" };
        var digits = new Option<string>("--digits") { Description = "Digits the caller presses: language then service, e.g. 21.", DefaultValueFactory = _ => "" };
        var command = new Command("explain", "Print the path a call would take.") { config, caller, dialed, digits };
        command.SetAction(parse =>
        {
            try
            {
                var routing = EngineConfiguration.BindRouting(EngineConfiguration.Load(parse.GetValue(config)));
                foreach (var line in CallExplainer.Explain(routing, parse.GetValue(caller)!, parse.GetValue(dialed)!, parse.GetValue(digits) ?? ""))
                {
                    System.Console.WriteLine(line);
                }

                return 0;
            }
            catch (ConfigurationException ex)
            {
                System.Console.Error.WriteLine("routing: " + ex.Message);
                return 2;
            }
        });
        return command;
    }
}
