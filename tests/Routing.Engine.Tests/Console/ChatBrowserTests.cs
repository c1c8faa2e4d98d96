using System.Collections.Concurrent;
using Microsoft.Playwright;
using Routing.Engine.Tests.Text;

namespace Routing.Engine.Tests.Console;

/// <summary>
/// The text chat of the call-taker view in Debian's Chromium and Firefox ESR (Playwright, no browser download): a message from the
/// police app is offered in the console, accepted with its button, answered, classified and handed to the police;
/// what the call-taker sees is in the chosen language, and what the caller and the agency get is what the simulated
/// Asterisk was asked to send. Every wait is a bounded wait for something on the page or in the simulator.
/// </summary>
public sealed class ChatBrowserTests
{
    private const float Timeout = 60_000; // a bound per step, generous for Firefox on a busy 2-core box

    [ChromiumFact]
    public Task A_call_taker_accepts_answers_classifies_and_hands_over_a_text_session_in_the_chat_panel_in_Chromium() =>
        ChatAsync(SystemBrowser.Chromium, screenshot: true);

    [FirefoxFact]
    public Task A_call_taker_accepts_answers_classifies_and_hands_over_a_text_session_in_the_chat_panel_in_Firefox() =>
        ChatAsync(SystemBrowser.Firefox, screenshot: false);

    private static async Task ChatAsync(SystemBrowser system, bool screenshot)
    {
        var settings = TextHarness.Settings();
        foreach (var (key, value) in ConsoleHttpTests.SignInSettings()) settings[key] = value;
        await using var harness = await EngineHarness.StartAsync(TextHarness.Simulator, settings);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await system.LaunchAsync(playwright, Timeout);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "ru-RU" });
        context.SetDefaultTimeout(Timeout);
        var taker = await context.NewPageAsync();
        var scriptErrors = new ConcurrentQueue<string>();
        taker.PageError += (_, error) => scriptErrors.Enqueue(error);
        await taker.GotoAsync(harness.AdminUrl.TrimEnd('/') + "/console/");
        await taker.SelectOptionAsync("#lang", "ru");
        await taker.FillAsync("#signin-user", "aigerim");
        await taker.FillAsync("#signin-password", ConsoleHttpTests.Password);
        await taker.ClickAsync("#signin-submit");
        await taker.WaitForSelectorAsync("#signout:not([hidden])");
        await taker.WaitForSelectorAsync("#position option[value='calltaker-1']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await taker.SelectOptionAsync("#position", "calltaker-1");
        await taker.ClickAsync("#btn-login");
        await taker.WaitForSelectorAsync("#my-state.Available");

        harness.Asterisk.SendTextMessage("appgw", TextHarness.CallerFrom, "Помогите! Пожар: Алматы, пр. Абая 10, кв. 5.");
        await taker.WaitForSelectorAsync("#chat-offer:has-text('Новое сообщение из приложения')");
        await taker.WaitForSelectorAsync("#chat-log li.in:has-text('Пожар: Алматы')");
        Assert.Null(await taker.QuerySelectorAsync("#offer")); // not the voice offer: nothing rings
        await taker.ClickAsync("#btn-chat-accept");
        await taker.WaitForSelectorAsync("#chat-state:has-text('У вас')");

        await taker.FillAsync("#chat-input", "Все вышли из квартиры?");
        await taker.ClickAsync("#btn-chat-send");
        await taker.WaitForSelectorAsync("#chat-log li.out:has-text('Все вышли из квартиры?')");
        await WaitAsync(() => harness.Asterisk.SentMessages.Any(m => m.To == TextHarness.CallerTo && m.Body == "Все вышли из квартиры?"), "the reply at the caller");

        harness.Asterisk.SendTextMessage("appgw", TextHarness.CallerFrom, "Да, все на улице");
        await taker.WaitForSelectorAsync("#chat-log li.in:has-text('Да, все на улице')");
        Assert.Equal("Текстовый чат", (await taker.TextContentAsync("#chat h2"))!.Split(" · ")[0]);

        await taker.SelectOptionAsync("#chat-kind", "emergency");
        await taker.SelectOptionAsync("#chat-agency", "police");
        await taker.ClickAsync("#btn-chat-classify");
        await taker.ClickAsync("#btn-chat-transfer");
        await taker.WaitForSelectorAsync("#chat-state:has-text('Передан в службу')");
        await taker.WaitForSelectorAsync("#chat-log li.agency");
        await WaitAsync(() => harness.Asterisk.SentMessages.Any(m => m.To == "pjsip:police-text" && m.Body.Contains("caller: Да, все на улице", StringComparison.Ordinal)), "the transcript at the police");
        Assert.True(await taker.IsDisabledAsync("#btn-chat-send")); // the agency has it now
        if (screenshot)
        {
            await taker.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Routing.TestSupport.RepositoryFiles.RepositoryRoot, "docs", "console-chat.png") });
        }

        await taker.ClickAsync("#btn-chat-close");
        await taker.WaitForSelectorAsync("#chat", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        Assert.True(scriptErrors.IsEmpty, $"script errors in {system}: {string.Join(" | ", scriptErrors)}");
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60)) throw new TimeoutException($"Timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
