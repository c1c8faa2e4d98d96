using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

public class CallStateDiagramTests
{
    private const string UpdateVariable = "ROUTING_UPDATE_DIAGRAM";

    private static string CommittedPath => Path.Combine(TestOptions.RepositoryRoot(), "tests", "Routing.Calls.Tests", "CallStateDiagram.dot");

    /// <summary>The committed diagram is what the code does. When the machine changes on purpose,
    /// regenerate it and review the diff like code.</summary>
    [Fact]
    public void The_committed_state_diagram_matches_the_machine()
    {
        var actual = Normalise(CallStateDiagram.ToDot());
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1") File.WriteAllText(CommittedPath, actual);
        var committed = File.Exists(CommittedPath) ? Normalise(File.ReadAllText(CommittedPath)) : "(missing)";
        Assert.True(committed == actual,
            $"The call's state machine no longer matches {CommittedPath}.\n" +
            $"If the change is intended, regenerate it:\n  {UpdateVariable}=1 dotnet test tests/Routing.Calls.Tests --filter {nameof(CallStateDiagramTests)}\n" +
            "then review and commit the .dot diff (render: dot -Tsvg CallStateDiagram.dot).\n\nGenerated now:\n" + actual);
    }

    [Fact]
    public void Every_state_is_in_the_diagram()
    {
        var dot = CallStateDiagram.ToDot();
        Assert.All(Enum.GetValues<CallState>(), s => Assert.Contains($"\"{s}\"", dot));
    }

    private static string Normalise(string dot) => dot.Replace("\r\n", "\n").TrimEnd() + "\n";
}
