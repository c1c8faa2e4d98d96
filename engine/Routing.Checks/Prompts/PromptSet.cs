namespace Routing.Checks.Prompts;

/// <summary>
/// The prompts the engine plays, and where they live. Asterisk plays
/// <c>sound:{PromptBase}/{language}/{prompt}</c>; dialplans/install.sh copies
/// <c>ivr-prompts/audio/{language}/{prompt}.wav</c> to <c>{sounds}/112/{language}/{prompt}.wav</c>.
/// </summary>
public static class PromptSet
{
    public const string Greeting = "greeting";
    public const string LanguageMenu = "language-menu";
    public const string ServiceMenu = "service-menu";
    public const string StayOnLine = "stay-on-line";
    public const string Connecting = "connecting";
    public const string StillTrying = "still-trying";
    public const string SilentCall = "silent-call";
    public const string CallbackNotice = "callback-notice";

    /// <summary>A waiting caller's place in the centre's queue: <c>queue-position-1</c> ("you are next") to
    /// <c>-5</c> (Routing.Calls.Call.QueuePositionPrompts); further back the caller hears stay-on-line.</summary>
    public static IReadOnlyList<string> QueuePositions { get; } = [.. Enumerable.Range(1, 5).Select(n => $"queue-position-{n}")];

    /// <summary>The directory under Asterisk's sounds that install.sh fills; Routing:Ivr:PromptBase must name it.</summary>
    public const string InstalledBase = "112";

    public static IReadOnlyList<string> Names { get; } =
        [Greeting, LanguageMenu, ServiceMenu, StayOnLine, Connecting, StillTrying, SilentCall, CallbackNotice, .. QueuePositions];

    public static string TextPath(string promptsDir, string language, string prompt) =>
        Path.Combine(promptsDir, language, prompt + ".txt");

    public static string AudioPath(string promptsDir, string language, string prompt) =>
        Path.Combine(promptsDir, "audio", language, prompt + ".wav");
}
