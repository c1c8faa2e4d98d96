namespace Routing.Checks.Tests;

public class ShippedConfigTests
{
    [Fact]
    public void The_shipped_routing_dialplans_and_prompts_agree()
    {
        var findings = ConfigCheck.Run(RepositoryFiles.Inputs);

        Assert.Empty(findings.Select(f => f.ToString()));
    }
}
