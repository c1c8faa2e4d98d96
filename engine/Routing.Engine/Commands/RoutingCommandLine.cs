using System.CommandLine;

namespace Routing.Engine.Commands;

/// <summary>`routing run | check-config | explain | recordings | story | hash-password | audit`: one binary for the engine and its tools.</summary>
public static class RoutingCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("112 call routing engine: drives Asterisk over ARI, records every leg, exports metrics.");
        var run = RunCommand.Create();
        root.Subcommands.Add(run);
        root.Subcommands.Add(CheckConfigCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(RecordingsCommand.Create());
        root.Subcommands.Add(StoryCommand.Create());
        root.Subcommands.Add(HashPasswordCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        return root;
    }
}
