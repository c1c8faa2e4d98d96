using Routing.Calls.Routing;
using Routing.Calls.Text;

namespace Routing.Engine.Simulation;

/// <summary>One synthetic text caller of <c>make run</c>: who writes through which gateway, and what, in order.</summary>
public sealed record SyntheticTexter(string GatewayEndpoint, string From, IReadOnlyList<string> Messages);

/// <summary>
/// What the police app's text callers of <c>make run</c> write: a seeded mix of short first messages in kk, ru and
/// en, sometimes a follow-up with an address, from numbers of the configured regions, through the configured gateways.
/// </summary>
public sealed class SyntheticTextMix(TextOptions text, RoutingOptions routing, int seed)
{
    private static readonly string[] First =
    [
        "Помогите, драка во дворе",
        "Пожар в подъезде, много дыма",
        "Көмектесіңіздер, көршіміз есінен танып қалды",
        "Someone broke into the car next to me",
        "Я не могу говорить, в квартире посторонний",
        "ДТП на перекрёстке, есть пострадавшие",
    ];

    private static readonly string[] FollowUp =
    [
        "Адрес: пр. Абая 10, кв. 5",
        "Мекенжай: Республика даңғылы 5",
        "Near the bus stop, blue car",
        "Третий этаж, дверь открыта",
    ];

    private readonly Random random = new(seed);
    private readonly string[] gateways = text.Gateways.Values.Select(g => g.Endpoint).Where(e => e.StartsWith("PJSIP/", StringComparison.Ordinal)).Select(e => e["PJSIP/".Length..]).ToArray();
    private readonly string[] prefixes = routing.Regions.Values.SelectMany(r => r.CallerPrefixes).Where(p => p.StartsWith('+')).Append("+7701").ToArray();

    public bool CanWrite => gateways.Length > 0;

    public SyntheticTexter Next()
    {
        if (!CanWrite) throw new InvalidOperationException("no Text:Gateways with a PJSIP endpoint to write through");
        var number = prefixes[random.Next(prefixes.Length)] + random.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var messages = new List<string> { First[random.Next(First.Length)] };
        if (random.NextDouble() < 0.6) messages.Add(FollowUp[random.Next(FollowUp.Length)]);
        return new SyntheticTexter(gateways[random.Next(gateways.Length)], $"<sip:{number}@app-gateway>", messages);
    }
}
