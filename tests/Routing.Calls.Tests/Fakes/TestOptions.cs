using System.Text.Json;
using System.Text.Json.Serialization;
using Routing.Calls.Routing;

namespace Routing.Calls.Tests.Fakes;

/// <summary>The shipped default configuration (engine/Routing.Engine/appsettings.json, section
/// "Routing"), read fresh for every test so a test may break its own copy.</summary>
public static class TestOptions
{
    private static readonly JsonSerializerOptions Json = new()
    {
        // Populate keeps the case-insensitive dictionaries RoutingOptions creates, as the
        // configuration binder does.
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        PropertyNameCaseInsensitive = true,
    };

    private static readonly Lazy<string> RoutingSection = new(() =>
    {
        var path = Path.Combine(RepositoryRoot(), "engine", "Routing.Engine", "appsettings.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.GetProperty(RoutingOptions.Section).GetRawText();
    });

    /// <summary>
    /// Longer than the shipped worst-case dialing plan (shymkent → almaty → astana → national:
    /// 3 × (20 + 25) + 30 = 165 s of ringing), which the validator requires of Timers.DialingTotal.
    /// </summary>
    public static readonly TimeSpan DialingTotalForShippedPlans = TimeSpan.FromSeconds(180);

    /// <summary>The shipped configuration, with Timers.DialingTotal raised to
    /// <see cref="DialingTotalForShippedPlans"/> where the file has less (it shipped with 120 s, which
    /// cuts the last trunks of the plan); a no-op once appsettings.json carries a long enough value.</summary>
    public static RoutingOptions Default()
    {
        var options = Shipped();
        if (options.Timers.DialingTotal < DialingTotalForShippedPlans) options.Timers.DialingTotal = DialingTotalForShippedPlans;
        return options;
    }

    /// <summary>The Routing section exactly as appsettings.json has it.</summary>
    public static RoutingOptions Shipped() =>
        JsonSerializer.Deserialize<RoutingOptions>(RoutingSection.Value, Json)
        ?? throw new InvalidOperationException("appsettings.json has an empty Routing section");

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Routing.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Routing.sln not found above {AppContext.BaseDirectory}");
    }
}
