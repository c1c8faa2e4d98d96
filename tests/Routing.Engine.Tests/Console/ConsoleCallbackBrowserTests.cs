using System.Collections.Concurrent;
using Microsoft.Playwright;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Tests.Console;

/// <summary>
/// Calling lost callers back from the console, in headless Chromium and Firefox ESR: the call-taker's list of abandoned calls
/// with a call-back button that only a free call-taker can use (the reason shown otherwise), the call back's
/// progress, the supervisor's abandoned list following the task's status, and the engine's refusal shown word
/// for word when the task changed under the call-taker's eyes.
/// </summary>
public sealed class ConsoleCallbackBrowserTests
{
    private const float Timeout = 60_000; // a bound per step, generous for Firefox on a busy 2-core box

    private static Dictionary<string, string?> Settings()
    {
        var settings = ConsoleHttpTests.SignInSettings();
        settings[EngineConfiguration.CentreEnabledKey] = "true";
        settings["Centre:WrapUp"] = "00:05:00"; // calling back from Wrap-up is allowed: stay there
        settings["Centre:AnnounceInterval"] = "00:10:00";
        settings["Centre:Groups:almaty:MaxWait"] = "00:10:00";
        settings["Centre:Groups:national:MaxWait"] = "00:10:00";
        settings["Routing:Operators:QueueTimeout"] = "00:30:00";
        return settings;
    }

    private static Task<IPage> SignedInAsync(IBrowser browser, EngineHarness harness, string user, string language, ConcurrentQueue<string> scriptErrors) =>
        SystemBrowser.SignedInAsync(browser, harness, user, language, Timeout, scriptErrors);

    private static async Task<string> AbandonedAsync(EngineHarness harness, string number)
    {
        var caller = await harness.Asterisk.PlaceCallAsync(new CallScript(number, "112", HangUpAfter: TimeSpan.FromMinutes(5)), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Active.Any(c => c.CallerChannelId == caller.ChannelId && c.Snapshot.State == Routing.Calls.CallState.OperatorQueue), $"{number} waiting");
        caller.HangUp();
        await harness.WaitForOutcomeAsync(caller.ChannelId);
        return (await harness.Engine.Ledger.FindByCallerChannelAsync(caller.ChannelId, CancellationToken.None))[0].Call.CallId;
    }

    [ChromiumFact]
    public Task A_free_call_taker_calls_an_abandoned_caller_back_from_the_console_and_a_busy_one_is_told_why_not_in_Chromium() =>
        CallBackAsync(SystemBrowser.Chromium);

    [FirefoxFact]
    public Task A_free_call_taker_calls_an_abandoned_caller_back_from_the_console_and_a_busy_one_is_told_why_not_in_Firefox() =>
        CallBackAsync(SystemBrowser.Firefox);

    private static async Task CallBackAsync(SystemBrowser system)
    {
        await using var harness = await EngineHarness.StartAsync(
            options => options.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20)), Settings());
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await system.LaunchAsync(playwright, Timeout);
        var scriptErrors = new ConcurrentQueue<string>();
        var board = await SignedInAsync(browser, harness, "boss", "en", scriptErrors);
        var taker = await SignedInAsync(browser, harness, "aigerim", "en", scriptErrors);
        await taker.WaitForSelectorAsync("#callback-why:has-text('Log in to a position')");

        await taker.SelectOptionAsync("#position", "calltaker-1");
        await taker.ClickAsync("#btn-login");
        await taker.WaitForSelectorAsync("#my-state.Available");
        await harness.Asterisk.PlaceCallAsync(new CallScript("+77270000040", "112", HangUpAfter: TimeSpan.FromMinutes(5)), CancellationToken.None);
        await taker.WaitForSelectorAsync("#my-state.OnCall");
        var lost = await AbandonedAsync(harness, "+77270000041");
        var second = await AbandonedAsync(harness, "+77270000042");

        // On a call: the buttons are there but disabled, and the console says why.
        var button = $"#btn-callback-{lost}";
        await taker.WaitForSelectorAsync(button);
        Assert.True(await taker.IsDisabledAsync(button));
        await taker.WaitForSelectorAsync("#callback-why:has-text('you are On call')");
        await board.WaitForSelectorAsync($"#wb-abandoned tr[data-callback='{lost}']:has-text('To call back')");

        // Free again (wrap-up): it calls back; its phone, then the caller, then both talk.
        await taker.ClickAsync("#btn-hangup");
        await taker.WaitForSelectorAsync("#my-state.WrapUp");
        await taker.WaitForSelectorAsync($"{button}:not([disabled])");
        await taker.ClickAsync(button);
        await taker.WaitForSelectorAsync("#callback-now:has-text('talking')");
        await taker.WaitForSelectorAsync("#my-state.OnCall");
        Assert.True(await taker.IsDisabledAsync($"#btn-callback-{second}"));
        await board.WaitForSelectorAsync($"#wb-abandoned tr[data-callback='{lost}']:has-text('Reached')");
        await taker.ClickAsync("#btn-callback-hangup");
        await taker.WaitForSelectorAsync("#my-state.WrapUp");

        // The supervisor closes the other task meanwhile; the call-taker's stale button gets the engine's refusal.
        // The call-taker's list must stay as it was before the close (as it does between two refreshes): its
        // refreshes fail from here on, else a refresh that wins the race with the click removes the closed row.
        await taker.RouteAsync(url => new Uri(url).AbsolutePath == "/api/callbacks", route => route.AbortAsync());
        await board.EvaluateAsync($"() => fetch('/api/callbacks/{second}/close', {{ method: 'POST', headers: {{ 'content-type': 'application/json' }}, body: JSON.stringify({{ by: 'boss', note: 'police reached the caller' }}) }})");
        await board.WaitForSelectorAsync($"#wb-abandoned tr[data-callback='{second}']:has-text('Closed')");
        await taker.ClickAsync($"#btn-callback-{second}");
        await taker.WaitForSelectorAsync("#toast:has-text('is closed')");
        await taker.WaitForSelectorAsync("#my-state.WrapUp"); // a refusal changes nothing
        Assert.True(scriptErrors.IsEmpty, $"script errors in {system}: {string.Join(" | ", scriptErrors)}");
    }
}
