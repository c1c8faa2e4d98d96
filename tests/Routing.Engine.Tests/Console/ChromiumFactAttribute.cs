using Microsoft.Playwright;
namespace Routing.Engine.Tests.Console;

/// <summary>
/// A test that drives Debian's Chromium (<c>apt-get install chromium</c>; Playwright never downloads a
/// browser here). Without Chromium it is skipped with one line saying so, except under <c>CI=true</c>,
/// where a missing browser is a failure: CI installs it (.ci/run).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string DefaultPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.UnderCi)
        {
            Skip = $"Chromium not found at {DefaultPath} (or ROUTING_TEST_CHROMIUM): apt-get install chromium to run the browser tests";
        }
    }
}

internal static class Chromium
{
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? Path
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("ROUTING_TEST_CHROMIUM");
            var path = string.IsNullOrEmpty(configured) ? ChromiumFactAttribute.DefaultPath : configured;
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>Debian's headless Chromium (never a downloaded browser); Playwright gives it a fresh
    /// temporary --user-data-dir of its own.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, float timeout)
    {
        var path = Path ?? throw new InvalidOperationException($"Chromium is not at {ChromiumFactAttribute.DefaultPath}: .ci/run installs it (apt-get install chromium)");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
            Timeout = timeout,
        });
    }

    /// <summary>A fresh browser context with the console open and <paramref name="user"/> signed in, in
    /// <paramref name="language"/>: the first steps of every console browser test.</summary>
    public static async Task<IPage> SignedInAsync(IBrowser browser, EngineHarness harness, string user, string language, float timeout)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 }, Locale = "en-GB" });
        context.SetDefaultTimeout(timeout);
        var page = await context.NewPageAsync();
        await page.GotoAsync(harness.AdminUrl.TrimEnd('/') + "/console/");
        await page.SelectOptionAsync("#lang", language);
        await page.FillAsync("#signin-user", user);
        await page.FillAsync("#signin-password", ConsoleHttpTests.Password);
        await page.ClickAsync("#signin-submit");
        await page.WaitForSelectorAsync("#signout:not([hidden])");
        return page;
    }
}
