using System.CommandLine;
using Routing.Checks;

namespace Routing.Engine.Commands;

/// <summary>`routing check-config`: the routing configuration against the shipped dialplans and prompts.</summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var appsettings = new Option<string>("--appsettings") { Description = "Routing configuration to check.", DefaultValueFactory = _ => RepositoryPaths.AppSettings };
        var dialplans = new Option<string>("--dialplans") { Description = "Asterisk configuration directory (dialplans/).", DefaultValueFactory = _ => RepositoryPaths.Dialplans };
        var prompts = new Option<string>("--prompts") { Description = "Prompt directory (ivr-prompts/).", DefaultValueFactory = _ => RepositoryPaths.Prompts };
        var command = new Command("check-config", "Check that routing, dialplans and prompts agree; prints file:line: error: message.")
        {
            appsettings, dialplans, prompts,
        };
        command.SetAction(parse =>
        {
            var findings = ConfigCheck.Run(new CheckInputs(parse.GetValue(appsettings)!, parse.GetValue(dialplans)!, parse.GetValue(prompts)!));
            foreach (var finding in findings)
            {
                System.Console.Error.WriteLine(finding.ToString());
            }

            var errors = findings.Count(f => f.Severity == Severity.Error);
            System.Console.WriteLine(errors == 0
                ? $"check-config: OK ({findings.Count} warnings)"
                : $"check-config: {errors} errors, {findings.Count - errors} warnings");
            return errors == 0 ? 0 : 1;
        });
        return command;
    }
}
