using System.Collections.Concurrent;
using Microsoft.Playwright;
namespace Routing.Engine.Tests.Console;

/// <summary>
/// A browser installed from Debian (never one Playwright downloads) that the console's browser tests drive:
/// <see cref="Chromium"/> over the DevTools protocol, <see cref="Firefox"/> (firefox-esr) over WebDriver BiDi —
/// Playwright's <c>moz-firefox</c> channel, which drives a stock Firefox rather than Playwright's patched build.
/// Without the browser its tests are skipped with one line saying so, except under <c>CI=true</c>, where a
/// missing browser is a failure: CI installs both (.ci/run).
/// </summary>
internal sealed class SystemBrowser
{
    public static readonly SystemBrowser Chromium = new(
        "Chromium", "/usr/bin/chromium", "ROUTING_TEST_CHROMIUM", "chromium", "Chrome/",
        (playwright, path, timeout) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
            Timeout = timeout,
        }));

    public static readonly SystemBrowser Firefox = new(
        "Firefox", "/usr/bin/firefox-esr", "ROUTING_TEST_FIREFOX", "firefox-esr", "Firefox/",
        (playwright, path, timeout) => playwright.Firefox.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // "moz-*" channels go to Playwright's WebDriver BiDi driver; the path picks Debian's ESR.
            Channel = "moz-firefox",
            ExecutablePath = path,
            Headless = true,
            Timeout = timeout,
            // Playwright gives it a fresh temporary profile; these keep the profile from reaching out.
            FirefoxUserPrefs = new Dictionary<string, object>
            {
                ["app.update.disabledForTesting"] = true,
                ["browser.shell.checkDefaultBrowser"] = false,
                ["datareporting.policy.dataSubmissionEnabled"] = false,
                ["toolkit.telemetry.reportingpolicy.firstRun"] = false,
                ["network.captive-portal-service.enabled"] = false,
                ["network.connectivity-service.enabled"] = false,
                ["extensions.update.enabled"] = false,
            },
        }));

    private readonly Func<IPlaywright, string, float, Task<IBrowser>> launch;

    private SystemBrowser(string name, string defaultPath, string pathVariable, string aptPackage, string userAgentMark, Func<IPlaywright, string, float, Task<IBrowser>> launch)
    {
        UserAgentMark = userAgentMark;
        Name = name;
        DefaultPath = defaultPath;
        PathVariable = pathVariable;
        AptPackage = aptPackage;
        this.launch = launch;
    }

    public string Name { get; }

    public string DefaultPath { get; }

    /// <summary>Environment variable that points the tests at another binary of the same browser.</summary>
    public string PathVariable { get; }

    public string AptPackage { get; }

    /// <summary>What the browser's own <c>navigator.userAgent</c> holds: a test can tell which browser really runs.</summary>
    public string UserAgentMark { get; }

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public string? Path
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(PathVariable);
            var path = string.IsNullOrEmpty(configured) ? DefaultPath : configured;
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>Why this browser's tests are skipped here, or null when they run.</summary>
    public string? SkipReason => Path is null && !UnderCi
        ? $"{Name} not found at {DefaultPath} (or {PathVariable}): apt-get install {AptPackage} to run its browser tests"
        : null;

    public override string ToString() => Name;

    /// <summary>How long a start may take at least: Firefox needs some 15 s to start on a busy 2-core box.</summary>
    private const float MinLaunchTimeout = 120_000;

    /// <summary>The browser, headless, with a fresh temporary profile of its own; <paramref name="timeout"/>
    /// bounds the start (at least <see cref="MinLaunchTimeout"/>).</summary>
    public async Task<IBrowser> LaunchAsync(IPlaywright playwright, float timeout)
    {
        var path = Path ?? throw new InvalidOperationException($"{Name} is not at {DefaultPath}: .ci/run installs it (apt-get install {AptPackage})");
        return await launch(playwright, path, Math.Max(timeout, MinLaunchTimeout));
    }

    /// <summary>A fresh browser context with the console open and <paramref name="user"/> signed in, in
    /// <paramref name="language"/>: the first steps of every console browser test, whichever the browser.
    /// Uncaught script errors of the page from its first load on go to <paramref name="scriptErrors"/>.</summary>
    public static async Task<IPage> SignedInAsync(IBrowser browser, EngineHarness harness, string user, string language, float timeout, ConcurrentQueue<string>? scriptErrors = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 }, Locale = "en-GB" });
        context.SetDefaultTimeout(timeout);
        var page = await context.NewPageAsync();
        if (scriptErrors is not null)
        {
            page.PageError += (_, error) => scriptErrors.Enqueue($"{user}: {error}");
        }

        await page.GotoAsync(harness.AdminUrl.TrimEnd('/') + "/console/");
        await page.SelectOptionAsync("#lang", language);
        await page.FillAsync("#signin-user", user);
        await page.FillAsync("#signin-password", ConsoleHttpTests.Password);
        await page.ClickAsync("#signin-submit");
        await page.WaitForSelectorAsync("#signout:not([hidden])");
        return page;
    }
}

/// <summary>A test in Debian's Chromium (<see cref="SystemBrowser.Chromium"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute() => Skip = SystemBrowser.Chromium.SkipReason;
}

/// <summary>A test in Debian's Firefox ESR (<see cref="SystemBrowser.Firefox"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FirefoxFactAttribute : FactAttribute
{
    public FirefoxFactAttribute() => Skip = SystemBrowser.Firefox.SkipReason;
}
