using System.Collections.Concurrent;
using Microsoft.Playwright;
using Routing.Engine.Hosting;
using Routing.Simulator;
using Routing.TestSupport;

namespace Routing.Engine.Tests.Console;

/// <summary>
/// The console in real browsers (Debian's Chromium and Firefox ESR, headless, driven by Playwright): the engine
/// runs with the simulated Asterisk and a call-taker phone that answers; a call-taker signs in on one page and a
/// supervisor on another, and both see what the engine does. Each scenario runs the same steps in both browsers;
/// the screenshots in docs/ come from the Chromium run. Every wait is a bounded wait for something on the page.
/// </summary>
public sealed class ConsoleBrowserTests
{
    private static readonly TimeSpan Talking = TimeSpan.FromMinutes(5);
    private const float Timeout = 60_000; // a bound per step, generous for Firefox on a busy 2-core box

    private static Dictionary<string, string?> Settings()
    {
        var settings = ConsoleHttpTests.SignInSettings();
        settings[EngineConfiguration.CentreEnabledKey] = "true";
        settings["Centre:WrapUp"] = "00:00:45"; // long enough to see the countdown and the queue on the board
        settings["Centre:OfferTimeout"] = "00:00:05";
        settings["Centre:AnnounceInterval"] = "00:10:00";
        settings["Centre:Groups:almaty:MaxWait"] = "00:10:00";
        settings["Centre:Groups:national:MaxWait"] = "00:10:00";
        settings["Routing:Operators:QueueTimeout"] = "00:30:00";
        return settings;
    }

    private static Task<EngineHarness> StartEngineAsync() => EngineHarness.StartAsync(
        options => options.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20)), Settings());

    private static Task<IPage> SignedInAsync(IBrowser browser, EngineHarness harness, string user, string language, ConcurrentQueue<string>? scriptErrors = null) =>
        SystemBrowser.SignedInAsync(browser, harness, user, language, Timeout, scriptErrors);

    private static string Screenshot(string name) => Path.Combine(RepositoryFiles.RepositoryRoot, "docs", name);

    private static CallScript Caller(string number) => new(number, "112", HangUpAfter: Talking);

    [ChromiumFact]
    public Task A_call_taker_takes_classifies_and_warm_transfers_a_call_and_the_supervisor_board_follows_in_Chromium() =>
        TakeClassifyAndTransferAsync(SystemBrowser.Chromium, screenshots: true);

    [FirefoxFact]
    public Task A_call_taker_takes_classifies_and_warm_transfers_a_call_and_the_supervisor_board_follows_in_Firefox() =>
        TakeClassifyAndTransferAsync(SystemBrowser.Firefox, screenshots: false);

    [ChromiumFact]
    public Task Buttons_the_state_does_not_allow_are_disabled_and_a_refused_action_shows_the_engines_message_in_Chromium() =>
        RefusalsAsync(SystemBrowser.Chromium);

    [FirefoxFact]
    public Task Buttons_the_state_does_not_allow_are_disabled_and_a_refused_action_shows_the_engines_message_in_Firefox() =>
        RefusalsAsync(SystemBrowser.Firefox);

    private static async Task TakeClassifyAndTransferAsync(SystemBrowser system, bool screenshots)
    {
        await using var harness = await StartEngineAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await system.LaunchAsync(playwright, Timeout);
        var scriptErrors = new ConcurrentQueue<string>();
        var board = await SignedInAsync(browser, harness, "boss", "en", scriptErrors);
        var taker = await SignedInAsync(browser, harness, "aigerim", "kk", scriptErrors);
        Assert.Contains(system.UserAgentMark, await taker.EvaluateAsync<string>("() => navigator.userAgent"), StringComparison.Ordinal);
        await board.WaitForSelectorAsync("#wb-calltakers tr[data-position='calltaker-1'] .state.LoggedOut");

        await taker.SelectOptionAsync("#position", "calltaker-1");
        await taker.ClickAsync("#btn-login");
        await taker.WaitForSelectorAsync("#my-state.Available");
        await board.WaitForSelectorAsync("#wb-calltakers tr[data-position='calltaker-1'] .state.Available");

        await harness.Asterisk.PlaceCallAsync(Caller("+77272223344"), CancellationToken.None);
        await taker.WaitForSelectorAsync("#my-state.OnCall");
        await taker.WaitForSelectorAsync("#card-number:text('+77272223344')");
        await board.WaitForSelectorAsync("#wb-calltakers tr[data-position='calltaker-1'] .state.OnCall");

        await taker.CheckAsync("#kind-emergency");
        await taker.SelectOptionAsync("#classify-agency", "police");
        await taker.FillAsync("#incident", "robbery");
        await taker.FillAsync("#note", "two men, a black car, towards Abay avenue");
        await taker.ClickAsync("#btn-classify");
        await taker.WaitForSelectorAsync("#card-classification:has-text('robbery')");

        await taker.SelectOptionAsync("#transfer-agency", "police");
        await taker.ClickAsync("#btn-warm");
        await taker.WaitForSelectorAsync("#transfer-progress.answered");
        Assert.False(await taker.IsDisabledAsync("#btn-complete"));
        Assert.True(await taker.IsDisabledAsync("#btn-warm"));
        if (screenshots)
        {
            await taker.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("console-calltaker.png") });
        }

        await taker.ClickAsync("#btn-complete");
        await taker.WaitForSelectorAsync("#my-state.WrapUp");
        await taker.WaitForSelectorAsync("#wrapup");
        await board.WaitForSelectorAsync("#wb-calltakers tr[data-position='calltaker-1'] .state.WrapUp");

        // Two more callers wait while the only call-taker wraps up: the board shows them and the answer just made.
        await harness.Asterisk.PlaceCallAsync(Caller("+77273334455"), CancellationToken.None);
        await harness.Asterisk.PlaceCallAsync(Caller("+77274445566"), CancellationToken.None);
        await board.WaitForFunctionAsync("() => document.querySelectorAll('#wb-waiting tbody tr').length === 2");
        await board.WaitForFunctionAsync("() => [...document.querySelectorAll('#wb-levels tbody tr')].some(r => r.cells[1].textContent === '1')");
        if (screenshots)
        {
            await board.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("console-supervisor.png") });
        }

        // The supervisor finds the first call in the history (a date-time field in the browser's own widget)
        // and opens its story: the answer and the police leg are in it.
        await board.ClickAsync("#tab-history");
        var anHourAgo = await board.EvaluateAsync<string>(
            "() => { const d = new Date(Date.now() - 3600e3); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 16); }");
        await board.FillAsync("#h-from", anHourAgo);
        await board.FillAsync("#h-number", "2223344");
        await board.ClickAsync("#h-search");
        await board.ClickAsync("#history-results tr[data-call]:has-text('+77272223344')");
        await board.WaitForSelectorAsync("#story li:has(.kind:text-is('queue.answered'))");
        await board.WaitForSelectorAsync("#story td:text-is('police')");
        Assert.True(scriptErrors.IsEmpty, $"script errors in {system}: {string.Join(" | ", scriptErrors)}");
    }

    private static async Task RefusalsAsync(SystemBrowser system)
    {
        await using var harness = await StartEngineAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await system.LaunchAsync(playwright, Timeout);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        context.SetDefaultTimeout(Timeout);
        var page = await context.NewPageAsync();
        await page.GotoAsync(harness.AdminUrl.TrimEnd('/') + "/console/");
        await page.SelectOptionAsync("#lang", "en");
        await page.FillAsync("#signin-user", "aigerim");
        await page.FillAsync("#signin-password", "wrong");
        await page.ClickAsync("#signin-submit");
        await page.WaitForSelectorAsync("#signin-error:text('user or password is wrong')");

        await page.FillAsync("#signin-password", ConsoleHttpTests.Password);
        await page.ClickAsync("#signin-submit");
        await page.WaitForSelectorAsync("#my-state.LoggedOut");
        string[] callButtons = ["#btn-classify", "#btn-warm", "#btn-blind", "#btn-complete", "#btn-cancel", "#btn-hold", "#btn-unhold", "#btn-requeue", "#btn-hangup"];
        foreach (var button in callButtons.Concat(["#btn-pause", "#btn-resume", "#btn-logout"]))
        {
            Assert.True(await page.IsDisabledAsync(button), $"{button} is enabled while logged out");
        }

        Assert.False(await page.IsDisabledAsync("#btn-login"));
        await page.SelectOptionAsync("#position", "calltaker-1");
        await page.ClickAsync("#btn-login");
        await page.WaitForSelectorAsync("#my-state.Available");
        Assert.True(await page.IsDisabledAsync("#btn-login"));
        Assert.True(await page.IsDisabledAsync("#btn-resume"));
        foreach (var button in callButtons)
        {
            Assert.True(await page.IsDisabledAsync(button), $"{button} is enabled without a call");
        }

        await page.SelectOptionAsync("#pause-reason", "meal");
        await page.ClickAsync("#btn-pause");
        await page.WaitForSelectorAsync("#my-state.Paused");
        Assert.True(await page.IsDisabledAsync("#btn-pause"));
        Assert.False(await page.IsDisabledAsync("#btn-resume"));

        // A page that lags behind the engine may still offer a button: the engine refuses, the page says why.
        await page.EvalOnSelectorAsync("#btn-pause", "b => { b.disabled = false; b.click(); }");
        var toast = await page.WaitForSelectorAsync("#toast:not([hidden]):not(.info)");
        var message = await toast!.TextContentAsync();
        Assert.Contains("calltaker-1", message, StringComparison.Ordinal);
        Assert.Contains("Paused", message, StringComparison.Ordinal);
        await page.WaitForSelectorAsync("#my-state.Paused");
    }
}
