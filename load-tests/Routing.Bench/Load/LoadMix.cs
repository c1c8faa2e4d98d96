using System.Globalization;

namespace Routing.Bench.Load;

/// <summary>
/// A seeded, repeatable mix of callers: 40 % 112 with menu choices, 30 % dial 101–104 directly,
/// 15 % hang up in the menu, 15 % reach a region whose first police trunk is busy
/// (<see cref="LoadPbx.BusyTrunk"/>). Prompts are short (<see cref="LoadPbx.PromptDuration"/>) so a
/// routed call is connected within about half a second and the caller talks for ~2 s.
/// </summary>
public sealed class LoadMix(int seed)
{
    private const int DigitGapMs = 150;
    private const int TalkingCallMs = 2500;
    private const int AbandonAfterMs = 300;

    // Regions whose police trunks all answer; astana's first police trunk is the busy one.
    private static readonly string[] AnsweringPrefixes = ["+7727", "+7725"];
    private static readonly string[] LanguageDigits = ["1", "2", "3"];
    private static readonly string[] ServiceDigits = ["1", "2", "3", "4"];
    private static readonly string[] DirectNumbers = ["101", "102", "103", "104"];

    private readonly Random random = new(seed);

    public IReadOnlyList<LoadCall> Take(int count, int firstSeq = 0) =>
        Enumerable.Range(firstSeq, count).Select(Next).ToList();

    private LoadCall Next(int seq)
    {
        var roll = random.NextDouble();
        return roll switch
        {
            < 0.40 => new LoadCall(seq, LoadCallKind.MenuToAgency, Caller(Pick(AnsweringPrefixes)), "112",
                Pick(LanguageDigits) + Pick(ServiceDigits), DigitGapMs, TalkingCallMs),
            < 0.70 => new LoadCall(seq, LoadCallKind.Direct, Caller(Pick(AnsweringPrefixes)), Pick(DirectNumbers), "", DigitGapMs, TalkingCallMs),
            < 0.85 => new LoadCall(seq, LoadCallKind.AbandonInMenu, Caller(Pick(AnsweringPrefixes)), "112", "", DigitGapMs, AbandonAfterMs),
            // Police from astana: half through the menu (kk, police), half dialling 102.
            _ => random.Next(2) == 0
                ? new LoadCall(seq, LoadCallKind.BusyPrimary, Caller("+7717"), "102", "", DigitGapMs, TalkingCallMs)
                : new LoadCall(seq, LoadCallKind.BusyPrimary, Caller("+7717"), "112", "12", DigitGapMs, TalkingCallMs),
        };
    }

    private string Caller(string prefix) => prefix + random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    private string Pick(string[] values) => values[random.Next(values.Length)];
}
