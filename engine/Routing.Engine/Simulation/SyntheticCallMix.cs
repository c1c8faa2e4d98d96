using Routing.Calls.Routing;
using Routing.Simulator;

namespace Routing.Engine.Simulation;

/// <summary>
/// What the synthetic callers of <c>make run</c> do: a seeded mix of real-life 112 traffic —
/// menu choices in all three languages, the old 101–104 numbers, SOS buttons, app callers,
/// silent callers, callers who hang up in the menu, and wrong digits.
/// </summary>
public sealed class SyntheticCallMix(RoutingOptions routing, int seed)
{
    private readonly Random random = new(seed);
    private readonly string[] languageDigits = routing.Ivr.LanguageDigits.Keys.Order().ToArray();
    private readonly string[] serviceDigits = routing.Ivr.ServiceDigits.Keys.Order().ToArray();
    private readonly string[] prefixes = routing.Regions.Values.SelectMany(r => r.CallerPrefixes).Where(p => p.StartsWith('+')).Append("+7701").ToArray();
    private readonly string[] devices = routing.Devices.Keys.ToArray();
    private readonly string[] directNumbers = ["101", "102", "103", "104"];

    public CallScript Next()
    {
        var roll = random.NextDouble();
        var caller = CallerNumber();
        var talk = TimeSpan.FromSeconds(random.Next(15, 40));
        return roll switch
        {
            < 0.40 => Menu(caller, talk, Pick(languageDigits), Pick(serviceDigits)),
            < 0.55 => new CallScript(caller, Pick(directNumbers), HangUpAfter: talk),
            < 0.63 => new CallScript(caller, "112", HangUpAfter: TimeSpan.FromSeconds(random.Next(2, 8))),
            < 0.71 => new CallScript(caller, "112", HangUpAfter: TimeSpan.FromSeconds(90)),
            < 0.78 when devices.Length > 0 => new CallScript(Pick(devices), "112", "SOS button", Context: "from-sos", HangUpAfter: talk),
            < 0.88 => Menu(caller, talk, Pick(languageDigits), Pick(serviceDigits)) with { Context = "from-app" },
            _ => Menu(caller, talk, "9", Pick(languageDigits), Pick(serviceDigits)),
        };
    }

    private CallScript Menu(string caller, TimeSpan talk, params string[] digits) =>
        new(caller, "112", Dtmf: digits.Select((d, i) => new DtmfStep(d[0], TimeSpan.FromSeconds(i == 0 ? random.Next(2, 9) : random.Next(2, 6)))).ToList(),
            HangUpAfter: talk + TimeSpan.FromSeconds(25));

    private string CallerNumber() => Pick(prefixes) + random.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string Pick(string[] values) => values[random.Next(values.Length)];
}
