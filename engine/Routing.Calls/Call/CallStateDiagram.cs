using System.Text;

namespace Routing.Calls;

/// <summary>The call's state diagram in Graphviz dot, generated from the machine's own transition table
/// (<see cref="CallMachine"/>), so the picture cannot drift from the code. Drawn with a call-taker centre,
/// as the shipped configuration runs it (OperatorQueue waits in the centre's queue; WithCallTaker exists
/// only then). The layout is the one Stateless' <c>UmlDotGraph</c> drew before the table replaced it
/// (internal transitions marked <c>[Function]</c>, ignored triggers as plain self-loops after the rest),
/// so the committed snapshot did not change when the machine did.</summary>
public static class CallStateDiagram
{
    public static string ToDot() => Format(Call.MachineWithCentre);

    internal static string Format(CallMachine machine)
    {
        var dot = new StringBuilder();
        dot.Append("digraph {\ncompound=true;\nnode [shape=Mrecord]\nrankdir=\"LR\"\n");
        foreach (var state in machine.States)
        {
            var label = state.EntryDescription is { } entry ? $"{state.State}|entry / {entry}" : state.State.ToString();
            dot.Append($"\"{state.State}\" [label=\"{Escape(label)}\"];\n");
        }

        dot.Append('\n');
        foreach (var state in machine.States)
        {
            foreach (var rule in state.Rules.Where(r => r.Kind != CallRuleKind.Ignore))
            {
                var label = rule.Kind == CallRuleKind.Internal ? $"{rule.Trigger} [Function]" : rule.Trigger.ToString();
                dot.Append($"\"{state.State}\" -> \"{rule.Destination}\" [style=\"solid\", label=\"{label}\"];\n");
            }

            foreach (var rule in state.Rules.Where(r => r.Kind == CallRuleKind.Ignore))
                dot.Append($"\"{state.State}\" -> \"{state.State}\" [style=\"solid\", label=\"{rule.Trigger}\"];\n");
        }

        dot.Append($" init [label=\"\", shape=point];\n init -> \"{machine.States[0].State}\"[style = \"solid\"]\n}}\n");
        return dot.ToString();
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
